// The readable summary `upliftctl segments` prints: the clusters in one table, then each portrait.

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "uplift/segment/segments.hpp"

namespace uplift::segment {

namespace {

std::string grouped(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return n < 0 ? "-" + digits : digits;
}

// Four significant digits, but sums in roubles as whole grouped numbers ("33,090", not "3.309e+04").
std::string mean_text(const std::optional<double>& v) {
    if (!v) return "-";
    if (std::abs(*v) >= 10000) return grouped(static_cast<std::int64_t>(std::llround(*v)));
    return fmt::format("{:.4g}", *v);
}

std::string features_line(const std::vector<artifacts::PortraitFeature>& features) {
    std::string out;
    for (const auto& f : features) {
        if (!out.empty()) out += " · ";
        const std::string name = f.label.empty() ? f.column : f.label;
        out += fmt::format("{} {} ({:+.2f} sd)", name, mean_text(f.mean), f.z);
    }
    return out;
}

/// The offer with the highest mean uplift (the recommended one when that mean is positive).
const artifacts::OfferUplift* best_offer(const artifacts::ClusterPortrait& c) {
    const artifacts::OfferUplift* best = nullptr;
    for (const auto& u : c.uplift) {
        if (u.mean_uplift && (best == nullptr || *u.mean_uplift > *best->mean_uplift)) best = &u;
    }
    return best;
}

}  // namespace

std::string portraits_text(const artifacts::Portraits& p) {
    std::string out = fmt::format("segments       {} clusters of {} clients on {} standardised features", p.k,
                                  grouped(p.rows), p.columns.size());
    if (p.k_chosen_by == artifacts::k_by_silhouette && p.silhouette) {
        out += fmt::format("; k by silhouette {:.3f} on {} sampled rows (", *p.silhouette, grouped(p.silhouette_sample));
        for (std::size_t i = 0; i < p.candidates.size(); ++i) {
            const auto& c = p.candidates[i];
            out += fmt::format("{}k={}: {}", i > 0 ? ", " : "", c.k, c.silhouette ? fmt::format("{:.3f}", *c.silhouette) : "-");
        }
        out += ")";
    }
    out += "\n";
    if (p.imputed_values > 0) out += fmt::format("imputed        {} missing values with their column's mean\n", grouped(p.imputed_values));
    if (!p.constant_columns.empty()) {
        out += fmt::format("constant       {} (no weight)\n", fmt::join(p.constant_columns, ", "));
    }
    if (!p.scores_file.empty()) {
        out += fmt::format("scored         {} of {} clients in {}\n", grouped(p.scored), grouped(p.rows), p.scores_file);
    }
    out += fmt::format("\n{:<8} {:>10} {:>7}  {:<14} {:>10}  {}\n", "cluster", "clients", "share", "offer", "uplift", "name");
    for (const auto& c : p.clusters) {
        const auto* best = best_offer(c);
        out += fmt::format("{:<8} {:>10} {:>6.1f}%  {:<14} {:>10}  {}\n", c.id, grouped(c.size), c.share * 100,
                           p.offers.empty() ? "-" : c.recommended_offer.value_or("none"),
                           best && best->mean_uplift ? fmt::format("{:+.4f}", *best->mean_uplift) : "-", c.name);
    }
    for (const auto& c : p.clusters) {
        out += fmt::format("\ncluster {}: {}\n", c.id, c.name);
        if (!c.profile.empty()) out += "  profile      " + features_line(c.profile) + "\n";
        if (!c.distinctive.empty()) out += "  distinctive  " + features_line(c.distinctive) + "\n";
        if (!c.top_categories.empty()) {
            std::string line;
            for (const auto& s : c.top_categories) line += fmt::format("{}{} {:.1f}%", line.empty() ? "" : " · ", s.category, s.share * 100);
            out += "  categories   " + line + "\n";
        }
        if (!c.uplift.empty()) {
            std::string line;
            for (const auto& u : c.uplift) {
                line += fmt::format("{}{} {}", line.empty() ? "" : " · ", u.offer,
                                    u.mean_uplift ? fmt::format("{:+.4f}", *u.mean_uplift) : "-");
            }
            out += fmt::format("  uplift       {} ({} scored)\n", line, grouped(c.scored));
        }
    }
    return out;
}

}  // namespace uplift::segment
