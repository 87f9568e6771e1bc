#include "uplift/optimize/response_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/optimize/baseline_walks.hpp"
#include "uplift/optimize/solver.hpp"

namespace uplift::optimize {

RankBy rank_by_from_string(std::string_view text) {
    if (text == "profit") return RankBy::Profit;
    if (text == "response") return RankBy::Response;
    throw UsageError(fmt::format("--rank-by '{}': write profit (the uplift plan) or response (purchase "
                                 "probability above --min-p)",
                                 text));
}

void check_min_p(double min_p, const Instance& instance) {
    if (!std::isfinite(min_p) || min_p < 0 || min_p >= 1) {
        throw UsageError(fmt::format("--min-p {} must be a probability at least 0 and below 1", min_p));
    }
    if (!instance.binary()) {
        throw UsageError("--rank-by response needs a purchase probability, but the scores predict spend "
                         "(continuous outcome)");
    }
}

ResponseList response_list(const Instance& in, const Constraints& c, double min_p) {
    check_min_p(min_p, in);
    ResponseList list;
    list.min_p = min_p;
    list.choice.assign(in.clients, no_offer);
    std::vector<detail::Entry> above;
    for (std::size_t i = 0; i < in.clients; ++i) {
        const detail::Entry e = detail::best_entry(in, i);
        if (e.pt > min_p) above.push_back(e);
    }
    list.above_threshold = above.size();
    std::sort(above.begin(), above.end(), detail::before);
    const long double budget = usable_budget(c.budget);
    const std::size_t limit = c.max_contacts.value_or(above.size());
    long double spent = 0;
    for (const detail::Entry& e : above) {
        if (list.order.size() >= limit) break;
        const double s = in.spend(e.client, e.k);
        if (spent + s > budget) break;
        spent += s;
        list.choice[e.client] = static_cast<std::int8_t>(e.k);
        list.order.push_back(e.client);
    }
    if (above.empty()) {
        log::warn("no client's purchase probability with an offer exceeds --min-p {}: the priority list is empty",
                  min_p);
    }
    return list;
}

ListFigures list_figures(const Instance& in, const std::vector<std::int8_t>& choice) {
    ListFigures f;
    f.summary = summarize(in, choice);
    for (std::size_t i = 0; i < in.clients; ++i) {
        if (choice[i] >= 0 && in.option(i, static_cast<std::size_t>(choice[i])).uplift <= 0) ++f.non_positive_uplift;
    }
    return f;
}

std::string response_list_rule(double min_p) {
    return fmt::format("clients whose purchase probability with an offer exceeds {}, highest first, each the offer "
                       "it is most likely to buy with, until the budget or --max-contacts runs out",
                       min_p);
}

}  // namespace uplift::optimize
