#pragma once
/// What a plan (or a baseline, or a point of the budget curve) is expected to bring.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/optimize/instance.hpp"

namespace uplift::optimize {

struct Totals {
    std::size_t contacts = 0;
    double spend = 0;
    double conversions = 0;  ///< Σ uplift: incremental conversions (binary) or incremental spend (continuous)
    double revenue = 0;      ///< incremental revenue
    double profit = 0;
    /// profit / spend; none when nothing is spent.
    std::optional<double> roi() const noexcept {
        if (spend == 0) return std::nullopt;
        return profit / spend;
    }
};

struct OfferTotals {
    std::string offer;
    std::string channel;
    Totals totals;
};

struct PlanSummary {
    Totals totals;
    /// Σ min(p0, pt) / Σ pt over targeted clients: the share of the purchases paid for (discount or contact)
    /// that would have happened anyway. None for continuous outcomes and for an empty plan.
    std::optional<double> useless_discount_share;
    std::vector<OfferTotals> per_offer;  ///< one per offer, in the offers' order
};

/// Totals summed in client order (so identical for any thread count).
PlanSummary summarize(const Instance& instance, std::span<const std::int8_t> choice);

/// Adds offer k of client i to `t`.
void add_option(Totals& t, const Instance& instance, std::size_t i, std::size_t k);
/// Adds an option already evaluated (the same additions as add_option).
void add_value(Totals& t, const OptionValue& v) noexcept;

/// The segment column of client i given offer k: the client kind (eval/client_kinds.hpp) with the instance's
/// thresholds; "" for a continuous outcome, where the kinds are not defined.
std::string_view segment_name(const Instance& instance, std::size_t i, std::size_t k) noexcept;

}  // namespace uplift::optimize
