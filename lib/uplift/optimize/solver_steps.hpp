#pragma once
// The steps of solve(), each in its own file; internal to the optimize module.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"

namespace uplift::optimize::detail {

struct Usage {
    long double spend = 0;
    std::size_t contacts = 0;
};
Usage usage_of(const Instance& in, const std::vector<std::int8_t>& choice);

struct Relaxation {
    double lambda = 0;
    double upper_bound = 0;
    int iterations = 0;
};
/// Bisection on λ against `budget`. Writes the selection at the final (feasible) λ into `choice`.
Relaxation solve_relaxation(const Instance& in, const Constraints& c, double budget, int threads,
                            std::vector<std::int8_t>& choice);

/// Spends what is left of `budget` on the moves (new client, or a better offer for a client) with the
/// most profit per extra spend. Profit never falls.
void greedy_fill(const Instance& in, const Constraints& c, double budget, std::vector<std::int8_t>& choice,
                 int threads);

/// --allow-negative: gives clients still without an offer their least-bad one while budget and contacts last.
void fill_negative(const Instance& in, const Constraints& c, double budget, std::vector<std::int8_t>& choice);

struct CoreResult {
    std::size_t clients = 0;
    std::size_t nodes = 0;
    bool complete = true;
};
/// Re-solves exactly, by branch and bound, the `core_size` clients closest to the decision boundary at λ.
CoreResult improve_core(const Instance& in, const Constraints& c, double budget, double lambda, std::size_t core_size,
                        std::size_t node_limit, std::vector<std::int8_t>& choice, int threads);

}  // namespace uplift::optimize::detail
