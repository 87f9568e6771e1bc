#include "uplift/optimize/baselines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "uplift/core/random.hpp"

namespace uplift::optimize {

namespace {

/// Walks a list of (client, offer) until the budget or the contact limit runs out.
class ListWalk {
public:
    ListWalk(const Instance& in, const Constraints& c)
        : in_(in), budget_(usable_budget(c.budget)),
          limit_(c.max_contacts.value_or(std::numeric_limits<std::size_t>::max())) {}

    /// False once the list must stop.
    bool offer(std::size_t i, std::size_t k) {
        if (totals_.contacts >= limit_) return false;
        const double s = in_.spend(i, k);
        if (spent_ + s > budget_) return false;
        spent_ += s;
        add_option(totals_, in_, i, k);
        return true;
    }
    const Totals& totals() const noexcept { return totals_; }

private:
    const Instance& in_;
    long double budget_;
    std::size_t limit_;
    long double spent_ = 0;
    Totals totals_;
};

Totals everyone(const Instance& in, const Constraints& c) {
    ListWalk walk(in, c);
    for (std::size_t i = 0; i < in.clients && walk.offer(i, 0); ++i) {
    }
    return walk.totals();
}

/// One random walk: clients in random order (a lazily drawn Fisher–Yates prefix over `order`, undone
/// afterwards so the array is the identity again), each a uniformly random offer.
Totals random_walk(const Instance& in, const Constraints& c, Rng rng, std::vector<std::uint32_t>& order) {
    if (order.size() != in.clients) {
        order.resize(in.clients);
        std::iota(order.begin(), order.end(), 0u);
    }
    ListWalk walk(in, c);
    std::vector<std::size_t> swapped_with;
    for (std::size_t t = 0; t < in.clients; ++t) {
        const std::size_t j = t + static_cast<std::size_t>(rng.below(in.clients - t));
        std::swap(order[t], order[j]);
        swapped_with.push_back(j);
        if (!walk.offer(order[t], static_cast<std::size_t>(rng.below(in.num_offers())))) break;
    }
    for (std::size_t t = swapped_with.size(); t-- > 0;) std::swap(order[t], order[swapped_with[t]]);
    return walk.totals();
}

/// Runs repeat r = 0..repeats−1 as work(r, scratch) on several threads; each repeat writes only its own
/// result, so the outcome does not depend on the thread count.
template <class Work>
void run_repeats(int repeats, int threads, const Work& work) {
    const auto count = static_cast<std::size_t>(std::max(repeats, 0));
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t workers = std::min(count, threads > 0 ? static_cast<std::size_t>(threads) : hardware);
    std::atomic<std::size_t> next{0};
    const auto loop = [&] {
        std::vector<std::uint32_t> order;
        for (std::size_t r = next++; r < count; r = next++) work(r, order);
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(loop);
    loop();
    for (auto& thread : pool) thread.join();
}

/// Repeat r always draws from its own generator, seeded from the seed and r.
Rng repeat_rng(std::uint64_t seed, std::size_t r) { return Rng(seed + 0x9E3779B97F4A7C15ull * (r + 1)); }

/// The mean over repeats, taken in repeat order (contacts rounded to the nearest integer).
template <class Get>
Totals mean_of(std::size_t runs, int repeats, const Get& get) {
    long double contacts = 0, spend = 0, conversions = 0, revenue = 0, profit = 0;
    for (std::size_t r = 0; r < runs; ++r) {
        const Totals& t = get(r);
        contacts += t.contacts;
        spend += t.spend;
        conversions += t.conversions;
        revenue += t.revenue;
        profit += t.profit;
    }
    const long double n = std::max(repeats, 1);
    return Totals{static_cast<std::size_t>(std::llround(static_cast<double>(contacts / n))),
                  static_cast<double>(spend / n), static_cast<double>(conversions / n),
                  static_cast<double>(revenue / n), static_cast<double>(profit / n)};
}

Totals random_selection(const Instance& in, const Constraints& c, std::uint64_t seed, int repeats, int threads) {
    std::vector<Totals> runs(static_cast<std::size_t>(std::max(repeats, 0)));
    run_repeats(repeats, threads, [&](std::size_t r, std::vector<std::uint32_t>& order) {
        runs[r] = random_walk(in, c, repeat_rng(seed, r), order);
    });
    return mean_of(runs.size(), repeats, [&](std::size_t r) -> const Totals& { return runs[r]; });
}

struct Entry {
    double pt;
    std::size_t client;
    std::size_t k;
};

/// The best `head` clients by their highest p_t (ties: file order), best first, each with that offer. The head
/// of a longer list starts with the same entries: the order is strict.
std::vector<Entry> response_head(const Instance& in, std::size_t head) {
    const std::size_t k_count = in.num_offers();
    const auto before = [](const Entry& a, const Entry& b) {
        if (a.pt != b.pt) return a.pt > b.pt;
        return a.client < b.client;
    };
    // A heap whose top is the worst kept.
    std::vector<Entry> top;
    top.reserve(head);
    for (std::size_t i = 0; i < in.clients; ++i) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < k_count; ++k) {
            if (in.pt[i * k_count + k] > in.pt[i * k_count + best]) best = k;
        }
        const Entry e{in.pt[i * k_count + best], i, best};
        if (top.size() < head) {
            top.push_back(e);
            std::push_heap(top.begin(), top.end(), before);
        } else if (before(e, top.front())) {
            std::pop_heap(top.begin(), top.end(), before);
            top.back() = e;
            std::push_heap(top.begin(), top.end(), before);
        }
    }
    std::sort_heap(top.begin(), top.end(), before);
    return top;
}

Totals response_model(const Instance& in, const Constraints& c) {
    // The budget usually runs out near the top of the list: keep only the best `head` clients, and double the
    // head in the rare case the walk reaches its end.
    for (std::size_t head = std::min<std::size_t>(in.clients, 1 << 16);; head = std::min(in.clients, head * 2)) {
        const std::vector<Entry> top = response_head(in, head);
        ListWalk walk(in, c);
        std::size_t walked = 0;
        while (walked < top.size() && walk.offer(top[walked].client, top[walked].k)) ++walked;
        if (walked < top.size() || head == in.clients) return walk.totals();
    }
}

// ---- Every budget in one walk -------------------------------------------------------------------------------

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
    run_repeats(repeats, threads, [&](std::size_t r, std::vector<std::uint32_t>& order) {
        runs[r] = random_walk_at(in, c, budgets, repeat_rng(seed, r), order);
    });
    std::vector<Totals> mean(budgets.size());
    for (std::size_t b = 0; b < budgets.size(); ++b) {
        mean[b] = mean_of(runs.size(), repeats, [&](std::size_t r) -> const Totals& { return runs[r][b]; });
    }
    return mean;
}

