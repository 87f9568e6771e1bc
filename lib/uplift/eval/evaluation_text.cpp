// Evaluation as a fixed-width table for a terminal.

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "uplift/eval/evaluation.hpp"

namespace uplift::eval {

namespace {

std::string value(std::optional<double> v, int decimals = 4) {
    if (!v || !std::isfinite(*v)) return "n/a";
    return fmt::format("{:.{}f}", *v, decimals);
}

std::string interval(const std::optional<BootstrapIntervals>& ci, const std::optional<ConfidenceInterval>& i) {
    if (!ci) return "";
    if (!i) return "n/a";
    return fmt::format("[{:.4f}, {:.4f}]", i->low, i->high);
}

void percentile_table(std::string& out, const std::vector<PercentileRow>& rows, const char* title) {
    fmt::format_to(std::back_inserter(out), "\n{}\n", title);
    fmt::format_to(std::back_inserter(out), "{:<10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}\n", "percentile",
                   "n_treat", "n_control", "rate_treat", "rate_ctrl", "uplift", "std_uplift", "share_t");
    for (const PercentileRow& r : rows) {
        fmt::format_to(std::back_inserter(out), "{:<10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}\n",
                       r.percentile, r.n_treatment, r.n_control, value(r.response_rate_treatment),
                       value(r.response_rate_control), value(r.uplift),
                       r.std_uplift ? value(r.std_uplift) : std::string("-"),
                       value(std::isfinite(r.treatment_share) ? std::optional<double>(r.treatment_share)
                                                              : std::nullopt,
                             3));
    }
}

}  // namespace

std::string to_text_table(const Evaluation& e) {
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "rows: {} ({} treated, {} control)\n\n", e.n, e.n_treatment, e.n_control);
    const std::string ci_header = e.ci ? fmt::format("{:g}% CI ({} resamples)", e.ci->level * 100.0, e.ci->replicates)
                                       : std::string();
    fmt::format_to(it, "{:<34} {:>10}   {}\n", "metric", "value", ci_header);
    fmt::format_to(it, "{:<34} {:>10}   {}\n", "qini_auc", value(e.qini_auc),
                   interval(e.ci, e.ci ? e.ci->qini_auc : std::nullopt));
    fmt::format_to(it, "{:<34} {:>10}   {}\n", "uplift_auc", value(e.uplift_auc),
                   interval(e.ci, e.ci ? e.ci->uplift_auc : std::nullopt));
    fmt::format_to(it, "{:<34} {:>10}\n", "weighted_average_uplift (overall)", value(e.weighted_average_uplift.overall));
    fmt::format_to(it, "{:<34} {:>10}\n", "weighted_average_uplift (by_group)",
                   value(e.weighted_average_uplift.by_group));
    for (std::size_t i = 0; i < e.uplift_at_k.size(); ++i) {
        const UpliftAtK& entry = e.uplift_at_k[i];
        const std::optional<ConfidenceInterval> ci_k =
            e.ci && i < e.ci->uplift_at_k.size() ? e.ci->uplift_at_k[i] : std::nullopt;
        fmt::format_to(it, "{:<34} {:>10}   {}\n", fmt::format("uplift@{} (overall)", entry.label),
                       value(entry.value.overall), interval(e.ci, ci_k));
        fmt::format_to(it, "{:<34} {:>10}\n", fmt::format("uplift@{} (by_group)", entry.label),
                       value(entry.value.by_group));
    }
    percentile_table(out, e.uplift_by_percentile, "uplift by percentile (overall)");
    percentile_table(out, e.uplift_by_percentile_by_group, "uplift by percentile (by_group)");
    return out;
}

}  // namespace uplift::eval
