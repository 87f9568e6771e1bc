// The baselines at many budgets with one walk per list ordering (see baselines.hpp and docs/optimize.md).

#include <algorithm>
#include <limits>
#include <numeric>
#include <span>

#include "uplift/optimize/baseline_walks.hpp"
#include "uplift/optimize/baselines.hpp"

namespace uplift::optimize {

namespace {

using detail::Entry;

/// ListWalk for several budgets at once. `budgets` are usable budgets in ascending order. A budget's totals are
/// recorded where ListWalk with that budget would stop: at the first offer that no longer fits it, or at the
/// contact limit. The sums are the same additions in the same order, so the totals are identical.
class MultiWalk {
public:
    MultiWalk(const Instance& in, const Constraints& c, std::span<const long double> budgets)
        : in_(in), budgets_(budgets),
          limit_(c.max_contacts.value_or(std::numeric_limits<std::size_t>::max())) {
        recorded_.reserve(budgets.size());
    }

    /// False once every budget has stopped.
    bool offer(std::size_t i, std::size_t k) {
        if (recorded_.size() == budgets_.size()) return false;
        if (totals_.contacts >= limit_) {
            finish();
            return false;
        }
        const OptionValue v = in_.option(i, k);  // once: spend and totals from the same evaluation
        const double s = v.spend;
        while (recorded_.size() < budgets_.size() && spent_ + s > budgets_[recorded_.size()]) {
            recorded_.push_back(totals_);
        }
        if (recorded_.size() == budgets_.size()) return false;
        spent_ += s;
        add_value(totals_, v);
        return true;
    }
    /// The end of the list: every budget not yet stopped stops here.
    void finish() {
        while (recorded_.size() < budgets_.size()) recorded_.push_back(totals_);
    }
    bool done() const noexcept { return recorded_.size() == budgets_.size(); }
    /// One per budget, in the ascending order given; call finish() first.
    std::vector<Totals>& recorded() noexcept { return recorded_; }

private:
    const Instance& in_;
    std::span<const long double> budgets_;
    std::size_t limit_;
    long double spent_ = 0;
    Totals totals_;
    std::vector<Totals> recorded_;
};

std::vector<Totals> everyone_at(const Instance& in, const Constraints& c, std::span<const long double> budgets) {
    MultiWalk walk(in, c, budgets);
    for (std::size_t i = 0; i < in.clients && walk.offer(i, 0); ++i) {
    }
    walk.finish();
    return std::move(walk.recorded());
}

/// random_walk to the largest budget: the same draws in the same order (position, then offer, step after
/// step), whatever the budget. The walk is memory-bound (a random client's p0, pt and basket each step), so
/// steps go in batches: draw a batch, prefetch, swap, prefetch the clients' data, then walk it. Swaps made
/// past the stop are undone with the rest. A long walk re-fills `order` instead of undoing its swaps.
std::vector<Totals> random_walk_at(const Instance& in, const Constraints& c, std::span<const long double> budgets,
                                   Rng rng, std::vector<std::uint32_t>& order) {
    if (order.size() != in.clients) {
        order.resize(in.clients);
        std::iota(order.begin(), order.end(), 0u);
    }
    MultiWalk walk(in, c, budgets);
    const std::size_t k_count = in.num_offers();
    const std::size_t undo_limit = in.clients / 8;
    std::vector<std::uint32_t> swapped_with;
    bool refill = false;
    // Prefetches run `ahead` steps in front of their use within each stage of a batch.
    constexpr std::size_t batch = 128;
    constexpr std::size_t ahead = 16;
    std::size_t pick[batch];
    std::size_t offer[batch];
    std::size_t client[batch];
    const auto prefetch_client = [&](std::size_t b) {
        __builtin_prefetch(&in.p0[client[b]]);
        __builtin_prefetch(&in.pt[client[b] * k_count + offer[b]]);
        if (in.basket.size() > 1) __builtin_prefetch(&in.basket[client[b]]);
    };
    for (std::size_t t = 0; t < in.clients && !walk.done();) {
        const std::size_t m = std::min(batch, in.clients - t);
        for (std::size_t b = 0; b < m; ++b) {
            pick[b] = t + b + static_cast<std::size_t>(rng.below(in.clients - t - b));
            offer[b] = static_cast<std::size_t>(rng.below(k_count));
        }
        for (std::size_t b = 0; b < std::min(ahead, m); ++b) __builtin_prefetch(&order[pick[b]]);
        for (std::size_t b = 0; b < m; ++b) {
            if (b + ahead < m) __builtin_prefetch(&order[pick[b + ahead]]);
            std::swap(order[t + b], order[pick[b]]);
            if (!refill) {
                if (swapped_with.size() < undo_limit) {
                    swapped_with.push_back(static_cast<std::uint32_t>(pick[b]));
                } else {
                    refill = true;
                }
            }
            client[b] = order[t + b];  // later swaps of the batch touch only later positions
        }
        for (std::size_t b = 0; b < std::min(ahead, m); ++b) prefetch_client(b);
        for (std::size_t b = 0; b < m; ++b) {
            if (b + ahead < m) prefetch_client(b + ahead);
            if (!walk.offer(client[b], offer[b])) break;
        }
        t += m;
    }
    if (refill) {
        std::iota(order.begin(), order.end(), 0u);
    } else {
        for (std::size_t t = swapped_with.size(); t-- > 0;) std::swap(order[t], order[swapped_with[t]]);
    }
    walk.finish();
    return std::move(walk.recorded());
}

std::vector<Totals> random_selection_at(const Instance& in, const Constraints& c,
                                        std::span<const long double> budgets, std::uint64_t seed, int repeats,
                                        int threads) {
    std::vector<std::vector<Totals>> runs(static_cast<std::size_t>(std::max(repeats, 0)));
    detail::run_repeats(repeats, threads, [&](std::size_t r, std::vector<std::uint32_t>& order) {
        runs[r] = random_walk_at(in, c, budgets, detail::repeat_rng(seed, r), order);
    });
    std::vector<Totals> mean(budgets.size());
    for (std::size_t b = 0; b < budgets.size(); ++b) {
        mean[b] = detail::mean_of(runs.size(), repeats, [&](std::size_t r) -> const Totals& { return runs[r][b]; });
    }
    return mean;
}

/// The response list up to the largest budget. The list can reach far down at the top of the budget curve
/// (a fifth of 10 million clients), where keeping a heap of the head is slow. Instead: a histogram of the
/// clients' best p_t with the spend in each bin finds the highest bins whose clients cost more than the
/// largest budget (or outnumber the contact limit), so the walk must stop among them; only those clients are
/// sorted. Bins are monotone in p_t, so they are exactly the head of the full list. Should rounding leave the
/// walk unfinished, the whole list is taken.
std::vector<Totals> response_model_at(const Instance& in, const Constraints& c, std::span<const long double> budgets) {
    MultiWalk none(in, c, budgets);
    if (in.clients == 0 || budgets.empty()) {
        none.finish();
        return std::move(none.recorded());
    }
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < in.clients; ++i) {
        const double pt = detail::best_entry(in, i).pt;
        low = std::min(low, pt);
        high = std::max(high, pt);
    }
    constexpr std::size_t bins = 1 << 16;
    const double scale = high > low ? static_cast<double>(bins) / (high - low) : 0.0;
    const auto bin_of = [&](double pt) {
        return std::min(bins - 1, static_cast<std::size_t>((pt - low) * scale));
    };
    std::vector<long double> bin_spend(bins, 0.0L);
    std::vector<std::size_t> bin_count(bins, 0);
    for (std::size_t i = 0; i < in.clients; ++i) {
        const Entry e = detail::best_entry(in, i);
        const std::size_t b = bin_of(e.pt);
        bin_spend[b] += in.spend(i, e.k);
        ++bin_count[b];
    }
    const long double largest = budgets.back();
    const std::size_t limit = c.max_contacts.value_or(std::numeric_limits<std::size_t>::max());
    std::size_t first_bin = 0;  // take bins first_bin..bins-1
    long double spend = 0;
    std::size_t count = 0;
    for (std::size_t b = bins; b-- > 0;) {
        spend += bin_spend[b];
        count += bin_count[b];
        // A margin for the different order of summation; the fallback below covers the rest.
        if (spend > largest * (1 + 1e-9L) + 1e-9L || count > limit) {
            first_bin = b;
            break;
        }
    }
    for (;;) {
        std::vector<Entry> top;
        for (std::size_t i = 0; i < in.clients; ++i) {
            const Entry e = detail::best_entry(in, i);
            if (bin_of(e.pt) >= first_bin) top.push_back(e);
        }
        std::sort(top.begin(), top.end(), detail::before);
        MultiWalk walk(in, c, budgets);
        std::size_t walked = 0;
        while (walked < top.size() && walk.offer(top[walked].client, top[walked].k)) ++walked;
        if (walked < top.size() || top.size() == in.clients) {
            walk.finish();
            return std::move(walk.recorded());
        }
        first_bin = 0;
    }
}

}  // namespace

