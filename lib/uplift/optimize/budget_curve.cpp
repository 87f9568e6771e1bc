#include "uplift/optimize/budget_curve.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "uplift/core/errors.hpp"
#include "uplift/optimize/parallel.hpp"

namespace uplift::optimize {

namespace {

struct HullSegment {
    double slope;          // extra profit per extra spend (+inf for a spend-free first offer)
    std::uint32_t client;
    std::int8_t from;      // offer the client holds before (no_offer: -1)
    std::int8_t to;
};

struct HullPoint {
    double spend;
    double profit;
    std::int8_t k;
};

/// Appends the increasing part of client i's upper concave hull as segments.
void add_hull(const Instance& in, const Constraints& c, std::size_t i, std::vector<HullPoint>& pts,
              std::vector<HullPoint>& hull, std::vector<HullSegment>& out) {
    const std::size_t k_count = in.num_offers();
    HullPoint base{0.0, 0.0, -1};
    pts.clear();
    for (std::size_t k = 0; k < k_count; ++k) {
        const double p = in.profit(i, k);
        const double s = in.spend(i, k);
        if (p <= 0 || !eligible(p, s, c)) continue;
        if (s <= 0) {
            if (p > base.profit) base = HullPoint{0.0, p, static_cast<std::int8_t>(k)};
        } else {
            pts.push_back(HullPoint{s, p, static_cast<std::int8_t>(k)});
        }
    }
    std::sort(pts.begin(), pts.end(), [](const HullPoint& a, const HullPoint& b) {
        if (a.spend != b.spend) return a.spend < b.spend;
        if (a.profit != b.profit) return a.profit > b.profit;
        return a.k < b.k;
    });
    hull.assign(1, base);
    for (const HullPoint& p : pts) {
        if (p.profit <= hull.back().profit) continue;  // costs more, earns no more
        while (hull.size() >= 2) {
            const HullPoint& a = hull[hull.size() - 2];
            const HullPoint& b = hull.back();
            const double cross = (b.spend - a.spend) * (p.profit - a.profit) - (b.profit - a.profit) * (p.spend - a.spend);
            if (cross < 0) break;  // b is strictly above the chord a→p: it stays
            hull.pop_back();
        }
        hull.push_back(p);
    }
    const auto client = static_cast<std::uint32_t>(i);
    if (base.k >= 0) out.push_back(HullSegment{std::numeric_limits<double>::infinity(), client, -1, base.k});
    for (std::size_t h = 1; h < hull.size(); ++h) {
        const double slope = (hull[h].profit - hull[h - 1].profit) / (hull[h].spend - hull[h - 1].spend);
        out.push_back(HullSegment{slope, client, hull[h - 1].k, hull[h].k});
    }
}

/// A segment's effect: the client moves from one offer (or none) to another.
struct Step {
    OptionValue from;
    OptionValue to;
    bool new_contact;
    long double extra_spend() const { return static_cast<long double>(to.spend) - from.spend; }
};

Step step_of(const Instance& in, const HullSegment& s) {
    return Step{s.from < 0 ? OptionValue{} : in.option(s.client, static_cast<std::size_t>(s.from)),
                in.option(s.client, static_cast<std::size_t>(s.to)), s.from < 0};
}

/// Running totals of a plan built segment by segment.
struct Running {
    long double spend = 0, conversions = 0, revenue = 0, profit = 0;
    std::size_t contacts = 0;

