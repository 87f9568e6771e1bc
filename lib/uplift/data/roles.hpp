#pragma once
/// Which column plays which part in an uplift dataset. Recorded in every artifact's metadata by
/// `ingest`, so later stages need not be told again (flags still override).

#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/io/table.hpp"

namespace uplift::data {

// The roles record is an artifact (its fields and JSON live in artifacts/table_metadata.hpp); what a
// stage does with it stays here.
using artifacts::OutcomeType;
using artifacts::Roles;
using artifacts::outcome_type_from_string;
using artifacts::to_string;

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
