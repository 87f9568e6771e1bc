// Step 3 of solve(): the integer plan differs from the relaxation only around the boundary, where a
// client's best and second-best choices at λ are almost worth the same. Those clients (the "core", as in
// core algorithms for knapsack problems) are freed and re-assigned exactly by depth-first branch and
// bound within the budget the others leave. On small instances the core is every client, so the plan is
// the exact optimum there.

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

#include "uplift/optimize/parallel.hpp"
#include "uplift/optimize/solver_steps.hpp"

namespace uplift::optimize::detail {

namespace {

struct Option {
    std::int8_t k;
    double profit;
    double spend;
};

struct Search {
    std::vector<std::vector<Option>> options;  // per core client, most promising first
    std::vector<double> lagrangian_suffix;     // Σ over later clients of max(0, best Δ − λ·s)
    std::vector<double> profit_suffix;         // Σ over later clients of max(0, best Δ)
    double lambda = 0;
    std::size_t node_limit = 0;
    std::size_t nodes = 0;
    bool complete = true;
    std::vector<std::int8_t> current;
    std::vector<std::int8_t> best;
    double best_profit = 0;

    void run(std::size_t j, double budget_left, std::size_t contacts_left, double profit) {
        if (++nodes > node_limit) {
            complete = false;
            return;
        }
        const double tolerance = 1e-12 * std::max(1.0, std::abs(best_profit));
        if (j == options.size()) {
            if (profit > best_profit + tolerance) {
                best_profit = profit;
                best = current;
            }
            return;
        }
        // Two valid bounds on what the rest can add: the Lagrangian one and "every rest client at its best".
        const double rest = std::min(lambda * std::max(budget_left, 0.0) + lagrangian_suffix[j], profit_suffix[j]);
        if (profit + rest <= best_profit + tolerance) return;
        for (const Option& o : options[j]) {
            if (!complete) return;
            const bool contact = o.k >= 0;
            if (contact && (o.spend > budget_left || contacts_left == 0)) continue;
            current[j] = o.k;
            run(j + 1, budget_left - o.spend, contacts_left - (contact ? 1 : 0), profit + o.profit);
        }
    }
};

}  // namespace

CoreResult improve_core(const Instance& in, const Constraints& c, double budget, double lambda, std::size_t core_size,
                        std::size_t node_limit, std::vector<std::int8_t>& choice, int threads) {
    const std::size_t k_count = in.num_offers();
    const auto option_of = [&](std::size_t i, std::size_t k) {
        const OptionValue v = in.option(i, k);
        return Option{static_cast<std::int8_t>(k), v.profit, v.spend};
    };
    // The core_size clients with the smallest margin between their two best choices ("no offer" counts, at 0),
    // kept per fixed chunk and merged: the set of (margin, client) pairs is the same for any thread count.
    using Entry = std::pair<double, std::size_t>;
    std::vector<std::vector<Entry>> part(chunk_count(in.clients));
    for_each_chunk(in.clients, threads, [&](std::size_t b, std::size_t e, std::size_t chunk) {
        std::priority_queue<Entry> heap;  // largest margin on top, to be evicted
        for (std::size_t i = b; i < e && core_size > 0; ++i) {
            double first = 0;
            double second = -std::numeric_limits<double>::infinity();
            bool any = false;
            for (std::size_t k = 0; k < k_count; ++k) {
                const Option o = option_of(i, k);
                if (o.profit <= 0 || !eligible(o.profit, o.spend, c)) continue;
                any = true;
                const double v = o.profit - lambda * o.spend;
                second = std::max(second, std::min(first, v));
                first = std::max(first, v);
            }
            if (!any) continue;
            const Entry entry{first - second, i};  // "no offer" took part at value 0, so second is finite
            if (heap.size() < core_size) {
                heap.push(entry);
            } else if (entry < heap.top()) {
                heap.pop();
                heap.push(entry);
            }
        }
        for (; !heap.empty(); heap.pop()) part[chunk].push_back(heap.top());
    });
    std::vector<Entry> core;
    for (const auto& p : part) core.insert(core.end(), p.begin(), p.end());
    std::sort(core.begin(), core.end());
    if (core.size() > core_size) core.resize(core_size);

    CoreResult result;
    result.clients = core.size();
    if (core.empty()) return result;

    Usage used = usage_of(in, choice);
    Search s;
    s.lambda = lambda;
    s.node_limit = node_limit;
    s.options.resize(core.size());
    s.current.resize(core.size());
    for (std::size_t j = 0; j < core.size(); ++j) {
        const std::size_t i = core[j].second;
        if (choice[i] >= 0) {
            const Option o = option_of(i, static_cast<std::size_t>(choice[i]));
            used.spend -= o.spend;
            --used.contacts;
            s.best_profit += o.profit;
        }
        s.current[j] = choice[i];
        auto& opts = s.options[j];
        opts.push_back(Option{-1, 0.0, 0.0});
        for (std::size_t k = 0; k < k_count; ++k) {
            const Option o = option_of(i, k);
            if (o.profit > 0 && eligible(o.profit, o.spend, c)) opts.push_back(o);
        }
        std::stable_sort(opts.begin(), opts.end(), [&](const Option& a, const Option& b) {
            return a.profit - lambda * a.spend > b.profit - lambda * b.spend;
        });
    }
    s.best = s.current;  // the incumbent: the plan as it stands, feasible by construction
    s.lagrangian_suffix.assign(core.size() + 1, 0.0);
    s.profit_suffix.assign(core.size() + 1, 0.0);
    for (std::size_t j = core.size(); j-- > 0;) {
        double lag = 0;
        double pro = 0;
        for (const Option& o : s.options[j]) {
            lag = std::max(lag, o.profit - lambda * o.spend);
            pro = std::max(pro, o.profit);
        }
        s.lagrangian_suffix[j] = s.lagrangian_suffix[j + 1] + lag;
        s.profit_suffix[j] = s.profit_suffix[j + 1] + pro;
    }
    const std::size_t limit = c.max_contacts.value_or(std::numeric_limits<std::size_t>::max());
    const double budget_left = static_cast<double>(budget - used.spend);
    const std::size_t contacts_left = limit - std::min(limit, used.contacts);
    s.run(0, budget_left, contacts_left, 0.0);
    for (std::size_t j = 0; j < core.size(); ++j) choice[core[j].second] = s.best[j];
    result.nodes = s.nodes;
    result.complete = s.complete;
    return result;
}

}  // namespace uplift::optimize::detail
