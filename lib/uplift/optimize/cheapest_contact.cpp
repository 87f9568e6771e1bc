#include "uplift/optimize/cheapest_contact.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/optimize/constraints.hpp"

namespace uplift::optimize {

CheapestContact cheapest_contact(const Instance& in) {
    CheapestContact best{in.spend(0, 0), 0, 0};
    for (std::size_t i = 0; i < in.clients; ++i) {
        for (std::size_t k = 0; k < in.num_offers(); ++k) {
            const double s = in.spend(i, k);
            if (s < best.spend) best = {s, i, k};
        }
    }
    return best;
}

void check_budget_reaches_a_contact(const Instance& in, double budget) {
    if (in.clients == 0 || in.num_offers() == 0) return;
    const CheapestContact c = cheapest_contact(in);
    if (c.spend <= usable_budget(budget)) return;
    const Offer& offer = in.offers[c.offer];
    throw DataError(fmt::format("budget {:.6g} is below the cheapest contact's cost {:.6g} (offer '{}', channel '{}'): "
                                "no client can be contacted; raise --budget to at least {:.6g}",
                                budget, c.spend, offer.level, offer.channel, c.spend));
}

}  // namespace uplift::optimize
