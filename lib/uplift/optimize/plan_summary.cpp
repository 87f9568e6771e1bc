#include "uplift/optimize/plan_summary.hpp"

#include <algorithm>

namespace uplift::optimize {

void add_option(Totals& t, const Instance& instance, std::size_t i, std::size_t k) {
    add_value(t, instance.option(i, k));
}

void add_value(Totals& t, const OptionValue& v) noexcept {
    ++t.contacts;
    t.spend += v.spend;
    t.conversions += v.uplift;
    t.revenue += v.revenue;
    t.profit += v.profit;
}

PlanSummary summarize(const Instance& instance, std::span<const std::int8_t> choice) {
    PlanSummary s;
    for (const Offer& o : instance.offers) s.per_offer.push_back(OfferTotals{o.level, o.channel, {}});
    const std::size_t k_count = instance.num_offers();
    double anyway = 0;
    double with_offer = 0;
    for (std::size_t i = 0; i < instance.clients; ++i) {
        if (choice[i] < 0) continue;
        const auto k = static_cast<std::size_t>(choice[i]);
        add_option(s.totals, instance, i, k);
        add_option(s.per_offer[k].totals, instance, i, k);
        const double pt = instance.pt[i * k_count + k];
        anyway += std::min(instance.p0[i], pt);
        with_offer += pt;
    }
    if (instance.binary() && with_offer > 0) s.useless_discount_share = anyway / with_offer;
    return s;
}

std::string_view segment_name(const Instance& instance, std::size_t i, std::size_t k) noexcept {
    if (!instance.binary()) return "";
    const double p0 = instance.p0[i];
    return eval::to_string(eval::kind_of(p0, instance.pt[i * instance.num_offers() + k] - p0, instance.kinds));
}

}  // namespace uplift::optimize
