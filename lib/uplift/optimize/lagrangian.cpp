// Step 1 of solve(): the Lagrangian relaxation, its multiplier found by bisection.
//
// For a price λ ≥ 0 on spend, the dual function g(λ) = λ·B + Σ_i max(0, max_k Δ_ik − λ·s_ik) bounds every
// feasible plan from above, and it is convex in λ with subgradient B − S(λ), S being the spend of the
// clients' argmax choices. Bisection on the sign of B − S(λ) therefore walks to the λ minimising g.
//
// A client's value max(0, max_k Δ_k − λ·s_k) is the upper envelope of K+1 lines in λ, on which each line
// holds one interval. So a client with the same choice at both ends of the bracket [lo, hi] keeps it
// everywhere inside: only the others ("active") are priced again, and the work shrinks with the bracket.
//
// Under --max-contacts N the contact multiplier is minimised exactly for each λ by keeping the N best
// clients (the N+1-th value is the optimal contact price), so g stays a valid, convex bound; that case
// prices every client at each step.

#include <algorithm>
#include <functional>
#include <limits>

#include "uplift/core/errors.hpp"
#include "uplift/optimize/parallel.hpp"
#include "uplift/optimize/solver_steps.hpp"

namespace uplift::optimize::detail {

namespace {

/// Sums over a selection: Σ Δ, Σ s and the count, so that its value at any λ is profit − λ·spend.
struct Sums {
    long double profit = 0;
    long double spend = 0;
    std::size_t contacts = 0;

    void add(const Sums& o) {
        profit += o.profit;
        spend += o.spend;
        contacts += o.contacts;
    }
    long double value(double lambda) const { return profit - static_cast<long double>(lambda) * spend; }
};

class Pricer {
public:
    Pricer(const Instance& in, const Constraints& c)
        : in_(in), k_(in.num_offers()), has_min_roi_(c.min_roi.has_value()), min_roi_(c.min_roi.value_or(0.0)) {}

    /// Client i's best offer at price λ, or no_offer when nothing beats 0. Branch-free (selects by
    /// arithmetic): with random scores the comparisons are unpredictable and mispredictions would dominate.
    /// An offer with Δ ≤ 0 has Δ − λ·s ≤ 0 for λ, s ≥ 0, so it can never win and needs no test.
    int best(std::size_t i, double lambda) const noexcept {
        const double p0 = in_.p0[i];
        const double scale = in_.scale_of(i);
        const double* pt = in_.pt.data() + i * k_;
        int arg = -1;
        double top = 0;
        for (std::size_t k = 0; k < k_; ++k) {
            const OptionValue o = evaluate_terms(p0, pt[k], scale, in_.terms[k], in_.margin);
            double v = o.profit - lambda * o.spend;
            if (has_min_roi_) v *= static_cast<double>(o.profit >= min_roi_ * o.spend);
            const int better = static_cast<int>(v > top);
            arg += better * (static_cast<int>(k) - arg);
            top = std::max(v, top);
        }
        return arg;
    }

    double profit(std::size_t i, int k) const noexcept { return in_.profit(i, static_cast<std::size_t>(k)); }
    double spend(std::size_t i, int k) const noexcept { return in_.spend(i, static_cast<std::size_t>(k)); }

    /// The largest profit/spend of any offer that may be chosen: above it only spend-free offers stay positive.
    double max_ratio(int threads) const {
        std::vector<double> part(chunk_count(in_.clients), 0.0);
        for_each_chunk(in_.clients, threads, [&](std::size_t b, std::size_t e, std::size_t chunk) {
            double m = 0;
            for (std::size_t i = b; i < e; ++i) {
                for (std::size_t k = 0; k < k_; ++k) {
                    const OptionValue o = in_.option(i, k);
                    const bool positive = o.spend > 0;
                    double ratio = o.profit / (positive ? o.spend : 1.0) * static_cast<double>(positive);
                    if (has_min_roi_) ratio *= static_cast<double>(o.profit >= min_roi_ * o.spend);
                    m = std::max(m, ratio);
                }
            }
            part[chunk] = m;
        });
        return part.empty() ? 0.0 : *std::max_element(part.begin(), part.end());
    }

