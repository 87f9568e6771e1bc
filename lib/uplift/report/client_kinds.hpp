#pragma once
/// The four kinds of clients (docs/architecture.md, "Conventions the code relies on"): persuadable, sure thing,
/// lost cause, sleeping dog.

#include <cstdint>
#include <optional>
#include <string>

#include "uplift/io/table.hpp"

namespace uplift::report {

struct ClientKinds {
    double persuadable = 0.0;
    double sure_thing = 0.0;
    double lost_cause = 0.0;
    double sleeping_dog = 0.0;
    std::int64_t clients = 0;
    /// True when the sizes are expected counts from predicted probabilities, false when counted from a label column.
    bool estimated = true;
    std::string source;  ///< the column(s) they come from
};

/// Name of the label column counted when present; its values are the kinds' names.
inline constexpr const char* client_kind_column = "client_kind";

/// Sizes of the kinds among the scored clients: counted from a `client_kind` column when there is one, else,
/// for a binary outcome, expected counts from the predicted probabilities without (p0) and with (pt) the offer:
/// each client adds max(pt−p0, 0) to persuadable, max(p0−pt, 0) to sleeping dog, min(p0, pt) to sure thing and
/// 1 − max(p0, pt) to lost cause (principal strata under the model). Probabilities are read from p__control and
/// p__<level>, else p_control and p_treatment. Empty when neither source exists or the values are not
/// probabilities; rows with a missing probability are skipped.
std::optional<ClientKinds> client_kinds(const io::Table& scores, const std::string& level, bool binary);

}  // namespace uplift::report
