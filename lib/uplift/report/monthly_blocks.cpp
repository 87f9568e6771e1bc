#include "uplift/report/monthly_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "uplift/eval/drift.hpp"
#include "uplift/report/number_format.hpp"

namespace uplift::report {

namespace {

class Words {
public:
    explicit Words(const Report& r) : r_(r), nf_(r.options.lang, r.options.currency) {}
    std::string t(Msg m) const { return tr(r_.options.lang, m, r_.words); }
    template <class... Args>
    std::string tf(Msg m, const Args&... args) const {
        return fmt::format(fmt::runtime(tr(r_.options.lang, m, r_.words)), args...);
    }
    const NumberFormat& nf() const { return nf_; }
    std::string file_name(const std::string& path) const { return std::filesystem::path(path).filename().string(); }

private:
    const Report& r_;
    NumberFormat nf_;
};

constexpr const char* ellipsis = " \xE2\x80\xA6 ";

// ---- champion and challenger ------------------------------------------------------------------------------

// Qini AUC in metric decimals, uplift@k (a rate difference) in percentage points.
std::string metric_value(const Words& w, const std::optional<double>& v, bool points) {
    if (!v) return no_value;
    return points ? w.nf().points(*v, 2) : w.nf().metric(*v);
}

// The interval's unit once, at its end ("+2.74 pp (−28.55 … +31.76 pp)"): the cell stays narrow enough for
// a printed page with three uplift@k columns.
std::string difference_cell(const Words& w, const artifacts::MetricDifference& d, bool points) {
    std::string out = metric_value(w, d.estimate, points);
    if (d.interval) {
        const double low = d.interval->low;
        const std::string low_text = !points ? w.nf().metric(low) : (low > 0 ? "+" : "") + w.nf().number(low * 100, 2);
        out += " (" + low_text + ellipsis + metric_value(w, d.interval->high, points) + ")";
    }
    return out;
}

TextTable level_table(const Words& w, const artifacts::Comparison& c, const artifacts::LevelComparison& level,
                      bool named) {
    TextTable t;
    if (named) {
        t.caption = fmt::format("{} ({} / {})", level.level, w.nf().count(double(level.n_treatment)),
                                w.nf().count(double(level.n_control)));
    }
    t.header = {w.t(Msg::ColModel), w.t(Msg::QiniAuc)};
    for (std::size_t k = 0; k < c.ks.size(); ++k) t.header.push_back(w.tf(Msg::UpliftAtK, w.nf().percent(c.ks[k], 0)));
    t.numeric.assign(t.header.size(), true);
    t.numeric[0] = false;
    const auto metrics_row = [&](Msg name, const artifacts::ComparedMetrics& m) {
        std::vector<std::string> row = {w.t(name), metric_value(w, m.qini_auc, false)};
        for (std::size_t k = 0; k < c.ks.size(); ++k) {
            row.push_back(metric_value(w, k < m.uplift_at_k.size() ? m.uplift_at_k[k] : std::nullopt, true));
        }
        return row;
    };
    if (level.champion) t.rows.push_back(metrics_row(Msg::ChampionRow, *level.champion));
    t.rows.push_back(metrics_row(Msg::ChallengerRow, level.challenger));
    if (level.qini_auc) {
        std::vector<std::string> row = {w.t(Msg::DifferenceRow), difference_cell(w, *level.qini_auc, false)};
        for (std::size_t k = 0; k < c.ks.size(); ++k) {
            row.push_back(k < level.uplift_at_k.size() ? difference_cell(w, level.uplift_at_k[k], true) : no_value);
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

// ---- drift --------------------------------------------------------------------------------------------------

Msg drift_reading(double psi) {
    if (psi >= eval::psi_major) return Msg::DriftMajor;
    if (psi >= eval::psi_moderate) return Msg::DriftModerate;
    return Msg::DriftStable;
}

// ---- measurement -------------------------------------------------------------------------------------------

void figure_rows(const Words& w, TextTable& t, const std::string& offer, const artifacts::MeasuredGroup& g,
                 bool binary, bool with_offer) {
    // The group's counts on its first row only: the revenue row is of the same clients.
    bool first = true;
    const auto add = [&](const std::string& name, const artifacts::RealisedFigure& f, bool money) {
        // Increments carry their sign, as the plan's figures do.
        const auto value = [&](double v) {
            return money ? w.nf().signed_money(v) : (v > 0 ? "+" : "") + w.nf().number(v, 1);
        };
        std::vector<std::string> row;
        if (with_offer) row.push_back(offer);
        row.push_back(name);
        row.push_back(first ? w.nf().count(double(g.contacted)) : "");
        row.push_back(first ? w.nf().count(double(g.held_out)) : "");
        first = false;
        row.push_back(f.promised ? value(*f.promised) : no_value);
        row.push_back(value(f.estimate));
        row.push_back(value(f.low) + ellipsis + value(f.high));
        t.rows.push_back(std::move(row));
    };
    const std::string name = w.t(binary ? Msg::MeasureConversions : Msg::CardOutcome);
    // The headline says which estimate it is: measure adjusts for the plan's predicted baseline when it can.
    add(g.covariate_adjusted ? w.tf(Msg::MeasureAdjustedLabel, name) : name, g.incremental_conversions, false);
    if (g.incremental_revenue) add(w.t(Msg::CardRevenue), *g.incremental_revenue, true);
}

}  // namespace

std::optional<TextBlock> comparison_block(const Report& r) {
    if (!r.comparison) return std::nullopt;
    const artifacts::Comparison& c = *r.comparison;
    const Words w(r);
    TextBlock b{.id = "champion", .title = w.t(Msg::ChampionTitle), .lines = {}, .tables = {}, .notes = {}};
    if (c.decision == artifacts::Decision::Reject) {
        b.lines.push_back(w.tf(Msg::ChampionKept, c.challenger, c.champion));
    } else {
        b.lines.push_back(c.champion.empty() ? w.tf(Msg::ChampionFirst, c.challenger)
                                             : w.tf(Msg::ChampionPromoted, c.challenger, c.champion));
    }
    if (!c.reason.empty()) b.lines.push_back(w.tf(Msg::ChampionReason, c.reason));
    const bool points = c.metric == artifacts::compare_metric_uplift_at_30;
    const std::string metric = points ? w.tf(Msg::UpliftAtK, w.nf().percent(0.3, 0)) : w.t(Msg::QiniAuc);
    b.lines.push_back(w.tf(Msg::ChampionRows, w.nf().count(double(c.rows)), w.nf().count(double(c.n_treatment)),
                           w.nf().count(double(c.n_control)), metric,
                           points ? w.nf().points(c.margin, 2) : w.nf().metric(c.margin), w.nf().percent(c.level, 0),
                           w.nf().count(double(c.bootstrap))));
    for (const auto& level : c.levels) b.tables.push_back(level_table(w, c, level, c.levels.size() > 1));
    return b;
}

std::optional<TextBlock> drift_block(const Report& r) {
    if (!r.drift) return std::nullopt;
    const artifacts::DriftReport& d = *r.drift;
    const Words w(r);
    const NumberFormat& nf = w.nf();
    TextBlock b{.id = "drift", .title = w.t(Msg::DriftTitle), .lines = {}, .tables = {}, .notes = {}};
    b.lines.push_back(w.tf(Msg::DriftRows, nf.count(double(d.rows)), w.file_name(r.drift_file),
                           nf.count(double(d.reference_rows))));
    double worst = 0;
    if (d.score) {
        worst = d.score->psi;
        b.lines.push_back(w.tf(Msg::DriftScore, nf.number(d.score->psi, 3), w.t(drift_reading(d.score->psi))));
    }
    // The record lists the inputs largest PSI first (artifacts/drift_reference.hpp); sorted again so a
    // hand-edited file cannot put a small shift above a large one.
    std::vector<artifacts::InputDrift> inputs = d.features;
    std::stable_sort(inputs.begin(), inputs.end(), [](const auto& x, const auto& y) { return x.psi > y.psi; });
    if (!inputs.empty()) {
        worst = std::max(worst, inputs.front().psi);
        TextTable t;
        t.caption = w.t(Msg::DriftLargest);
        t.header = {w.t(Msg::ColFeature), w.t(Msg::ColPsi), w.t(Msg::ColOutside), w.t(Msg::ColMissingNow),
                    w.t(Msg::ColMissingTraining), w.t(Msg::ColReading)};
        t.numeric = {false, true, true, true, true, false};
        for (std::size_t i = 0; i < inputs.size() && i < drift_rows_shown; ++i) {
            const auto& f = inputs[i];
            t.rows.push_back({f.name, nf.number(f.psi, 3), nf.percent(f.outside_share, 1), nf.percent(f.missing_share, 1),
                              nf.percent(f.reference_missing_share, 1), w.t(drift_reading(f.psi))});
        }
        b.tables.push_back(std::move(t));
    }
    const Msg advice = drift_reading(worst) == Msg::DriftMajor      ? Msg::DriftAdviceMajor
                       : drift_reading(worst) == Msg::DriftModerate ? Msg::DriftAdviceModerate
                                                                    : Msg::DriftAdviceStable;
    b.notes.push_back(w.t(advice));
    b.notes.push_back(w.tf(Msg::DriftThresholds, nf.number(eval::psi_moderate, 2), nf.number(eval::psi_major, 2)));
    return b;
}

std::optional<TextBlock> measurement_block(const Report& r) {
    if (!r.measurement) return std::nullopt;
    const artifacts::Measurement& m = *r.measurement;
    const Words w(r);
    const NumberFormat& nf = w.nf();
    TextBlock b{.id = "delivered", .title = w.t(Msg::MeasureTitle), .lines = {}, .tables = {}, .notes = {}};
    const artifacts::MeasuredGroup& total = m.total;
    const bool adjusted = total.covariate_adjusted.has_value();
    b.lines.push_back(w.tf(adjusted ? Msg::MeasureCountsAdjusted : Msg::MeasureCounts,
                           nf.count(double(total.contacted)), nf.count(double(total.held_out)),
                           nf.count(double(total.measured_contacted)), nf.count(double(total.measured_held_out)),
                           nf.percent(m.level, 0), m.covariate));
    if (adjusted) {
        const auto signed_number = [&](double v) { return (v > 0 ? "+" : "") + nf.number(v, 1); };
        const artifacts::RealisedFigure& d = total.difference_of_means;
        b.lines.push_back(w.tf(Msg::MeasureUnadjusted, signed_number(d.estimate), nf.percent(m.level, 0),
                               signed_number(d.low) + ellipsis + signed_number(d.high),
                               nf.number(total.mean_covariate_contacted.value_or(0), 3),
                               nf.number(total.mean_covariate_held_out.value_or(0), 3),
                               nf.percent(total.variance_reduction.value_or(0), 0)));
    }
    const bool binary = m.outcome_type != "continuous";
    const bool per_offer = m.per_offer.size() > 1;
    TextTable t;
    if (per_offer) t.header.push_back(w.t(Msg::ColOffer));
    for (const Msg col : {Msg::ColMeasure, Msg::ColContacted, Msg::ColHeldOut, Msg::ColPromised, Msg::ColRealised}) {
        t.header.push_back(w.t(col));
    }
    t.header.push_back(w.tf(Msg::ColRange, nf.percent(m.level, 0)));
    t.numeric.assign(t.header.size(), true);
    t.numeric[0] = false;
    if (per_offer) t.numeric[1] = false;
    figure_rows(w, t, w.t(Msg::MeasureAll), total, binary, per_offer);
    if (per_offer) {
        for (const auto& g : m.per_offer) figure_rows(w, t, g.offer, g, binary, true);
    }
    b.tables.push_back(std::move(t));
    if (const auto& f = total.incremental_conversions; f.promised) {
        b.notes.push_back(w.t(*f.promised > f.high ? Msg::MeasureBelow : *f.promised < f.low ? Msg::MeasureAbove : Msg::MeasureWithin));
    }
    return b;
}

std::vector<TextBlock> monthly_blocks(const Report& r) {
    std::vector<TextBlock> out;
    for (auto block : {response_list_block(r), measurement_block(r), drift_block(r), comparison_block(r),
                       portraits_block(r)}) {
        if (block) out.push_back(std::move(*block));
    }
    return out;
}

}  // namespace uplift::report
