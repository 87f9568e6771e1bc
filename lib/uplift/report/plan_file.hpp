#pragma once
/// plan.json as the report reads it: the typed plan record of artifacts/plan.hpp, read tolerantly (a missing
/// key leaves its part of the report out; a key of the wrong type is an error naming the key).

#include <filesystem>
#include <string>
#include <string_view>

#include "uplift/artifacts/plan.hpp"

namespace uplift::report {

using artifacts::Baseline;
using artifacts::OfferSummary;
using artifacts::Plan;
using artifacts::PlanFigures;

/// Parses plan.json text (artifacts::plan_from_json); `file` names it in messages. Throws DataError for text
/// that is not a JSON object or a key whose value has the wrong type (e.g. "plan.json: 'budget_curve[3].spend'
/// must be a number, not a string").
Plan parse_plan(std::string_view text, const std::string& file);

/// Reads and parses a plan file. Throws IoError when it cannot be read.
Plan read_plan(const std::filesystem::path& path);

}  // namespace uplift::report
