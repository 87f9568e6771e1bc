#pragma once
/// Budget-constrained assignment of at most one offer per client, maximising total expected profit.
///
/// 1. Lagrangian relaxation: for a price λ on spend each client takes argmax_k (Δ_k − λ·s_k) if positive
///    (the best N by that value under --max-contacts). λ is found by bisection on the dual's subgradient
///    (budget − spend); every λ tried gives an upper bound λ·B + Σ max(0, ·) on the best possible plan.
/// 2. The selection at the smallest feasible λ is the starting plan; leftover budget is filled greedily
///    by the best profit-per-spend moves.
/// 3. The clients nearest the decision boundary (smallest margin between their two best choices at λ)
///    form a core that is re-solved exactly by branch and bound, then the greedy fill runs again.
/// Every step keeps the plan feasible and never lowers its profit. Cost: O(n·K) per bisection step.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"

namespace uplift::optimize {

inline constexpr std::int8_t no_offer = -1;

struct SolverOptions {
    int threads = 0;                    ///< 0: all cores
    std::size_t core_size = 20;         ///< clients re-solved exactly
    std::size_t node_limit = 2'000'000; ///< branch-and-bound nodes before keeping the best found
};

struct Solution {
    std::vector<std::int8_t> choice;  ///< [i]: offer index, or no_offer
    double lambda = 0;                ///< price of one unit of spend at the optimum of the relaxation
    double upper_bound = 0;           ///< no plan within the constraints earns more
    int iterations = 0;               ///< bisection steps
    std::size_t core_clients = 0;
    std::size_t core_nodes = 0;
    bool core_complete = true;        ///< the core search finished within the node limit
};

Solution solve(const Instance& instance, const Constraints& constraints, const SolverOptions& options = {});

}  // namespace uplift::optimize
