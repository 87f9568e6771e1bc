// Times uplift::optimize::optimize() — the plan, its budget curve and the three baselines — on N synthetic
// clients × 3 offers, without file I/O. Baselines: at the plan's budget alone (the reference walk) and at
// every curve budget in one walk per list (what optimize() runs); the total counts the latter. Prints the seconds of each stage on stderr and the total on stdout.
// Usage: bench_optimize [N=10000000] [threads=2] [random_repeats=20]

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "uplift/optimize/optimize.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    namespace opt = uplift::optimize;
    const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 10'000'000;
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    constexpr std::size_t k_count = 3;

    // Hillstrom-like rates: ~15% buy without an offer, offers add −2..+8 points; varied baskets.
    std::mt19937_64 rng(20240601);
    const auto unit = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    std::vector<double> p0(n), pt(n * k_count), basket(n);
    for (std::size_t i = 0; i < n; ++i) {
        p0[i] = 0.02 + 0.26 * unit();
        basket[i] = 20 + 120 * unit();
        for (std::size_t k = 0; k < k_count; ++k) pt[i * k_count + k] = p0[i] - 0.02 + 0.10 * unit();
    }
    opt::ResolvedEconomics economics;
    economics.offers = {opt::Offer{"discount10", opt::OfferKind::Percent, 0.10, "email", 0.1, {}},
                        opt::Offer{"coupon5", opt::OfferKind::Coupon, 5.0, "sms", 0.8, {}},
                        opt::Offer{"message", opt::OfferKind::Message, 0.0, "push", 0.02, {}}};
    economics.margin = 0.35;
    economics.flat_basket = 0;

    const auto t0 = std::chrono::steady_clock::now();
    const auto instance = opt::make_instance(std::move(p0), std::move(pt), std::move(basket), economics);
    const double t_instance = seconds_since(t0);

    opt::OptimizeOptions options;
    options.constraints.budget = 0.02 * static_cast<double>(n);  // binding: reaches a minority of clients
    options.solver.threads = threads;
    if (argc > 3) options.random_repeats = std::stoi(argv[3]);
    const auto t1 = std::chrono::steady_clock::now();
    const auto solution = opt::solve(instance, options.constraints, options.solver);
    const double t_solve = seconds_since(t1);
    const auto t2 = std::chrono::steady_clock::now();
    const auto summary = opt::summarize(instance, solution.choice);
    const auto curve = opt::budget_curve(instance, options.constraints, options.curve_points, threads);
    const double t_curve = seconds_since(t2);
    const auto t3 = std::chrono::steady_clock::now();
    const auto baselines =
        opt::compute_baselines(instance, options.constraints, options.seed, options.random_repeats, threads);
    const double t_baselines = seconds_since(t3);
    // What optimize() runs: the baselines at every curve budget and the plan's, one walk per list.
    std::vector<double> budgets;
    for (const auto& point : curve) budgets.push_back(point.budget);
    budgets.push_back(options.constraints.budget);
    const auto t4 = std::chrono::steady_clock::now();
    const auto along = opt::compute_baselines_at(instance, options.constraints, budgets, options.seed,
                                                 options.random_repeats, threads);
    const double t_along = seconds_since(t4);
    const double total = seconds_since(t0) - t_baselines;  // the single-budget run is for comparison only

    std::fprintf(stderr,
                 "clients %zu x %zu offers, %d threads: economics %.2f s, solve %.2f s (%d bisection steps, "
                 "gap %.4f%%), summary+curve %.2f s, baselines at the plan's budget %.2f s, at all %zu budgets "
                 "%.2f s (everyone at the top of the curve: %zu contacts)\n"
                 "plan: %zu contacts, spend %.0f of %.0f, profit %.0f (bound %.0f); everyone %.0f, random %.0f, "
                 "response %.0f\n",
                 n, k_count, threads, t_instance, t_solve, solution.iterations,
                 100.0 * (solution.upper_bound - summary.totals.profit) / solution.upper_bound, t_curve, t_baselines,
                 budgets.size(), t_along, along[along.size() - 2].everyone.contacts,
                 summary.totals.contacts, summary.totals.spend, options.constraints.budget, summary.totals.profit,
                 solution.upper_bound, baselines.everyone.totals.profit, baselines.random.totals.profit,
                 baselines.response_model.totals.profit);
    std::printf("%.3f\n", total);
    return 0;
}
