#pragma once
/// plan.json as written by `upliftctl optimize`, read tolerantly: a missing key leaves its part of the report
/// out; a key of the wrong type is an error naming the key. Values are copied into the report as they are,
/// never recomputed, so the report and the plan always agree.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uplift::report {

/// Money, counts and ratios of one way to spend the budget (the plan, a point of its budget curve, a baseline).
struct PlanFigures {
    std::optional<double> budget;
    std::optional<double> contacts;
    std::optional<double> spend;
    std::optional<double> incremental_conversions;
    std::optional<double> incremental_revenue;
    std::optional<double> profit;
    std::optional<double> roi;
};

struct OfferSummary {
    std::string offer;
    std::string channel;
    PlanFigures figures;
};

struct Baseline {
    std::string key;  ///< "everyone", "random", "response_model" (or another key found in the file)
    std::string description;
    PlanFigures figures;
};

struct Plan {
    std::optional<double> budget;
    std::optional<double> budget_used;
    std::optional<double> contacts;
    std::optional<double> clients;  ///< clients the plan chose from (absent in older plan files)
    std::optional<double> expected_incremental_conversions;
    std::optional<double> expected_incremental_revenue;
    std::optional<double> expected_spend;
    std::optional<double> expected_profit;
    std::optional<double> roi;                     ///< null in the file when spend is 0
    std::optional<double> useless_discount_share;  ///< null for continuous outcomes
    std::optional<double> upper_bound;
    std::optional<double> gap;
    std::vector<OfferSummary> per_offer;
    std::vector<PlanFigures> budget_curve;
    /// The baselines at each curve point's budget (curve_baselines[i] belongs to budget_curve[i]; empty for a
    /// point without them, as in plan files written before optimize gave them). No descriptions: those of
    /// `baselines` apply.
    std::vector<std::vector<Baseline>> curve_baselines;
    std::vector<Baseline> baselines;                                 ///< everyone, random, response_model first
    /// The first offer to every client without a budget (absent in older plan files).
    std::optional<PlanFigures> everyone_all;
    std::vector<std::pair<std::string, std::string>> parameters;     ///< flattened, values as text
    std::vector<std::pair<std::string, std::string>> provenance;     ///< flattened, values as text

    /// The baseline under `key`, if the plan has it.
    const Baseline* baseline(std::string_view key) const;
    /// The baseline under `key` at curve point `i`, if the plan has it.
    const Baseline* curve_baseline(std::size_t i, std::string_view key) const;
    /// Whether every curve point carries the three standard baselines.
    bool has_curve_baselines() const;
};

/// Parses plan.json text; `file` names it in messages. Throws DataError for text that is not a JSON object or
/// a key whose value has the wrong type (e.g. "plan.json: 'budget_curve[3].spend' must be a number, not a string").
Plan parse_plan(std::string_view text, const std::string& file);

/// Reads and parses a plan file. Throws IoError when it cannot be read.
Plan read_plan(const std::filesystem::path& path);

}  // namespace uplift::report
