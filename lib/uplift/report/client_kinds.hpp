#pragma once
/// The four kinds of clients (docs/architecture.md, "Conventions the code relies on"): persuadable, sure thing,
/// lost cause, sleeping dog.

#include <cstdint>
#include <optional>
#include <string>

#include "uplift/eval/client_kinds.hpp"
#include "uplift/io/table.hpp"

namespace uplift::report {

struct ClientKinds {
    double persuadable = 0.0;
    double sure_thing = 0.0;
    double lost_cause = 0.0;
    double sleeping_dog = 0.0;
    std::int64_t clients = 0;
    /// True when the report labelled the clients itself from their probabilities by the kinds' rule (with
    /// `thresholds`); false when it counted a label column written by `upliftctl score` or the user.
    bool by_rule = false;
    eval::KindThresholds thresholds;
    std::string source;  ///< the column(s) they come from
};

/// Name of a user's label column, counted when present; its values are the kinds' names.
inline constexpr const char* client_kind_column = "client_kind";
/// The label column `upliftctl score` writes (eval/client_kinds.hpp defines the kinds).
inline constexpr const char* uplift_segment_column = "uplift_segment";

/// How many scored clients are of each kind, by the one definition of eval/client_kinds.hpp, so the report's
/// counts are the scores' and the plan's: counted from a `client_kind` column when there is one, else from
/// score's `uplift_segment`, else, for a binary outcome, each client labelled by the rule from its predicted
/// probabilities without (p__control) and with (p__<level>; or p_control and p_treatment) the offer. Empty when
/// none of these exists or the values are not probabilities; rows with a missing value are skipped.
std::optional<ClientKinds> client_kinds(const io::Table& scores, const std::string& level, bool binary,
                                        const eval::KindThresholds& thresholds = {});

}  // namespace uplift::report