    /// Spend of the argmax choices of every `stride`-th client at λ, scaled by the stride: a cheap estimate.
    long double sampled_spend(double lambda, std::size_t stride) const {
        long double spend = 0;
        for (std::size_t i = 0; i < in_.clients; i += stride) {
            const int k = best(i, lambda);
            if (k >= 0) spend += in_.spend(i, static_cast<std::size_t>(k));
        }
        return spend * static_cast<long double>(stride);
    }

private:
    const Instance& in_;
    std::size_t k_;
    bool has_min_roi_;
    double min_roi_;
};

/// Prices the clients `who` (all when empty and `all`) at λ into `out`, returning their sums. Partial sums
/// per fixed chunk, added in chunk order: the same bits for any thread count.
Sums price(const Pricer& pricer, double lambda, std::size_t count, const std::uint32_t* who, std::int8_t* out,
           int threads) {
    std::vector<Sums> part(chunk_count(count));
    for_each_chunk(count, threads, [&](std::size_t b, std::size_t e, std::size_t chunk) {
        double profit = 0;
        double spend = 0;
        std::size_t contacts = 0;
        for (std::size_t j = b; j < e; ++j) {
            const std::size_t i = who != nullptr ? who[j] : j;
            const int k = pricer.best(i, lambda);
            out[j] = static_cast<std::int8_t>(k);
            if (k < 0) continue;
            profit += pricer.profit(i, k);
            spend += pricer.spend(i, k);
            ++contacts;
        }
        part[chunk] = Sums{profit, spend, contacts};
    });
    Sums total;
    for (const auto& p : part) total.add(p);
    return total;
}

/// The N clients of highest value at λ (ties: lowest index), from the argmax choices in `choice`.
Sums keep_top(const Pricer& pricer, double lambda, std::size_t n_max, std::vector<std::int8_t>& choice) {
    std::vector<double> positive;
    for (std::size_t i = 0; i < choice.size(); ++i) {
        if (choice[i] >= 0) positive.push_back(pricer.profit(i, choice[i]) - lambda * pricer.spend(i, choice[i]));
    }
    double threshold = -std::numeric_limits<double>::infinity();
    std::size_t ties_allowed = positive.size();
    if (positive.size() > n_max) {
        if (n_max == 0) {
            threshold = std::numeric_limits<double>::infinity();
            ties_allowed = 0;
        } else {
            std::nth_element(positive.begin(), positive.begin() + static_cast<std::ptrdiff_t>(n_max - 1),
                             positive.end(), std::greater<>());
            threshold = positive[n_max - 1];
            const auto above = static_cast<std::size_t>(
                std::count_if(positive.begin(), positive.end(), [&](double v) { return v > threshold; }));
            ties_allowed = n_max - above;
        }
    }
    Sums total;
    for (std::size_t i = 0; i < choice.size(); ++i) {
        if (choice[i] < 0) continue;
        const double v = pricer.profit(i, choice[i]) - lambda * pricer.spend(i, choice[i]);
        bool keep = v >= threshold;
        if (keep && v == threshold) {
            keep = ties_allowed > 0;
            if (keep) --ties_allowed;
        }
        if (!keep) {
            choice[i] = -1;
            continue;
        }
        total.add(Sums{pricer.profit(i, choice[i]), pricer.spend(i, choice[i]), 1});
    }
    return total;
}

/// Bisection pricing every client at each step (the contact-limited case).
Relaxation bisect_all(const Pricer& pricer, std::size_t n_max, std::size_t clients, double budget, int threads,
                      std::vector<std::int8_t>& choice) {
    const auto evaluate = [&](double lambda) {
        price(pricer, lambda, clients, nullptr, choice.data(), threads);
        return keep_top(pricer, lambda, n_max, choice);
    };
    Relaxation r;
    const Sums at_zero = evaluate(0.0);
    r.upper_bound = static_cast<double>(at_zero.profit);
    if (at_zero.spend <= budget) return r;
    double lo = 0;
    double hi = pricer.max_ratio(threads) * (1 + 1e-9);  // covers p − (p/s)·s rounding a hair above 0
    Sums at_hi = evaluate(hi);
    for (int guard = 0; at_hi.spend > budget && guard < 64; ++guard) at_hi = evaluate(hi *= 2);
    r.upper_bound = std::min(r.upper_bound, static_cast<double>(hi * budget + at_hi.value(hi)));
    // Every step prices all clients here, so stop at a relative width of 1e-7: the clients still undecided
    // sit within a hair of the boundary, where the greedy fill and the exact core take over.
    for (; r.iterations < 200; ++r.iterations) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi || hi - lo <= 1e-7 * hi) break;
        const Sums s = evaluate(mid);
        r.upper_bound = std::min(r.upper_bound, static_cast<double>(mid * budget + s.value(mid)));
        (s.spend > budget ? lo : hi) = mid;
    }
    r.lambda = hi;
    evaluate(hi);
    return r;
}

