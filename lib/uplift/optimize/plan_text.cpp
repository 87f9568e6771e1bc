#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

std::string roi_text(const Totals& t) {
    const auto roi = t.roi();
    return roi ? fmt::format("{:.3f}", *roi) : "n/a";
}

void row(fmt::memory_buffer& out, std::string_view name, const Totals& t, bool binary) {
    fmt::format_to(std::back_inserter(out), "{:<16} {:>10} {:>14.2f} {:>12} {:>14.2f} {:>14.2f} {:>8}\n", name,
                   t.contacts, t.spend, binary ? fmt::format("{:.2f}", t.conversions) : "n/a", t.revenue, t.profit,
                   roi_text(t));
}

std::string share_text(const std::optional<double>& share) {
    return share ? fmt::format("{:.1f}%", 100.0 * *share) : "n/a";
}

void side_row(fmt::memory_buffer& out, std::string_view name, const artifacts::PlanListSide& s, bool binary) {
    const artifacts::PlanFigures& f = s.figures;
    fmt::format_to(std::back_inserter(out), "{:<24} {:>10} {:>14.2f} {:>12} {:>14.2f} {:>14.2f} {:>10} {:>10}\n", name,
                   static_cast<long long>(f.contacts.value_or(0)), f.spend.value_or(0),
                   binary && f.incremental_conversions ? fmt::format("{:.2f}", *f.incremental_conversions) : "n/a",
                   f.incremental_revenue.value_or(0), f.profit.value_or(0), share_text(s.non_positive_uplift_share),
                   share_text(s.useless_discount_share));
}

std::string test_text(const std::optional<artifacts::PlanTestEstimate>& t) {
    if (!t) return "not measured";
    const artifacts::MeasuredFigure& f = t->incremental_conversions;
    return fmt::format("{:+.2f} (95% {:+.2f} .. {:+.2f}; model {:+.2f})", f.estimate, f.low, f.high, f.model_forecast);
}

}  // namespace

std::string response_list_text(const artifacts::PlanResponseList& r, bool binary) {
    fmt::memory_buffer out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "\nresponse list  {} clients with purchase probability above {} ({} above it before the budget "
                       "and contact limit); {} of them with uplift <= 0\n",
                   static_cast<long long>(r.list.figures.contacts.value_or(0)),
                   r.min_p, r.above_threshold, r.list.non_positive_uplift);
    fmt::format_to(it, "{:<24} {:>10} {:>14} {:>12} {:>14} {:>14} {:>10} {:>10}\n", "list", "contacts", "spend",
                   "incr. conv.", "incr. revenue", "profit", "uplift<=0", "useless");
    side_row(out, "response list (written)", r.list, binary);
    side_row(out, "uplift plan, same size", r.uplift_plan, binary);
    if (r.list.test_estimate || r.uplift_plan.test_estimate) {
        fmt::format_to(it, "measured on the test: response list {}, uplift plan {} extra conversions\n",
                       test_text(r.list.test_estimate), test_text(r.uplift_plan.test_estimate));
    }
    return fmt::to_string(out);
}

double plan_gap(const OptimizeResult& r) noexcept {
    const double gap = r.solution.upper_bound - r.plan.totals.profit;
    return std::abs(gap) <= 1e-9 * std::max(1.0, std::abs(r.solution.upper_bound)) ? 0.0 : gap;
}

std::string summary_text(const Instance& in, const OptimizeResult& r, const OptimizeOptions& o) {
    const Totals& t = r.plan.totals;
    const double gap = plan_gap(r);
    fmt::memory_buffer out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "budget         {:.2f} (used {:.2f})\n", o.constraints.budget, t.spend);
    fmt::format_to(it, "upper bound    {:.2f} (plan within {:.2f}, {:.3f}% of the bound)\n", r.solution.upper_bound,
                   gap, r.solution.upper_bound > 0 ? 100.0 * gap / r.solution.upper_bound : 0.0);
    if (r.plan.useless_discount_share) {
        fmt::format_to(it, "useless share  {:.1f}% of purchases by targeted clients would happen anyway\n",
                       100.0 * *r.plan.useless_discount_share);
    }
    fmt::format_to(it, "\n{:<16} {:>10} {:>14} {:>12} {:>14} {:>14} {:>8}\n", "strategy", "contacts", "spend",
                   "incr. conv.", "incr. revenue", "profit", "ROI");
    row(out, "uplift plan", t, in.binary());
    row(out, "everyone", r.baselines.everyone.totals, in.binary());
    row(out, fmt::format("random ({}x)", o.random_repeats), r.baselines.random.totals, in.binary());
    row(out, "response model", r.baselines.response_model.totals, in.binary());
    if (r.plan.per_offer.size() > 1) {
        fmt::format_to(it, "\n{:<28} {:<12} {:>10} {:>14} {:>14}\n", "offer", "channel", "contacts", "spend", "profit");
        for (const OfferTotals& ot : r.plan.per_offer) {
            fmt::format_to(it, "{:<28} {:<12} {:>10} {:>14.2f} {:>14.2f}\n", ot.offer, ot.channel, ot.totals.contacts,
                           ot.totals.spend, ot.totals.profit);
        }
    }
    return fmt::to_string(out);
}

}  // namespace uplift::optimize
