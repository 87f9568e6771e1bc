#include "uplift/data/roles.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::data {

std::string to_string(OutcomeType type) { return type == OutcomeType::Binary ? "binary" : "continuous"; }

OutcomeType outcome_type_from_string(const std::string& text) {
    if (text == "binary") return OutcomeType::Binary;
    if (text == "continuous") return OutcomeType::Continuous;
    throw UsageError(fmt::format("outcome type '{}' is unknown; expected binary or continuous", text));
}

std::string Roles::to_json() const {
    nlohmann::ordered_json j;
    j["id"] = id;
    j["treatment"] = treatment;
    j["control"] = control;
    j["treatment_levels"] = treatment_levels;
    j["outcome"] = outcome;
    j["outcome_type"] = to_string(outcome_type);
    j["features"] = features;
    return j.dump();
}

Roles Roles::from_json(const std::string& json) {
    try {
        const auto j = nlohmann::json::parse(json);
        Roles r;
        r.id = j.at("id").get<std::string>();
        r.treatment = j.at("treatment").get<std::string>();
        r.control = j.at("control").get<std::string>();
        r.treatment_levels = j.at("treatment_levels").get<std::vector<std::string>>();
        r.outcome = j.at("outcome").get<std::string>();
        r.outcome_type = outcome_type_from_string(j.at("outcome_type").get<std::string>());
        r.features = j.at("features").get<std::vector<std::string>>();
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("the recorded column roles are unreadable: {}", e.what()));
    }
}

void store_roles(io::Metadata& metadata, const Roles& roles) { metadata[roles_metadata_key] = roles.to_json(); }

std::optional<Roles> load_roles(const io::Metadata& metadata) {
    const auto it = metadata.find(roles_metadata_key);
    if (it == metadata.end()) return std::nullopt;
    return Roles::from_json(it->second);
}

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
