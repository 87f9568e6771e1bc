// The report as Markdown, for e-mail: the summary, the comparison with baselines, model quality and the A/B
// readout as tables. Every data string is escaped (Markdown punctuation and raw HTML alike).

#include <fmt/format.h>

#include <filesystem>

#include "uplift/core/version.hpp"
#include "uplift/report/gender_line.hpp"
#include "uplift/report/html_escape.hpp"
#include "uplift/report/monthly_blocks.hpp"
#include "uplift/report/number_format.hpp"
#include "uplift/report/render.hpp"

namespace uplift::report {

namespace {

std::string md(std::string_view s) { return escape_markdown(s); }

class Writer {
public:
    explicit Writer(const Report& r) : r_(r), lang_(r.options.lang), nf_(lang_, r.options.currency) {}

    // Our own sentences are written as Markdown-safe text; only the data put into them is escaped.
    std::string t(Msg m) const { return tr(lang_, m, r_.words); }
    template <class... Args>
    std::string tf(Msg m, const Args&... args) const {
        return fmt::format(fmt::runtime(tr(lang_, m, r_.words)), args...);
    }
    std::string range(const std::optional<eval::ConfidenceInterval>& ci, std::string (NumberFormat::*f)(double) const) const {
        if (!ci) return "";
        return md((nf_.*f)(ci->low) + " \xE2\x80\xA6 " + (nf_.*f)(ci->high));
    }
    std::string percent1(double v) const { return nf_.percent(v, 1); }

    std::string render() {
        const std::string title = r_.options.title.empty() ? std::string(tr(lang_, Msg::DefaultTitle)) : r_.options.title;
        out_ += "# " + md(title) + "\n\n";
        if (!r_.treatment_level.empty() || !r_.control.empty()) {
            out_ += '_';
            out_ += tf(Msg::Lede, md(r_.treatment_level), md(r_.control), md(r_.outcome_column),
                       md(nf_.count(double(r_.scored_rows))), md(std::filesystem::path(r_.scores_file).filename().string()));
            if (const auto pop = population(r_); pop && r_.plan) out_ += tf(Msg::LedePlan, md(nf_.count(*pop)));
            out_ += "_\n\n";
        }
        summary();
        monthly();
        baselines();
        offers();
        quality();
        method();
        out_ += tf(Msg::Footer, md(uplift::version())) + "\n";
        return out_;
    }

private:
    void row(const std::vector<std::string>& cells) {
        out_ += "|";
        for (const auto& c : cells) out_ += " " + c + " |";
        out_ += "\n";
    }
    void header(const std::vector<std::string>& cells, const std::vector<bool>& numeric) {
        row(cells);
        out_ += "|";
        for (std::size_t i = 0; i < cells.size(); ++i) out_ += i < numeric.size() && numeric[i] ? "---:|" : "---|";
        out_ += "\n";
    }

    // The blocks are plain text worded by monthly_blocks.cpp: every piece is escaped here.
    void monthly() {
        for (const TextBlock& b : monthly_blocks(r_)) {
            out_ += "## " + md(b.title) + "\n\n";
            for (const auto& line : b.lines) out_ += md(line) + "\n\n";
            for (const auto& t : b.tables) {
                if (!t.caption.empty()) out_ += "### " + md(t.caption) + "\n\n";
                std::vector<std::string> head;
                for (const auto& h : t.header) head.push_back(md(h));
                header(head, t.numeric);
                for (const auto& cells : t.rows) {
                    std::vector<std::string> escaped;
                    for (const auto& cell : cells) escaped.push_back(md(cell));
                    row(escaped);
                }
                out_ += "\n";
            }
            for (const auto& note : b.notes) out_ += "_" + md(note) + "_\n\n";
        }
    }