/// Bisection re-pricing only the clients whose choice differs between the bracket's ends.
Relaxation bisect_active(const Pricer& pricer, std::size_t clients, double budget, int threads,
                         std::vector<std::int8_t>& choice) {
    Relaxation r;
    std::vector<std::int8_t>& at_hi = choice;  // ends as the plan: the selection at the feasible end
    std::vector<std::int8_t> at_lo(clients);
    std::vector<std::int8_t> scratch(clients);
    const Sums zero = price(pricer, 0.0, clients, nullptr, at_lo.data(), threads);
    r.upper_bound = static_cast<double>(zero.profit);
    if (zero.spend <= budget) {
        choice = std::move(at_lo);
        return r;
    }
    double lo = 0;
    double hi = pricer.max_ratio(threads) * (1 + 1e-9);  // covers p − (p/s)·s rounding a hair above 0
    bool hi_priced = false;
    // Prices every client at λ (lo < λ < hi) and makes λ the end of the bracket it belongs to.
    const auto probe = [&](double lambda) {
        const Sums s = price(pricer, lambda, clients, nullptr, scratch.data(), threads);
        r.upper_bound = std::min(r.upper_bound, static_cast<double>(lambda * budget + s.value(lambda)));
        const bool feasible = s.spend <= budget;
        (feasible ? hi : lo) = lambda;
        std::swap(feasible ? at_hi : at_lo, scratch);
        hi_priced = hi_priced || feasible;
        return feasible;
    };
    // A bracket of ±2% around λ estimated on a sample leaves few clients to re-price; the ends are checked
    // on every client, so a poor estimate costs time, never correctness.
    const std::size_t stride = clients / 65536;
    if (stride > 1) {
        double sample_lo = lo;
        double sample_hi = hi;
        for (int step = 0; step < 40; ++step) {
            const double mid = sample_lo + (sample_hi - sample_lo) / 2;
            (pricer.sampled_spend(mid, stride) > budget ? sample_lo : sample_hi) = mid;
        }
        const double estimate = sample_lo + (sample_hi - sample_lo) / 2;
        if (estimate * 1.02 > lo && estimate * 1.02 < hi) probe(estimate * 1.02);
        if (estimate * 0.98 > lo && estimate * 0.98 < hi) probe(estimate * 0.98);
    }
    for (int guard = 0; !hi_priced && guard < 64; ++guard) {
        const double top = hi;
        hi = top * 2 + 1;  // probe() expects lo < λ < hi
        probe(top);
    }
    if (!hi_priced) throw InternalError("optimize: no price on spend keeps the plan within the budget");

    Sums fixed;
    std::vector<std::uint32_t> active;
    for (std::size_t i = 0; i < clients; ++i) {
        if (at_lo[i] != at_hi[i]) {
            active.push_back(static_cast<std::uint32_t>(i));
        } else if (at_hi[i] >= 0) {
            fixed.add(Sums{pricer.profit(i, at_hi[i]), pricer.spend(i, at_hi[i]), 1});
        }
    }
    scratch = {};
    std::vector<std::int8_t> mid_choice;
    for (; r.iterations < 200 && !active.empty(); ++r.iterations) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi || hi - lo <= 1e-13 * hi) break;
        mid_choice.resize(active.size());
        Sums s = price(pricer, mid, active.size(), active.data(), mid_choice.data(), threads);
        s.add(fixed);
        r.upper_bound = std::min(r.upper_bound, static_cast<double>(mid * budget + s.value(mid)));
        const bool too_much = s.spend > budget;
        (too_much ? lo : hi) = mid;
        std::vector<std::int8_t>& end = too_much ? at_lo : at_hi;
        std::size_t kept = 0;
        for (std::size_t j = 0; j < active.size(); ++j) {
            const std::uint32_t i = active[j];
            end[i] = mid_choice[j];
            if (at_lo[i] != at_hi[i]) {
                active[kept++] = i;
            } else if (at_hi[i] >= 0) {
                fixed.add(Sums{pricer.profit(i, at_hi[i]), pricer.spend(i, at_hi[i]), 1});
            }
        }
        active.resize(kept);
    }
    r.lambda = hi;
    return r;
}

}  // namespace

Relaxation solve_relaxation(const Instance& in, const Constraints& c, double budget, int threads,
                            std::vector<std::int8_t>& choice) {
    if (in.clients > std::numeric_limits<std::uint32_t>::max()) {
        throw UsageError("optimize supports at most 4,294,967,295 clients");
    }
    const Pricer pricer(in, c);
    choice.assign(in.clients, -1);
    if (c.max_contacts) return bisect_all(pricer, *c.max_contacts, in.clients, budget, threads, choice);
    return bisect_active(pricer, in.clients, budget, threads, choice);
}

Usage usage_of(const Instance& in, const std::vector<std::int8_t>& choice) {
    Usage u;
    for (std::size_t i = 0; i < in.clients; ++i) {
        if (choice[i] < 0) continue;
        u.spend += in.spend(i, static_cast<std::size_t>(choice[i]));
        ++u.contacts;
    }
    return u;
}

}  // namespace uplift::optimize::detail