/// Client i's best offer by p_t (the first of equal ones), as response_head picks it.
Entry best_entry(const Instance& in, std::size_t i) {
    const std::size_t k_count = in.num_offers();
    std::size_t best = 0;
    for (std::size_t k = 1; k < k_count; ++k) {
        if (in.pt[i * k_count + k] > in.pt[i * k_count + best]) best = k;
    }
    return Entry{in.pt[i * k_count + best], i, best};
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
        const double pt = best_entry(in, i).pt;
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
        const Entry e = best_entry(in, i);
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
            const Entry e = best_entry(in, i);
            if (bin_of(e.pt) >= first_bin) top.push_back(e);
        }
        std::sort(top.begin(), top.end(), [](const Entry& a, const Entry& b) {
            if (a.pt != b.pt) return a.pt > b.pt;
            return a.client < b.client;
        });
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

std::string everyone_description(const Instance& in) {
    return fmt::format("offer '{}' to every client in file order until the budget runs out", in.offers.front().level);
}

std::string random_description(int random_repeats, std::uint64_t seed) {
    return fmt::format("random clients, each a random offer, until the budget runs out; mean of {} draws (seed {})",
                       random_repeats, seed);
}

std::string response_model_description(const Instance& in) {
    return in.binary() ? "clients by purchase probability with the offer (p_t), highest first, each the offer with "
                         "the highest p_t, until the budget runs out"
                       : "clients by expected spend with the offer (p_t), highest first, each the offer with the "
                         "highest p_t, until the budget runs out";
}

Baselines compute_baselines(const Instance& in, const Constraints& c, std::uint64_t seed, int random_repeats,
                            int threads) {
    Baselines b;
    b.everyone = {everyone(in, c), everyone_description(in)};
    b.random = {random_selection(in, c, seed, random_repeats, threads), random_description(random_repeats, seed)};
    b.response_model = {response_model(in, c), response_model_description(in)};
    return b;
}

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