    void summary() {
        const auto& s = r_.summary;
        out_ += "## " + t(Msg::SummaryTitle) + "\n\n";
        if (!s.contacts.value) {
            out_ += t(Msg::NoSummary) + "\n\n";
            return;
        }
        out_ += t(s.from_plan ? Msg::SummarySubPlan : Msg::SummarySubTest) + "\n\n";
        const std::string level = md(nf_.percent(r_.options.ci_level, 0));
        header({"", t(Msg::ColValue), tf(Msg::ColRange, level)}, {false, true, true});
        std::string coverage = md(nf_.count(*s.contacts.value));
        if (s.coverage_share) coverage += " (" + md(nf_.percent(*s.coverage_share, 1)) + ")";
        row({t(Msg::CardCoverage), coverage, ""});
        if (!s.offers.empty()) {
            std::string offers;
            for (const auto& o : s.offers) offers += (offers.empty() ? "" : ", ") + md(o);
            row({t(Msg::ColOffer), offers, ""});
        }
        if (s.incremental_conversions.value) {
            row({t(Msg::CardOrders), md(nf_.signed_count(*s.incremental_conversions.value)),
                 range(s.incremental_conversions.range, &NumberFormat::signed_count)});
        }
        if (s.incremental_revenue.value) {
            row({t(s.from_plan ? Msg::CardRevenue : Msg::CardOutcome), md(nf_.signed_money(*s.incremental_revenue.value)),
                 range(s.incremental_revenue.range, &NumberFormat::signed_money)});
        }
        if (s.spend.value) row({t(Msg::CardSpend), md(nf_.money(*s.spend.value)), ""});
        if (s.saved_vs_everyone.value) row({t(Msg::CardSaved), md(nf_.money(*s.saved_vs_everyone.value)), ""});
        if (s.profit.value) {
            row({t(Msg::CardProfit), md(nf_.signed_money(*s.profit.value)), range(s.profit.range, &NumberFormat::signed_money)});
        }
        if (s.roi.value) row({t(Msg::CardRoi), md(nf_.percent(*s.roi.value, 0)), range(s.roi.range, &Writer::pct, this)});
        if (s.useless_discount_share.value) {
            row({t(Msg::CardUseless), md(nf_.percent(*s.useless_discount_share.value, 1)),
                 range(s.useless_discount_share.range, &Writer::pct, this)});
        }
        out_ += "\n";
        if (r_.has_note(Note::NoRangeNoUplift)) out_ += t(Msg::NoteNoRangeNoUplift) + "\n\n";
        if (r_.summary.measured) {
            const auto& m = *r_.summary.measured;
            const std::string forecast =
                r_.summary.model_forecast
                    ? tf(r_.binary ? Msg::EffectOrders : Msg::EffectOutcome, md(nf_.signed_count(*r_.summary.model_forecast)))
                    : md(no_value);
            out_ += tf(Msg::RangesNoteMeasured, md(nf_.count(double(m.measured))), md(nf_.count(double(m.treated))),
                       md(nf_.count(double(m.control))), md(m.scored_as), md(nf_.percent(m.level, 0)), forecast,
                       md(nf_.count(double(m.planned)))) +
                    holdout_cross_check() + "\n\n";
        } else if (r_.check && r_.has_note(Note::RangesFromHoldout)) {
            const auto& rel = r_.summary.relative_range;
            const std::string estimate =
                r_.summary.test_estimate
                    ? tf(r_.binary ? Msg::EffectOrders : Msg::EffectOutcome, md(nf_.signed_count(*r_.summary.test_estimate)))
                    : md(no_value);
            out_ += tf(r_.summary.from_plan ? Msg::RangesNote : Msg::RangesNoteTest, md(nf_.percent(r_.check->share, 1)),
                       md(nf_.count(double(r_.check->rows))), md(r_.evaluation_file),
                       md(nf_.count(double(r_.options.bootstrap))), md(rel ? nf_.percent(rel->low, 0) : no_value),
                       md(rel ? nf_.percent(rel->high, 0) : no_value), estimate) +
                    "\n\n";
        }
    }

    // Percentages for ranges, through a member so range() can take it like a NumberFormat method.
    static std::string pct(const Writer* w, double v) { return w->percent1(v); }
    std::string range(const std::optional<eval::ConfidenceInterval>& ci, std::string (*f)(const Writer*, double),
                      const Writer* w) const {
        if (!ci) return "";
        return md(f(w, ci->low) + " \xE2\x80\xA6 " + f(w, ci->high));
    }

