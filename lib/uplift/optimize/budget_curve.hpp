#pragma once
/// Expected results as the budget grows from 0 to the point where extra spend stops paying (the spend of
/// the best plan without a budget limit).
///
/// Each client's offers form an upper concave hull in the (spend, profit) plane; its segments, sorted by
/// profit per spend, are exactly the order in which the Lagrangian relaxation buys them as λ falls. One
/// sort therefore gives the relaxation's plan at every budget; each point adds a greedy fill of its
/// leftover from the next segments. A point keeps the better of its own plan and the previous point's
/// (still feasible with more money), so profit never falls along the curve.

#include <cstddef>
#include <vector>

#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize {

struct CurvePoint {
    double budget = 0;
    Totals totals;
};

inline constexpr std::size_t default_curve_points = 51;

/// `points` ≥ 2 budgets, evenly spaced from 0 to the spend where profit stops growing. The budget of
/// `constraints` is ignored; the contact limit and min ROI apply.
std::vector<CurvePoint> budget_curve(const Instance& instance, const Constraints& constraints,
                                     std::size_t points = default_curve_points, int threads = 0);

/// Puts the plan itself on the curve at its budget (replacing a point of that budget, or inserted in budget
/// order), so that the report's slider opens on exactly the plan the cards describe. Later points keep the rule
/// that profit never falls as the budget grows. Returns the plan point's index.
std::size_t insert_plan_point(std::vector<CurvePoint>& curve, double budget, const Totals& plan);

}  // namespace uplift::optimize
