#include "uplift/data/roles.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::data {

void store_roles(io::Metadata& metadata, const Roles& roles) { artifacts::store(metadata, roles); }

std::optional<Roles> load_roles(const io::Metadata& metadata) { return artifacts::load_roles(metadata, "table metadata"); }

Roles require_roles(const io::Table& table, const std::string& file) {
    if (auto roles = load_roles(table.metadata())) return *roles;
    throw DataError(fmt::format("'{}' carries no column roles (it was not written by upliftctl ingest); "
                                "run `upliftctl ingest` on it first, or pass --treatment/--outcome",
                                file));
}

ArmSelection select_arm(const io::Table& table, const Roles& roles, const std::string& level) {
    // Levels are compared as text: a CSV reader types 0/1 levels as numbers.
    const auto values = table.column(roles.treatment).to_texts();
    ArmSelection out;
    out.rows.reserve(values.size());
    out.treated.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == roles.control) {
            out.rows.push_back(i);
            out.treated.push_back(0);
        } else if (values[i] == level) {
            out.rows.push_back(i);
            out.treated.push_back(1);
        } else {
            ++out.excluded;
        }
    }
    return out;
}

}  // namespace uplift::data