    void baselines() {
        if (!r_.plan || r_.plan->baselines.empty()) return;
        const Plan& p = *r_.plan;
        out_ += "## " + t(Msg::CompareTitle) + "\n\n";
        header({t(Msg::ColStrategy), t(Msg::ColClients), t(Msg::ColSpend), t(Msg::ColRevenue), t(Msg::ColProfit),
                t(Msg::ColRoi)},
               {false, true, true, true, true, true});
        row({"**" + t(Msg::OurPlan) + "**", md(nf_.count(p.contacts)), md(nf_.money(p.expected_spend)),
             md(nf_.money(p.expected_incremental_revenue)), md(nf_.money(p.expected_profit)), md(nf_.percent(p.roi, 1))});
        for (const auto& b : p.baselines) {
            const Msg name = b.key == artifacts::baseline_everyone        ? Msg::BaselineEveryone
                             : b.key == artifacts::baseline_random         ? Msg::BaselineRandom
                             : b.key == artifacts::baseline_response_model ? Msg::BaselineResponse
                                                         : Msg::BaselineOther;
            row({name == Msg::BaselineOther ? md(b.key) : t(name), md(nf_.count(b.figures.contacts)),
                 md(nf_.money(b.figures.spend)), md(nf_.money(b.figures.incremental_revenue)), md(nf_.money(b.figures.profit)),
                 md(nf_.percent(b.figures.roi, 1))});
        }
        out_ += "\n";
        if (p.budget) out_ += tf(Msg::BaselinesNote, md(nf_.money(*p.budget))) + "\n\n";
        if (r_.summary.measured) out_ += t(Msg::BaselinesForecast) + "\n\n";
        profit_by_budget();
    }

    // The slider's numbers for e-mail: every fifth point of the budget curve (and the last), the plan's profit
    // beside the baselines' at the same budget.
    void profit_by_budget() {
        if (!r_.plan || !r_.plan->has_curve_baselines()) return;
        const Plan& p = *r_.plan;
        out_ += "### " + t(Msg::ProfitByBudget) + "\n\n";
        header({t(Msg::Budget), t(Msg::OurPlan), t(Msg::BaselineEveryone), t(Msg::BaselineRandom),
                t(Msg::BaselineResponse)},
               {true, true, true, true, true});
        const std::size_t n = p.budget_curve.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 5 != 0 && i + 1 != n) continue;
            const auto profit = [&](std::string_view key) { return md(nf_.money(p.curve_baseline(i, key)->figures.profit)); };
            row({md(nf_.money(p.budget_curve[i].budget)), md(nf_.money(p.budget_curve[i].profit)), profit(artifacts::baseline_everyone),
                 profit(artifacts::baseline_random), profit(artifacts::baseline_response_model)});
        }
        out_ += "\n";
    }

    void offers() {
        if (!r_.plan || r_.plan->per_offer.empty()) return;
        out_ += "## " + t(Msg::PlanTitle) + "\n\n";
        header({t(Msg::ColOffer), t(Msg::ColChannel), t(Msg::ColClients), t(Msg::ColSpend), t(Msg::ColOrders),
                t(Msg::ColRevenue), t(Msg::ColProfit)},
               {false, false, true, true, true, true, true});
        for (const auto& o : r_.plan->per_offer) {
            row({md(o.offer), md(o.channel == artifacts::unnamed_channel ? std::string(no_value) : o.channel), md(nf_.count(o.figures.contacts)), md(nf_.money(o.figures.spend)),
                 md(nf_.number(o.figures.incremental_conversions, 1)), md(nf_.money(o.figures.incremental_revenue)),
                 md(nf_.money(o.figures.profit))});
        }
        out_ += "\n";
    }

