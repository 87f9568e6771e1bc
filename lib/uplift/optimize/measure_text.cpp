// The summary `upliftctl measure` prints: the headline, the plain estimate beside an adjusted one, the
// population and the covariate, the outcome rows' counts.

#include <fmt/format.h>

#include <string>

#include "uplift/optimize/measure.hpp"

namespace uplift::optimize {

std::string measure_text(const artifacts::Measurement& m) {
    const bool binary = m.outcome_type != "continuous";
    const auto line = [&](const artifacts::MeasuredGroup& g) {
        const auto& f = g.incremental_conversions;
        std::string s = fmt::format("{:<14} {:+.1f} {} (95% {:+.1f} .. {:+.1f}), promised {}; {} contacted, {} held "
                                    "out\n",
                                    g.offer.empty() ? "plan" : g.offer, f.estimate,
                                    binary ? "extra conversions" : "extra outcome", f.low, f.high,
                                    f.promised ? fmt::format("{:+.1f}", *f.promised) : std::string("n/a"),
                                    g.contacted, g.held_out);
        if (g.incremental_revenue) {
            const auto& r = *g.incremental_revenue;
            s += fmt::format("{:<14} {:+.2f} revenue (95% {:+.2f} .. {:+.2f}), promised {}\n", "", r.estimate, r.low,
                             r.high, r.promised ? fmt::format("{:+.2f}", *r.promised) : std::string("n/a"));
        }
        if (g.covariate_adjusted) {
            // The plain figure beside the headline, so the reader sees what the adjustment changed.
            const auto& d = g.difference_of_means;
            s += fmt::format("{:<14} {:+.1f} (95% {:+.1f} .. {:+.1f}) unadjusted difference of means{}\n", "", d.estimate,
                             d.low, d.high,
                             g.variance_reduction
                                 ? fmt::format("; the adjustment cut the variance by {:.0f}%", *g.variance_reduction * 100)
                                 : std::string());
        }
        return s;
    };
    std::string out = line(m.total);
    if (m.per_offer.size() > 1) {
        for (const auto& g : m.per_offer) out += line(g);
    }
    const auto& t = m.total;
    out += fmt::format("population     {} planned clients: {} contacted, {} held out\n", t.contacted + t.held_out,
                       t.contacted, t.held_out);
    if (!m.covariate.empty() && t.mean_covariate_contacted && t.mean_covariate_held_out) {
        out += fmt::format("covariate      {}, the model's predicted outcome without an offer: mean {:.4f} contacted, "
                           "{:.4f} held out\n",
                           m.covariate, *t.mean_covariate_contacted, *t.mean_covariate_held_out);
    } else if (!m.adjustment_note.empty()) {
        out += fmt::format("covariate      none: {}\n", m.adjustment_note);
    }
    if (m.test_estimate_conversions) {
        const auto& te = *m.test_estimate_conversions;
        out += fmt::format("{:<14} {:+.1f} (95% {:+.1f} .. {:+.1f}) for all planned clients, measured on last "
                           "campaign's test\n",
                           "test estimate", te.estimate, te.low, te.high);
    }
    out += fmt::format("outcomes       {} rows: {} not in the plan; {} contacted and {} held-out planned clients "
                       "without an outcome\n",
                       m.outcome_rows, m.unknown_ids, m.missing_contacted, m.missing_held_out);
    return out;
}

/// The summary's first words on the method: which estimate is the headline.
std::string method_text(const artifacts::Measurement& m) {
    if (!m.covariate.empty()) {
        return fmt::format("covariate-adjusted for {} (Lin 2013 regression, HC2 standard error), 95% range; the "
                           "plain difference of means beside it",
                           m.covariate);
    }
    return "difference of means, 95% range";
}

}  // namespace uplift::optimize
