// The analyst's part of the page: model quality, curves, deciles, balance, client kinds, importance, the A/B
// readout, and where every number came from.

#include <cmath>

#include "uplift/core/version.hpp"
#include "uplift/report/gender_line.hpp"
#include "uplift/report/html_context.hpp"
#include "uplift/report/svg_chart.hpp"

namespace uplift::report::html {

namespace {

double z_of(double level) { return normal_quantile(0.5 + level / 2); }

std::string th(const std::string& html, bool num = false) {
    return std::string(num ? "<th class=\"num\">" : "<th>") + html + "</th>";
}
std::string td(const std::string& html, bool num = false) {
    return std::string(num ? "<td class=\"num\">" : "<td>") + html + "</td>";
}

std::string learner_name(const Context& c, const std::string& learner) {
    if (learner == "t") return c.t(Msg::TLearner);
    if (learner == "s") return c.t(Msg::SLearner);
    if (learner == "x") return c.t(Msg::XLearner);
    if (learner == "dr") return c.t(Msg::DrLearner);
    if (learner == "ct") return c.t(Msg::CtLearner);
    return esc(learner);
}

std::string ci_text(const Context& c, const std::optional<eval::ConfidenceInterval>& ci, bool points) {
    if (!ci) return no_value;
    const auto f = [&](double v) { return points ? c.nf().points(v) : c.nf().metric(v); };
    return esc(f(ci->low) + " \xE2\x80\xA6 " + f(ci->high));
}

std::string metrics_table(const Context& c) {
    const auto& e = *c.report().evaluation;
    const auto& nf = c.nf();
    std::string out = "<table class=\"data\"><thead><tr>" + th(c.t(Msg::ColMetric)) + th(c.t(Msg::ColValue), true) +
                      th(c.tf(Msg::ColRange, esc(nf.percent(e.options.ci_level, 0))), true) + "</tr></thead><tbody>";
    const auto ci = [&](auto member) -> std::optional<eval::ConfidenceInterval> {
        if (!e.ci) return std::nullopt;
        return (*e.ci).*member;
    };
    out += "<tr>" + td(c.t(Msg::QiniAuc)) + td(esc(nf.number(e.qini_auc, 4)), true) +
           td(ci_text(c, ci(&eval::BootstrapIntervals::qini_auc), false), true) + "</tr>";
    out += "<tr>" + td(c.t(Msg::UpliftAuc)) + td(esc(nf.number(e.uplift_auc, 4)), true) +
           td(ci_text(c, ci(&eval::BootstrapIntervals::uplift_auc), false), true) + "</tr>";
    for (std::size_t i = 0; i < e.uplift_at_k.size(); ++i) {
        const auto& k = e.uplift_at_k[i];
        std::optional<eval::ConfidenceInterval> interval;
        if (e.ci && i < e.ci->uplift_at_k.size()) interval = e.ci->uplift_at_k[i];
        out += "<tr>" + td(c.tf(Msg::UpliftAtK, esc(nf.percent(k.k, 0)))) +
               td(esc(k.value.overall ? nf.points(*k.value.overall) : no_value), true) + td(ci_text(c, interval, true), true) +
               "</tr>";
    }
    out += "<tr>" + td(c.t(Msg::WeightedUplift)) +
           td(esc(e.weighted_average_uplift.overall ? nf.points(*e.weighted_average_uplift.overall) : no_value), true) +
           td(no_value, true) + "</tr>";
    out += "<tr>" + td(c.t(Msg::RowsTreatedControl)) +
           td(esc(nf.count(double(e.n_treatment)) + " / " + nf.count(double(e.n_control))), true) + td(no_value, true) +
           "</tr>";
    return out + "</tbody></table>";
}

// Curves drawn against the share of clients targeted, which reads the same for any sample size.
ChartSeries as_share(const eval::Curve& curve, double n, std::string label, std::string css) {
    ChartSeries s{std::move(label), {}, curve.y, std::move(css)};
    for (const double x : curve.x) s.x.push_back(n > 0 ? x / n : x);
    return s;
}

std::string curve_charts(const Context& c) {
    const auto& e = *c.report().evaluation;
    const Lang lang = c.lang();
    const NumberFormat& nf = c.nf();
    const auto n = static_cast<double>(e.n);
    const bool binary = c.report().binary;
    const auto chart = [&](Msg title, Msg y_label, const eval::Curve& model, const eval::Curve& random,
                           const eval::Curve& perfect) {
        LineChart ch;
        ch.title = tr(lang, title);
        ch.x_label = tr(lang, Msg::AxisTargeted);
        ch.y_label = tr(lang, y_label);
        ch.no_data = tr(lang, Msg::NoData);
        ch.x_tick = [&nf](double v) { return nf.percent(v, 0); };
        ch.y_tick = [&nf, binary](double v) { return nf.number(v, binary || std::fabs(v) >= 100 ? 0 : 1); };
        ch.series = {as_share(perfect, n, tr(lang, Msg::SeriesPerfect), "s-perfect"),
                     as_share(random, n, tr(lang, Msg::SeriesRandom), "s-random"),
                     as_share(model, n, tr(lang, Msg::SeriesModel), "s-model")};
        return render_line_chart(ch);
    };
    std::string out = "<div class=\"charts\">";
    out += "<figure>" + chart(Msg::QiniTitle, Msg::AxisQini, e.qini_curve, e.random_qini_curve, e.perfect_qini_curve) +
           "<figcaption>" + c.t(Msg::QiniCaption) + "</figcaption></figure>";
    out += "<figure>" +
           chart(Msg::UpliftCurveTitle, Msg::AxisUpliftCurve, e.uplift_curve, e.random_uplift_curve,
                 e.perfect_uplift_curve) +
           "<figcaption>" + c.t(Msg::UpliftCurveCaption) + "</figcaption></figure>";
    return out + "</div>";
}

std::string decile_charts(const Context& c) {
    const auto& e = *c.report().evaluation;
    const Lang lang = c.lang();
    const NumberFormat& nf = c.nf();
    const double z = z_of(e.options.ci_level);
    BarChart uplift;
    uplift.title = tr(lang, Msg::DecileTitle);
    uplift.x_label = tr(lang, Msg::AxisDecile);
    uplift.y_label = tr(lang, c.report().binary ? Msg::AxisUpliftPoints : Msg::AxisUpliftMean);
    uplift.no_data = tr(lang, Msg::NoData);
    const bool binary = c.report().binary;
    uplift.y_tick = [&nf, binary](double v) { return binary ? nf.number(v * 100, 0) : nf.number(v, 2); };
    BarChart balance;
    balance.title = tr(lang, Msg::BalanceTitle);
    balance.x_label = tr(lang, Msg::AxisDecile);
    balance.y_label = tr(lang, Msg::AxisTreatedShare);
    balance.no_data = tr(lang, Msg::NoData);
    balance.y_tick = [&nf](double v) { return nf.percent(v, 0); };
    balance.css_class = "b-balance";
    for (const auto& row : e.uplift_by_percentile) {
        if (row.percentile == "total") {
            uplift.reference = row.uplift;
            uplift.reference_label = tr(lang, Msg::AverageUplift);
            const double total = static_cast<double>(row.n_treatment + row.n_control);
            if (total > 0) balance.reference = static_cast<double>(row.n_treatment) / total;
            balance.reference_label = tr(lang, Msg::OverallShare);
            continue;
        }
        Bar b{row.percentile, row.uplift, std::nullopt, std::nullopt};
        if (row.uplift && row.std_uplift) {
            b.low = *row.uplift - z * *row.std_uplift;
            b.high = *row.uplift + z * *row.std_uplift;
        }
        uplift.bars.push_back(b);
        balance.bars.push_back(Bar{row.percentile,
                                   std::isfinite(row.treatment_share) ? std::optional<double>(row.treatment_share)
                                                                      : std::nullopt,
                                   std::nullopt, std::nullopt});
    }
    return "<div class=\"charts\"><figure>" + render_bar_chart(uplift) + "<figcaption>" +
           c.tf(Msg::DecileCaption, esc(nf.percent(e.options.ci_level, 0))) + "</figcaption></figure><figure>" +
           render_bar_chart(balance) + "<figcaption>" + c.t(Msg::BalanceCaption) + "</figcaption></figure></div>";
}

std::string decile_table(const Context& c) {
    const auto& e = *c.report().evaluation;
    const NumberFormat& nf = c.nf();
    const double z = z_of(e.options.ci_level);
    const bool binary = c.report().binary;
    const auto rate = [&](const std::optional<double>& v) { return binary ? nf.percent(v, 1) : nf.number(v, 2); };
    const auto diff = [&](double v) { return binary ? nf.points(v) : nf.number(v, 3); };
    std::string out = "<table class=\"data\"><thead><tr>" + th(c.t(Msg::ColDecile)) + th(c.t(Msg::ColTreated), true) +
                      th(c.t(Msg::ColControl), true) + th(c.t(binary ? Msg::ColRateTreated : Msg::ColMeanTreated), true) +
                      th(c.t(binary ? Msg::ColRateControl : Msg::ColMeanControl), true) + th(c.t(Msg::ColUplift), true) +
                      th(c.tf(Msg::ColRange, esc(nf.percent(e.options.ci_level, 0))), true) +
                      th(c.t(Msg::ColTreatedShare), true) + "</tr></thead><tbody>";
    for (const auto& row : e.uplift_by_percentile) {
        const bool total = row.percentile == "total";
        std::string range = no_value;
        if (row.uplift && row.std_uplift) {
            range = diff(*row.uplift - z * *row.std_uplift) + " \xE2\x80\xA6 " + diff(*row.uplift + z * *row.std_uplift);
        }
        out += std::string(total ? "<tr class=\"ours\">" : "<tr>") + td(total ? c.t(Msg::Total) : esc(row.percentile)) +
               td(esc(nf.count(double(row.n_treatment))), true) + td(esc(nf.count(double(row.n_control))), true) +
               td(esc(rate(row.response_rate_treatment)), true) + td(esc(rate(row.response_rate_control)), true) +
               td(esc(row.uplift ? diff(*row.uplift) : no_value), true) + td(esc(range), true) +
               td(esc(nf.percent(row.treatment_share, 1)), true) + "</tr>";
    }
    return out + "</tbody></table>";
}

std::string ab_block(const Context& c) {
    const Report& r = c.report();
    if (!r.ab) return {};
    const AbReadout& ab = *r.ab;
    const NumberFormat& nf = c.nf();
    std::string out = "<h3>" + c.t(Msg::AbTitle) + "</h3><p class=\"sub\">" + c.t(Msg::AbSub) + "</p>";
    out += "<table class=\"data\"><thead><tr>" + th(c.t(Msg::ColGroup)) + th(c.t(Msg::ColClients), true) +
           "</tr></thead><tbody>";
    out += "<tr>" + td(c.tf(Msg::GroupTreated, esc(r.treatment_level))) + td(esc(nf.count(double(ab.treated.n))), true) +
           "</tr>";
    out += "<tr>" + td(c.tf(Msg::GroupControl, esc(r.control))) + td(esc(nf.count(double(ab.control.n))), true) +
           "</tr></tbody></table>";
    // One row per measure: conversion, average check (buyers), average outcome per client.
    const double level = ab.result ? ab.result->level : r.options.ci_level;
    out += "<table class=\"data\" id=\"ab-table\"><thead><tr>" + th(c.t(Msg::ColMeasure)) + th(c.t(Msg::ColTreated), true) +
           th(c.t(Msg::ColControl), true) + th(c.t(Msg::ColDifference), true) +
           th(c.tf(Msg::ColRange, esc(nf.percent(level, 0))), true) + th(c.t(Msg::ColRelativeLift), true) +
           th(c.t(Msg::ColPValue), true) + th(c.t(Msg::ColTest)) + "</tr></thead><tbody>";
    for (const AbMetric& m : ab_rows(ab)) {
        const bool rate = m.kind == AbMetricKind::Conversion;
        const auto val = [&](double v) { return rate ? nf.percent(v, 2) : nf.number(v, 2); };
        const auto dif = [&](double v) { return rate ? nf.points(v, 2) : nf.number(v, 2); };
        const Msg name = rate ? Msg::ConversionRate
                         : m.kind == AbMetricKind::AverageCheck ? Msg::AverageCheck
                                                                 : Msg::AverageOutcome;
        out += "<tr>" + td(c.t(name)) + td(esc(val(m.treated.mean)), true) + td(esc(val(m.control.mean)), true);
        if (!m.result) {
            out += "<td colspan=\"5\">" + c.t(Msg::AbUndefined) + "</td></tr>";
            continue;
        }
        const TestResult& t = *m.result;
        out += td(esc(dif(t.difference)), true) + td(esc(dif(t.ci_low) + " \xE2\x80\xA6 " + dif(t.ci_high)), true) +
               td(esc(m.relative_lift ? nf.percent(*m.relative_lift, 1) : no_value), true) +
               td(esc(nf.p_value(t.p_value)), true) +
               td(m.test == AbTest::TwoProportionZ
                      ? c.tf(Msg::TestZ, esc(nf.number(t.statistic, 2)))
                      : c.tf(Msg::TestWelch, esc(nf.number(t.statistic, 2)), esc(nf.number(t.df.value_or(0), 1)))) +
               "</tr>";
    }
    out += "</tbody></table>";
    if (ab.average_check) {
        out += "<p class=\"note\">" +
               c.tf(Msg::AbCheckSource, esc(ab.check_column), esc(nf.count(double(ab.average_check->treated.n))),
                    esc(nf.count(double(ab.average_check->control.n)))) +
               "</p>";
    } else if (r.has_note(Note::NoAverageCheck)) {
        out += "<p class=\"note\" id=\"ab-no-check\">" + c.t(Msg::NoteNoAverageCheck) + "</p>";
    }
    if (!ab.result) return out;
    const TestResult& t = *ab.result;
    const double alpha = 1 - t.level;
    out += "<p class=\"verdict\">" +
           c.tf(t.p_value < alpha ? Msg::Significant : Msg::NotSignificant, esc(nf.percent(alpha, 0))) + "</p>";
    return out;
}

std::string kinds_block(const Context& c) {
    const Report& r = c.report();
    std::string out = "<h3>" + c.t(Msg::KindsTitle) + "</h3>";
    const NumberFormat& nf = c.nf();
    std::string glossary = "<ul class=\"glossary\">";
    const std::pair<Msg, Msg> names[] = {{Msg::KindPersuadable, Msg::KindPersuadableDesc},
                                         {Msg::KindSureThing, Msg::KindSureThingDesc},
                                         {Msg::KindLostCause, Msg::KindLostCauseDesc},
                                         {Msg::KindSleepingDog, Msg::KindSleepingDogDesc}};
    for (const auto& [name, desc] : names) glossary += "<li><b>" + c.t(name) + "</b> \xE2\x80\x94 " + c.t(desc) + "</li>";
    glossary += "</ul>";
    if (!r.kinds) return out + "<p class=\"note\">" + c.t(Msg::NoteNoClientKinds) + "</p>" + glossary;
    const ClientKinds& k = *r.kinds;
    const double total = static_cast<double>(k.clients);
    const auto bar = [&](Msg name, double value, const char* css) {
        return HBar{tr(c.lang(), name), value,
                    nf.count(value) + " \xC2\xB7 " + nf.percent(total > 0 ? value / total : 0.0, 1), css};
    };
    HBarChart chart;
    chart.title = tr(c.lang(), Msg::KindsTitle);
    chart.bars = {bar(Msg::KindPersuadable, k.persuadable, "b-kind-persuadable"),
                  bar(Msg::KindSureThing, k.sure_thing, "b-kind-sure"),
                  bar(Msg::KindLostCause, k.lost_cause, "b-kind-lost"),
                  bar(Msg::KindSleepingDog, k.sleeping_dog, "b-kind-dog")};
    chart.label_width = 130;
    chart.width = 470;
    out += "<div class=\"kinds\"><figure>" + render_hbar_chart(chart) + "<figcaption>" +
           (k.by_rule ? c.tf(Msg::KindsByRule, esc(nf.count(total)), esc(k.source), esc(nf.points(k.thresholds.uplift)),
                             esc(nf.percent(k.thresholds.buy, 0)))
                      : c.tf(Msg::KindsCounted, esc(nf.count(total)), esc(k.source))) +
           "</figcaption></figure>" + glossary + "</div>";
    return out;
}

std::string model_block(const Context& c) {
    const Report& r = c.report();
    std::string out = "<h3>" + c.t(Msg::ImportanceTitle) + "</h3>";
    const NumberFormat& nf = c.nf();
    if (!r.model || r.model->importance.empty()) {
        out += "<p class=\"note\">" + c.t(r.model ? Msg::NoteNoImportance : Msg::NoteNoModel) + "</p>";
    } else {
        HBarChart chart;
        chart.title = tr(c.lang(), Msg::ImportanceTitle);
        chart.label_width = 220;
        chart.width = 760;
        constexpr std::size_t shown = 12;
        for (std::size_t i = 0; i < r.model->importance.size() && i < shown; ++i) {
            const auto& f = r.model->importance[i];
            chart.bars.push_back(HBar{f.feature, f.share, nf.percent(f.share, 1), "b-main"});
        }
        out += "<figure>" + render_hbar_chart(chart) + "<figcaption>" + c.t(Msg::ImportanceCaption) +
               "</figcaption></figure>";
    }
    if (!r.model) return out;
    const ModelSummary& m = *r.model;
    out += "<h3>" + c.t(Msg::ModelTitle) + "</h3><table class=\"data kv\"><tbody>";
    out += "<tr>" + td(c.t(Msg::ModelFolder)) + td("<code>" + esc(m.dir) + "</code>") + "</tr>";
    out += "<tr>" + td(c.t(Msg::ModelLearner)) + td(learner_name(c, m.learner)) + "</tr>";
    out += "<tr>" + td(c.t(Msg::ModelFeatures)) + td(esc(nf.count(double(m.n_features)))) + "</tr></tbody></table>";
    if (!m.holdout.empty()) {
        out += "<table class=\"data\"><thead><tr>" + th(c.t(Msg::ColLevel)) + th(c.t(Msg::ColTreated), true) +
               th(c.t(Msg::ColControl), true) + th(c.t(Msg::QiniAuc), true) + th(c.t(Msg::UpliftAuc), true) +
               th(c.tf(Msg::UpliftAtK, esc(nf.percent(0.3, 0))), true) + "</tr></thead><tbody>";
        for (const auto& h : m.holdout) {
            out += "<tr>" + td(esc(h.level)) + td(esc(nf.count(h.n_treatment)), true) +
                   td(esc(nf.count(h.n_control)), true) + td(esc(nf.number(h.qini_auc, 4)), true) +
                   td(esc(nf.number(h.uplift_auc, 4)), true) +
                   td(esc(h.uplift_at_30 ? nf.points(*h.uplift_at_30) : no_value), true) + "</tr>";
        }
        out += "</tbody></table><p class=\"note\">" + c.t(Msg::ModelHoldoutNote) + "</p>";
    }
    if (m.gender) {
        out += "<h3>" + c.t(Msg::GenderTitle) + "</h3><p id=\"gender-recovery\">" +
               esc(gender_line(*m.gender, c.lang(), nf)) + "</p>";
    }
    return out;
}

Msg note_message(Note note) {
    switch (note) {
    case Note::NoEvaluation: return Msg::NoteNoEvaluation;
    case Note::NoPlan: return Msg::NoteNoPlan;
    case Note::NoBudgetCurve: return Msg::NoteNoBudgetCurve;
    case Note::NoModel: return Msg::NoteNoModel;
    case Note::NoImportance: return Msg::NoteNoImportance;
    case Note::NoClientKinds: return Msg::NoteNoClientKinds;
    case Note::NoBootstrap: return Msg::NoteNoBootstrap;
    case Note::RangesFromHoldout: return Msg::NoteRanges;
    case Note::MeasuredOnTest: return Msg::NoteRanges;
    case Note::InSample: return Msg::NoteInSample;
    case Note::OtherArmsExcluded: return Msg::NoteOtherArms;
    case Note::NoRangeNoUplift: return Msg::NoteNoRangeNoUplift;
    case Note::NoAverageCheck: return Msg::NoteNoAverageCheck;
    }
    return Msg::NoteNoPlan;
}

}  // namespace

std::string analyst_section(const Context& c) {
    const Report& r = c.report();
    std::string out = "<section class=\"block\" id=\"analyst\"><h2>" + c.t(Msg::AnalystTitle) + "</h2>";
    if (r.has_note(Note::InSample)) out += "<p class=\"callout\" id=\"in-sample\">" + c.t(Msg::NoteInSample) + "</p>";
    if (r.evaluation) {
        out += "<p class=\"sub\">" +
               c.tf(Msg::AnalystSub, "<code>" + esc(r.evaluation_file) + "</code>", esc(r.treatment_level),
                    esc(r.control), esc(r.outcome_column), "<code>" + esc(r.score_column) + "</code>") +
               "</p>";
        out += metrics_table(c);
        out += curve_charts(c);
        out += "<h3>" + c.t(Msg::DecileHeading) + "</h3>" + decile_charts(c) + decile_table(c);
        out += ab_block(c);
    } else {
        out += "<p class=\"callout\">" + c.t(Msg::NoteNoEvaluation) + "</p>";
    }
    out += kinds_block(c);
    out += model_block(c);
    return out + "</section>";
}

std::string method_section(const Context& c) {
    const Report& r = c.report();
    const NumberFormat& nf = c.nf();
    std::string out = "<section class=\"block\" id=\"method\"><h2>" + c.t(Msg::MethodTitle) + "</h2>";
    out += "<table class=\"data kv\"><tbody>";
    const auto row = [&](Msg label, const std::string& html) {
        out += "<tr>" + td(c.t(label)) + td(html) + "</tr>";
    };
    row(Msg::InputScores, "<code>" + esc(r.scores_file) + "</code> \xC2\xB7 " +
                              c.tf(Msg::RowsCount, esc(nf.count(double(r.scored_rows)))));
    if (!r.evaluation_file.empty()) row(Msg::InputEvaluation, "<code>" + esc(r.evaluation_file) + "</code>");
    if (!r.plan_file.empty()) row(Msg::InputPlan, "<code>" + esc(r.plan_file) + "</code>");
    if (r.model) row(Msg::InputModel, "<code>" + esc(r.model->dir) + "</code>");
    if (!r.treatment_column.empty()) {
        row(Msg::InputTreatment, "<code>" + esc(r.treatment_column) + "</code>: " + esc(r.treatment_level) + " / " +
                                     esc(r.control));
    }
    if (!r.outcome_column.empty()) {
        row(Msg::InputOutcome, "<code>" + esc(r.outcome_column) + "</code> (" +
                                   c.t(r.binary ? Msg::OutcomeBinary : Msg::OutcomeContinuous) + ")");
    }
    if (!r.score_column.empty()) row(Msg::InputScore, "<code>" + esc(r.score_column) + "</code>");
    if (r.rows_excluded > 0) row(Msg::RowsExcluded, esc(nf.count(double(r.rows_excluded))));
    row(Msg::InputBootstrap, c.tf(Msg::BootstrapText, esc(nf.count(double(r.options.bootstrap))),
                                  esc(std::to_string(r.options.seed)), esc(nf.percent(r.options.ci_level, 0))));
    out += "</tbody></table>";
    std::string notes;
    for (const Note note : r.notes) {
        // Explained under the summary, or at the top of the analyst's part.
        if (note == Note::RangesFromHoldout || note == Note::MeasuredOnTest || note == Note::InSample) continue;
        notes += "<li>" + c.t(note_message(note)) + "</li>";
    }
    if (!notes.empty()) out += "<h3>" + c.t(Msg::NotesTitle) + "</h3><ul class=\"glossary\">" + notes + "</ul>";
    const auto parameters = r.plan && r.plan->parameters ? artifacts::setting_lines(*r.plan->parameters)
                                                         : std::vector<std::pair<std::string, std::string>>{};
    if (!parameters.empty()) {
        out += "<h3>" + c.t(Msg::PlanParameters) + "</h3><table class=\"data kv\"><tbody>";
        for (const auto& [k, v] : parameters) out += "<tr>" + td("<code>" + esc(k) + "</code>") + td(esc(v)) + "</tr>";
        out += "</tbody></table>";
    }
    return out + "</section>";
}

}  // namespace uplift::report::html