    void quality() {
        out_ += "## " + t(Msg::AnalystTitle) + "\n\n";
        if (r_.has_note(Note::InSample)) out_ += "**" + t(Msg::NoteInSample) + "**\n\n";
        if (!r_.evaluation) {
            out_ += t(Msg::NoteNoEvaluation) + "\n\n";
        } else {
            const auto& e = *r_.evaluation;
            const std::string level = md(nf_.percent(e.options.ci_level, 0));
            header({t(Msg::ColMetric), t(Msg::ColValue), tf(Msg::ColRange, level)}, {false, true, true});
            row({t(Msg::QiniAuc), md(nf_.number(e.qini_auc, 4)), e.ci ? range(e.ci->qini_auc, &NumberFormat::metric) : ""});
            row({t(Msg::UpliftAuc), md(nf_.number(e.uplift_auc, 4)),
                 e.ci ? range(e.ci->uplift_auc, &NumberFormat::metric) : ""});
            for (std::size_t i = 0; i < e.uplift_at_k.size(); ++i) {
                const auto& k = e.uplift_at_k[i];
                std::optional<eval::ConfidenceInterval> ci;
                if (e.ci && i < e.ci->uplift_at_k.size()) ci = e.ci->uplift_at_k[i];
                row({tf(Msg::UpliftAtK, md(nf_.percent(k.k, 0))), md(k.value.overall ? nf_.points(*k.value.overall) : no_value),
                     range(ci, &Writer::points, this)});
            }
            row({t(Msg::RowsTreatedControl), md(nf_.count(double(e.n_treatment)) + " / " + nf_.count(double(e.n_control))), ""});
            out_ += "\n### " + t(Msg::DecileHeading) + "\n\n";
            const bool binary = r_.binary;
            header({t(Msg::ColDecile), t(Msg::ColTreated), t(Msg::ColControl),
                    t(binary ? Msg::ColRateTreated : Msg::ColMeanTreated), t(binary ? Msg::ColRateControl : Msg::ColMeanControl),
                    t(Msg::ColUplift), t(Msg::ColTreatedShare)},
                   {false, true, true, true, true, true, true});
            for (const auto& p : e.uplift_by_percentile) {
                const auto rate = [&](const std::optional<double>& v) { return binary ? nf_.percent(v, 1) : nf_.number(v, 2); };
                row({p.percentile == "total" ? t(Msg::Total) : md(p.percentile), md(nf_.count(double(p.n_treatment))),
                     md(nf_.count(double(p.n_control))), md(rate(p.response_rate_treatment)),
                     md(rate(p.response_rate_control)),
                     md(p.uplift ? (binary ? nf_.points(*p.uplift) : nf_.number(*p.uplift, 3)) : no_value),
                     md(nf_.percent(p.treatment_share, 1))});
            }
            out_ += "\n";
            ab();
        }
        kinds();
        importance();
    }

    static std::string points(const Writer* w, double v) { return w->nf_.points(v); }

    void ab() {
        if (!r_.ab) return;
        const AbReadout& ab = *r_.ab;
        out_ += "### " + t(Msg::AbTitle) + "\n\n" + t(Msg::AbSub) + "\n\n";
        header({t(Msg::ColGroup), t(Msg::ColClients)}, {false, true});
        row({tf(Msg::GroupTreated, md(r_.treatment_level)), md(nf_.count(double(ab.treated.n)))});
        row({tf(Msg::GroupControl, md(r_.control)), md(nf_.count(double(ab.control.n)))});
        out_ += "\n";
        const double level = ab.result ? ab.result->level : r_.options.ci_level;
        header({t(Msg::ColMeasure), t(Msg::ColTreated), t(Msg::ColControl), t(Msg::ColDifference),
                tf(Msg::ColRange, md(nf_.percent(level, 0))), t(Msg::ColRelativeLift), t(Msg::ColPValue), t(Msg::ColTest)},
               {false, true, true, true, true, true, true, false});
        for (const AbMetric& m : ab_rows(ab)) {
            const bool rate = m.kind == AbMetricKind::Conversion;
            const auto val = [&](double v) { return rate ? nf_.percent(v, 2) : nf_.number(v, 2); };
            const auto dif = [&](double v) { return rate ? nf_.points(v, 2) : nf_.number(v, 2); };
            const Msg name = rate ? Msg::ConversionRate
                             : m.kind == AbMetricKind::AverageCheck ? Msg::AverageCheck
                                                                     : Msg::AverageOutcome;
            if (!m.result) {
                row({t(name), md(val(m.treated.mean)), md(val(m.control.mean)), t(Msg::AbUndefined), "", "", "", ""});
                continue;
            }
            const TestResult& res = *m.result;
            row({t(name), md(val(m.treated.mean)), md(val(m.control.mean)), md(dif(res.difference)),
                 md(dif(res.ci_low) + " \xE2\x80\xA6 " + dif(res.ci_high)),
                 md(m.relative_lift ? nf_.percent(*m.relative_lift, 1) : no_value), md(nf_.p_value(res.p_value)),
                 m.test == AbTest::TwoProportionZ
                     ? tf(Msg::TestZ, md(nf_.number(res.statistic, 2)))
                     : tf(Msg::TestWelch, md(nf_.number(res.statistic, 2)), md(nf_.number(res.df.value_or(0), 1)))});
        }
        out_ += "\n";
        if (ab.average_check) {
            out_ += tf(Msg::AbCheckSource, md(ab.check_column), md(nf_.count(double(ab.average_check->treated.n))),
                       md(nf_.count(double(ab.average_check->control.n)))) +
                    "\n\n";
        } else if (r_.has_note(Note::NoAverageCheck)) {
            out_ += t(Msg::NoteNoAverageCheck) + "\n\n";
        }
        if (!ab.result) return;
        const double alpha = 1 - ab.result->level;
        out_ += tf(ab.result->p_value < alpha ? Msg::Significant : Msg::NotSignificant, md(nf_.percent(alpha, 0))) + "\n\n";
    }

