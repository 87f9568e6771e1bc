#include "uplift/optimize/plan_columns.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

namespace {

constexpr std::array<PlanColumn, 15> every_column{
    PlanColumn::Id,           PlanColumn::Offer,          PlanColumn::OfferCode,
    PlanColumn::OfferKind,    PlanColumn::OfferValue,     PlanColumn::Channel,
    PlanColumn::Action,       PlanColumn::ExpectedUplift, PlanColumn::ExpectedIncrementalRevenue,
    PlanColumn::ExpectedSpend, PlanColumn::ExpectedProfit, PlanColumn::Segment,
    PlanColumn::Rank,         PlanColumn::BaselineOutcome, PlanColumn::PurchaseProbability};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string known_names() {
    std::vector<std::string_view> names;
    for (PlanColumn c : every_column) names.push_back(column_name(c));
    return fmt::format("{}", fmt::join(names, ", "));
}

/// "12.500000" → "12.5", "10.000000" → "10".
std::string without_trailing_zeros(std::string text) {
    if (text.find('.') == std::string::npos) return text;
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

}  // namespace

std::string_view column_name(PlanColumn column) noexcept {
    switch (column) {
    case PlanColumn::Id: return "id";
    case PlanColumn::Offer: return "offer";
    case PlanColumn::OfferCode: return "offer_code";
    case PlanColumn::OfferKind: return "offer_kind";
    case PlanColumn::OfferValue: return "offer_value";
    case PlanColumn::Channel: return "channel";
    case PlanColumn::Action: return "action";
    case PlanColumn::ExpectedUplift: return "expected_uplift";
    case PlanColumn::ExpectedIncrementalRevenue: return "expected_incremental_revenue";
    case PlanColumn::ExpectedSpend: return "expected_spend";
    case PlanColumn::ExpectedProfit: return "expected_profit";
    case PlanColumn::BaselineOutcome: return "baseline_outcome";
    case PlanColumn::PurchaseProbability: return "purchase_probability";
    case PlanColumn::Segment: return "segment";
    case PlanColumn::Rank: return "rank";
    }
    return "";
}

std::span<const PlanColumn> all_plan_columns() noexcept { return every_column; }

std::vector<PlanColumn> default_plan_columns() {
    // purchase_probability is on request only: the uplift plan does not rank by it.
    return {every_column.begin(), every_column.end() - 1};
}

std::vector<PlanColumn> parse_plan_columns(std::string_view list) {
    std::vector<PlanColumn> out;
    std::string_view rest = list;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view name = trim(rest.substr(0, comma));
        if (name.empty()) {
            throw UsageError(fmt::format("--columns '{}': an empty column name; list names separated by commas "
                                         "from: {}",
                                         list, known_names()));
        }
        const auto* it = std::find_if(every_column.begin(), every_column.end(),
                                      [&](PlanColumn c) { return column_name(c) == name; });
        if (it == every_column.end()) {
            throw UsageError(fmt::format("--columns: unknown column '{}'; the known columns are: {}", name,
                                         known_names()));
        }
        if (has_column(out, *it)) throw UsageError(fmt::format("--columns: column '{}' is given twice", name));
        out.push_back(*it);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

bool has_column(std::span<const PlanColumn> columns, PlanColumn column) noexcept {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
}

std::string offer_value_text(const Offer& offer, char decimal) {
    std::string text;
    switch (offer.kind) {
    case OfferKind::Percent: {
        const double percent = std::round(offer.value * 100 * 1e6) / 1e6;  // 0.1 × 100 is not exactly 10
        text = without_trailing_zeros(fmt::format("{:.6f}", percent)) + "%";
        break;
    }
    case OfferKind::Coupon: text = fmt::format("{:.2f}", offer.value); break;
    case OfferKind::Message: return {};
    }
    if (decimal != '.') std::replace(text.begin(), text.end(), '.', decimal);
    return text;
}

}  // namespace uplift::optimize