    void apply(const Step& s) {
        spend += s.extra_spend();
        conversions += static_cast<long double>(s.to.uplift) - s.from.uplift;
        revenue += static_cast<long double>(s.to.revenue) - s.from.revenue;
        profit += static_cast<long double>(s.to.profit) - s.from.profit;
        contacts += s.new_contact ? 1 : 0;
    }
    Totals totals() const {
        return Totals{contacts, static_cast<double>(spend), static_cast<double>(conversions),
                      static_cast<double>(revenue), static_cast<double>(profit)};
    }
};

// How far past the relaxation's break the fill of one point looks. The segments there have the best
// remaining ratios; looking further costs time for pennies.
constexpr std::size_t fill_window = 4096;

}  // namespace

std::vector<CurvePoint> budget_curve(const Instance& in, const Constraints& c, std::size_t points, int threads) {
    if (in.clients > std::numeric_limits<std::uint32_t>::max()) {
        throw UsageError("the budget curve supports at most 4,294,967,295 clients");
    }
    points = std::max<std::size_t>(points, 2);
    std::vector<std::vector<HullSegment>> part(chunk_count(in.clients));
    std::vector<long double> part_spend(part.size());  // spend of every client at its hull's end
    for_each_chunk(in.clients, threads, [&](std::size_t b, std::size_t e, std::size_t chunk) {
        std::vector<HullPoint> points_scratch;
        std::vector<HullPoint> hull_scratch;
        for (std::size_t i = b; i < e; ++i) {
            add_hull(in, c, i, points_scratch, hull_scratch, part[chunk]);
            part_spend[chunk] += hull_scratch.back().spend;
        }
    });
    std::size_t total = 0;
    for (const auto& p : part) total += p.size();
    std::vector<HullSegment> segments;
    segments.reserve(total);
    for (auto& p : part) {
        segments.insert(segments.end(), p.begin(), p.end());
        p = {};
    }
    std::sort(segments.begin(), segments.end(), [](const HullSegment& a, const HullSegment& b) {
        if (a.slope != b.slope) return a.slope > b.slope;
        return a.client < b.client;  // one client's segments never share a slope: the hull is strictly concave
    });
    long double end_spend = 0;
    for (const long double p : part_spend) end_spend += p;

    const std::size_t limit = c.max_contacts.value_or(std::numeric_limits<std::size_t>::max());
    std::vector<std::int8_t> held(in.clients, -1);
    Running prefix;
    std::size_t pos = 0;
    std::vector<CurvePoint> curve;
    std::unordered_map<std::uint32_t, std::int8_t> tentative;
    for (std::size_t j = 0; j < points; ++j) {
        const bool last = j + 1 == points;
        const long double label =
            last ? end_spend : end_spend * static_cast<long double>(j) / static_cast<long double>(points - 1);
        // The running sum and end_spend add the same numbers in different orders: the last point allows for that.
        const long double budget = last ? label * (1 + 1e-12L) : label;
        // The relaxation's plan at this budget: every segment up to the first that does not fit. A segment
        // whose client is stuck (an earlier one skipped for the contact limit) can never apply.
        for (; pos < segments.size(); ++pos) {
            const HullSegment& s = segments[pos];
            if (s.from != held[s.client] || (s.from < 0 && prefix.contacts >= limit)) continue;
            const Step step = step_of(in, s);
            if (prefix.spend + step.extra_spend() > budget) break;
            prefix.apply(step);
            held[s.client] = s.to;
        }
        Running point = prefix;
        tentative.clear();
        for (std::size_t q = pos; q < segments.size() && q < pos + fill_window; ++q) {
            const HullSegment& s = segments[q];
            const auto it = tentative.find(s.client);
            const std::int8_t holds = it == tentative.end() ? held[s.client] : it->second;
            if (s.from != holds || (s.from < 0 && point.contacts >= limit)) continue;
            const Step step = step_of(in, s);
            if (point.spend + step.extra_spend() > budget) continue;
            point.apply(step);
            tentative[s.client] = s.to;
        }
        CurvePoint cp{static_cast<double>(label), point.totals()};
        if (!curve.empty() && curve.back().totals.profit > cp.totals.profit) cp.totals = curve.back().totals;
        curve.push_back(cp);
    }
    return curve;
}

std::size_t insert_plan_point(std::vector<CurvePoint>& curve, double budget, const Totals& plan) {
    auto it = std::lower_bound(curve.begin(), curve.end(), budget,
                               [](const CurvePoint& p, double b) { return p.budget < b; });
    if (it != curve.end() && it->budget == budget) {
        it->totals = plan;
    } else {
        it = curve.insert(it, CurvePoint{budget, plan});
    }
    const auto at = static_cast<std::size_t>(it - curve.begin());
    for (std::size_t k = at + 1; k < curve.size(); ++k) {
        if (curve[k].totals.profit < curve[k - 1].totals.profit) curve[k].totals = curve[k - 1].totals;
    }
    return at;
}

}  // namespace uplift::optimize
