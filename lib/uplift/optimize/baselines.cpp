#include "uplift/optimize/baselines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "uplift/core/random.hpp"
#include "uplift/optimize/baseline_walks.hpp"

namespace uplift::optimize {

namespace {

using detail::before;
using detail::best_entry;
using detail::Entry;
using detail::mean_of;
using detail::repeat_rng;
using detail::run_repeats;

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

Totals random_selection(const Instance& in, const Constraints& c, std::uint64_t seed, int repeats, int threads) {
    std::vector<Totals> runs(static_cast<std::size_t>(std::max(repeats, 0)));
    run_repeats(repeats, threads, [&](std::size_t r, std::vector<std::uint32_t>& order) {
        runs[r] = random_walk(in, c, repeat_rng(seed, r), order);
    });
    return mean_of(runs.size(), repeats, [&](std::size_t r) -> const Totals& { return runs[r]; });
}

/// The best `head` clients by their highest p_t (ties: file order), best first, each with that offer. The head
/// of a longer list starts with the same entries: the order is strict.
std::vector<Entry> response_head(const Instance& in, std::size_t head) {
    // A heap whose top is the worst kept.
    std::vector<Entry> top;
    top.reserve(head);
    for (std::size_t i = 0; i < in.clients; ++i) {
        const Entry e = best_entry(in, i);
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

std::string everyone_unlimited_description(const Instance& in) {
    return fmt::format("offer '{}' to all {} clients, no budget limit", in.offers.front().level, in.clients);
}

Totals everyone_unlimited(const Instance& in) {
    Totals t;
    for (std::size_t i = 0; i < in.clients; ++i) add_option(t, in, i, 0);
    return t;
}

Baselines compute_baselines(const Instance& in, const Constraints& c, std::uint64_t seed, int random_repeats,
                            int threads) {
    Baselines b;
    b.everyone = {everyone(in, c), everyone_description(in)};
    b.random = {random_selection(in, c, seed, random_repeats, threads), random_description(random_repeats, seed)};
    b.response_model = {response_model(in, c), response_model_description(in)};
    return b;
}

}  // namespace uplift::optimize