    /// The same plan seen from the holdout alone (its top share by score), as the HTML gives it.
    std::string holdout_cross_check() const {
        const auto& k = r_.check;
        if (!k || !k->uplift || !k->uplift_range || !r_.summary.contacts.value) return {};
        const double n = *r_.summary.contacts.value;
        return tf(Msg::CrossCheckHoldout, md(r_.evaluation_file), md(nf_.count(double(k->rows))),
                  md(nf_.percent(k->share, 1)), md(nf_.signed_count(*k->uplift * n)),
                  md(nf_.signed_count(k->uplift_range->low * n)), md(nf_.signed_count(k->uplift_range->high * n)));
    }

    void kinds() {
        if (!r_.kinds) return;
        const ClientKinds& k = *r_.kinds;
        const double total = static_cast<double>(k.clients);
        out_ += "### " + t(Msg::KindsTitle) + "\n\n";
        header({"", t(Msg::ColClients), t(Msg::ColShare)}, {false, true, true});
        const std::pair<Msg, double> rows[] = {{Msg::KindPersuadable, k.persuadable},
                                               {Msg::KindSureThing, k.sure_thing},
                                               {Msg::KindLostCause, k.lost_cause},
                                               {Msg::KindSleepingDog, k.sleeping_dog}};
        for (const auto& [name, value] : rows) {
            row({t(name), md(nf_.count(value)), md(nf_.percent(total > 0 ? value / total : 0.0, 1))});
        }
        out_ += "\n" + (k.by_rule ? tf(Msg::KindsByRule, md(nf_.count(total)), md(k.source),
                                       md(nf_.points(k.thresholds.uplift)), md(nf_.percent(k.thresholds.buy, 0)))
                                  : tf(Msg::KindsCounted, md(nf_.count(total)), md(k.source))) +
                "\n\n";
    }

    void importance() {
        if (!r_.model || r_.model->importance.empty()) return;
        out_ += "### " + t(Msg::ImportanceTitle) + "\n\n";
        header({t(Msg::ColFeature), t(Msg::ColShare)}, {false, true});
        for (std::size_t i = 0; i < r_.model->importance.size() && i < 10; ++i) {
            const auto& f = r_.model->importance[i];
            row({md(f.feature), md(nf_.percent(f.share, 1))});
        }
        out_ += "\n";
    }

    void method() {
        out_ += "## " + t(Msg::MethodTitle) + "\n\n";
        out_ += "- " + t(Msg::InputScores) + ": " + md(r_.scores_file) + " (" +
                tf(Msg::RowsCount, md(nf_.count(double(r_.scored_rows)))) + ")\n";
        if (!r_.evaluation_file.empty()) out_ += "- " + t(Msg::InputEvaluation) + ": " + md(r_.evaluation_file) + "\n";
        if (!r_.plan_file.empty()) out_ += "- " + t(Msg::InputPlan) + ": " + md(r_.plan_file) + "\n";
        if (r_.model) out_ += "- " + t(Msg::InputModel) + ": " + md(r_.model->dir) + "\n";
        if (r_.model && r_.model->gender) {
            out_ += "- " + t(Msg::GenderTitle) + ": " + md(gender_line(*r_.model->gender, lang_, nf_)) + "\n";
        }
        out_ += "- " + t(Msg::InputBootstrap) + ": " +
                tf(Msg::BootstrapText, md(nf_.count(double(r_.options.bootstrap))), md(std::to_string(r_.options.seed)),
                   md(nf_.percent(r_.options.ci_level, 0))) +
                "\n\n";
    }

    const Report& r_;
    Lang lang_;
    NumberFormat nf_;
    std::string out_;
};

}  // namespace

std::string render_markdown(const Report& report) { return Writer(report).render(); }

}  // namespace uplift::report
