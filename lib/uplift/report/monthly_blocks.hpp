#pragma once
/// The blocks after the recommendation (response list vs uplift plan; the monthly loop's three: champion and
/// challenger, drift since training, did the last plan deliver?; client portraits) worded once, as plain text
/// in the report's language, so that the HTML and Markdown renderers only escape and lay them out and can
/// never disagree. report.json carries the artifacts themselves.

#include <optional>
#include <string>
#include <vector>

#include "uplift/report/report_model.hpp"

namespace uplift::report {

/// A table of formatted cells (plain text: the renderer escapes it).
struct TextTable {
    std::string caption;  ///< a line above the table; empty: none
    std::vector<std::string> header;
    std::vector<bool> numeric;  ///< per column: right-aligned
    std::vector<std::vector<std::string>> rows;
};

struct TextBlock {
    std::string id;     ///< the HTML section's id: "response-list", "champion", "drift", "delivered", "portraits"
    std::string title;
    std::vector<std::string> lines;  ///< sentences above the tables, in order
    std::vector<TextTable> tables;
    std::vector<std::string> notes;  ///< closing remarks below the tables (what to do, thresholds, the verdict)
};

/// Champion and challenger from compare.json; empty without --compare.
std::optional<TextBlock> comparison_block(const Report& report);
/// Drift since training from the scores' drift record; empty without --drift.
std::optional<TextBlock> drift_block(const Report& report);
/// Promised vs realised from measure.json; empty without --measure.
std::optional<TextBlock> measurement_block(const Report& report);

/// Client portraits from portraits.json (`upliftctl segments`): each cluster's name, size and offer; empty
/// without --portraits.
std::optional<TextBlock> portraits_block(const Report& report);

/// The priority list (optimize --rank-by response) beside the uplift plan of the same size, from plan.json's
/// `response_list`; empty without it.
std::optional<TextBlock> response_list_block(const Report& report);

/// How the two lists of `response_list` compare: by the model's forecast and, when both sides carry a test
/// estimate, by the test. Empty fields: not known (a side without the figure or without a test estimate).
struct ResponseListReading {
    std::optional<bool> model_list_ahead;        ///< the list's forecast extra conversions above the plan's
    std::optional<double> model_profit_shortfall;  ///< (plan − list) / plan profit, when the list earns less
    std::optional<bool> test_list_ahead;         ///< the list's measured extra conversions above the plan's
    std::optional<bool> test_ranges_overlap;     ///< the two measured ranges overlap
    std::optional<bool> test_contradicts_model;  ///< the test and the model put different lists ahead
};
ResponseListReading read_response_list(const artifacts::PlanResponseList& list);

/// The blocks present, in page order: response list vs uplift plan (about this plan, so first), did the last
/// plan deliver, drift, champion and challenger, client portraits.
std::vector<TextBlock> monthly_blocks(const Report& report);

/// How many of a drift report's inputs the block lists (largest PSI first).
inline constexpr std::size_t drift_rows_shown = 5;

}  // namespace uplift::report