std::vector<BaselineTotals> compute_baselines_at(const Instance& in, const Constraints& c,
                                                 std::span<const double> budgets, std::uint64_t seed,
                                                 int random_repeats, int threads) {
    // Walk in ascending order of the usable budget (as ListWalk compares), then give results back in the
    // caller's order.
    std::vector<std::size_t> by_budget(budgets.size());
    std::iota(by_budget.begin(), by_budget.end(), std::size_t{0});
    std::stable_sort(by_budget.begin(), by_budget.end(),
                     [&](std::size_t a, std::size_t b) { return usable_budget(budgets[a]) < usable_budget(budgets[b]); });
    std::vector<long double> sorted(budgets.size());
    for (std::size_t r = 0; r < by_budget.size(); ++r) sorted[r] = usable_budget(budgets[by_budget[r]]);

    const auto everyone_totals = everyone_at(in, c, sorted);
    const auto random_totals = random_selection_at(in, c, sorted, seed, random_repeats, threads);
    const auto response_totals = response_model_at(in, c, sorted);
    std::vector<BaselineTotals> out(budgets.size());
    for (std::size_t r = 0; r < by_budget.size(); ++r) {
        out[by_budget[r]] = BaselineTotals{everyone_totals[r], random_totals[r], response_totals[r]};
    }
    return out;
}

}  // namespace uplift::optimize
