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

/// Repeats run on several threads; repeat r always draws from its own generator (seeded from the seed and
/// r) and the mean is taken in repeat order, so the result does not depend on the thread count.
Totals random_selection(const Instance& in, const Constraints& c, std::uint64_t seed, int repeats, int threads) {
    std::vector<Totals> runs(static_cast<std::size_t>(std::max(repeats, 0)));
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t workers =
        std::min(runs.size(), threads > 0 ? static_cast<std::size_t>(threads) : hardware);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        std::vector<std::uint32_t> order;
        for (std::size_t r = next++; r < runs.size(); r = next++) {
            runs[r] = random_walk(in, c, Rng(seed + 0x9E3779B97F4A7C15ull * (r + 1)), order);
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();

    long double contacts = 0, spend = 0, conversions = 0, revenue = 0, profit = 0;
    for (const Totals& t : runs) {
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

Totals response_model(const Instance& in, const Constraints& c) {
    const std::size_t k_count = in.num_offers();
    struct Entry {
        double pt;
        std::size_t client;
        std::size_t k;
    };
    const auto before = [](const Entry& a, const Entry& b) {
        if (a.pt != b.pt) return a.pt > b.pt;
        return a.client < b.client;
    };
    // The budget usually runs out near the top of the list: keep only the best `head` clients (a heap whose
    // top is the worst kept), and double the head in the rare case the walk reaches its end.
    for (std::size_t head = std::min<std::size_t>(in.clients, 1 << 16);; head = std::min(in.clients, head * 2)) {
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
        ListWalk walk(in, c);
        std::size_t walked = 0;
        while (walked < top.size() && walk.offer(top[walked].client, top[walked].k)) ++walked;
        if (walked < top.size() || head == in.clients) return walk.totals();
    }
}

}  // namespace

Baselines compute_baselines(const Instance& in, const Constraints& c, std::uint64_t seed, int random_repeats,
                            int threads) {
    Baselines b;
    const std::string& first = in.offers.front().level;
    b.everyone = {everyone(in, c), fmt::format("offer '{}' to every client in file order until the budget runs out",
                                               first)};
    b.random = {random_selection(in, c, seed, random_repeats, threads),
                fmt::format("random clients, each a random offer, until the budget runs out; mean of {} draws "
                            "(seed {})",
                            random_repeats, seed)};
    b.response_model = {response_model(in, c),
                        in.binary() ? "clients by purchase probability with the offer (p_t), highest first, each "
                                      "the offer with the highest p_t, until the budget runs out"
                                    : "clients by expected spend with the offer (p_t), highest first, each the offer "
                                      "with the highest p_t, until the budget runs out"};
    return b;
}

}  // namespace uplift::optimize
