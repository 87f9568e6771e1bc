#pragma once
/// Which column plays which part in an uplift dataset. Recorded in every artifact's metadata by
/// `ingest`, so later stages need not be told again (flags still override).

#include <optional>
#include <string>
#include <vector>

#include "uplift/io/table.hpp"

namespace uplift::data {

enum class OutcomeType { Binary, Continuous };

std::string to_string(OutcomeType type);
/// "binary" or "continuous"; throws UsageError otherwise.
OutcomeType outcome_type_from_string(const std::string& text);

struct Roles {
    std::string id;                             ///< client id column
    std::string treatment;                      ///< treatment column (text levels)
    std::string control;                        ///< the level meaning "no offer"
    std::vector<std::string> treatment_levels;  ///< treated levels in use, in a stable order
    std::string outcome;                        ///< numeric outcome column
    OutcomeType outcome_type = OutcomeType::Binary;
    std::vector<std::string> features;          ///< model inputs

    std::string to_json() const;
    static Roles from_json(const std::string& json);
};

/// Metadata key under which roles travel with a table.
inline constexpr const char* roles_metadata_key = "upliftctl.roles";
/// Metadata key for provenance (tool version, stage, inputs and their fingerprints, parameters).
inline constexpr const char* provenance_metadata_key = "upliftctl.provenance";

void store_roles(io::Metadata& metadata, const Roles& roles);
std::optional<Roles> load_roles(const io::Metadata& metadata);

/// Roles from a table's metadata; throws DataError explaining which flag to pass when there are none.
Roles require_roles(const io::Table& table, const std::string& file);

/// 1 for rows whose treatment is `level`, 0 for control rows; rows of other arms are excluded and their
/// positions dropped from `rows` (the selected row indices into the table).
struct ArmSelection {
    std::vector<std::size_t> rows;
    std::vector<std::uint8_t> treated;
    std::size_t excluded = 0;
};
ArmSelection select_arm(const io::Table& table, const Roles& roles, const std::string& level);

}  // namespace uplift::data
