#include "uplift/report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::report {

namespace {

using eval::ConfidenceInterval;

// Whether `table` holds the experiment (treatment and outcome), so it can be evaluated directly.
bool has_experiment_columns(const io::Table& table, const eval::ScoredColumns& wanted) {
    const auto roles = data::load_roles(table.metadata());
    const std::string treatment = !wanted.treatment.empty() ? wanted.treatment : roles ? roles->treatment : "";
    const std::string outcome = !wanted.outcome.empty() ? wanted.outcome : roles ? roles->outcome : "";
    return !treatment.empty() && !outcome.empty() && table.has(treatment) && table.has(outcome);
}

/// The --check-col amounts of the rows select_scored_input kept (the treated level and control, in file order),
/// aligned with input.y. A buyer (outcome > 0) must have an amount; other rows' amounts are not read.
std::vector<double> check_amounts(const io::Table& table, const std::string& file, const eval::ScoredInput& input,
                                  const std::string& column) {
    if (!table.has(column)) {
        throw UsageError(fmt::format("--check-col '{}' is not a column of '{}'", column, file));
    }
    const io::Column& amount = table.column(column);
    if (!amount.is_numeric()) {
        throw DataError(fmt::format("'{}': check column '{}' holds text; it must hold purchase amounts", file, column));
    }
    const io::Column& t = table.column(input.resolved.treatment);
    std::vector<double> out;
    out.reserve(input.y.size());
    for (std::size_t i = 0; i < table.num_rows(); ++i) {
        const std::string level = t.text_at(i);
        if (level != input.resolved.control && level != input.resolved.treatment_level) continue;
        const double yi = input.y[out.size()];
        const double a = amount.is_valid(i) ? amount.number_at(i) : std::nan("");
        if (yi > 0 && !(std::isfinite(a) && a >= 0)) {
            throw DataError(fmt::format("'{}', row {}, column '{}': a buyer's purchase amount must be a number of 0 or "
                                        "more, got '{}'",
                                        file, i + 1, column, amount.is_valid(i) ? amount.text_at(i) : "NULL"));
        }
        out.push_back(a);
    }
    return out;
}

bool all_zero_one(const std::vector<double>& y) {
    return std::all_of(y.begin(), y.end(), [](double v) { return v == 0.0 || v == 1.0; });
}

std::optional<ConfidenceInterval> scaled(const std::optional<ConfidenceInterval>& r, double factor, double offset = 0) {
    if (!r) return std::nullopt;
    double a = r->low * factor + offset;
    double b = r->high * factor + offset;
    if (a > b) std::swap(a, b);
    return ConfidenceInterval{a, b};
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

std::string offer_text(const OfferSummary& o) {
    return o.channel.empty() || o.channel == artifacts::unnamed_channel ? o.offer
                                                                        : fmt::format("{} ({})", o.offer, o.channel);
}

BusinessSummary summary_from_check(const TopShareCheck& check, bool binary, std::int64_t scored_rows,
                                   const std::string& level) {
    BusinessSummary s;
    const double contacts = std::round(check.share * static_cast<double>(scored_rows));
    s.contacts.value = contacts;
    s.coverage_share = check.share;
    if (!level.empty()) s.offers.push_back(level);
    Figure& incremental = binary ? s.incremental_conversions : s.incremental_revenue;
    if (check.uplift) incremental.value = *check.uplift * contacts;
    incremental.range = scaled(check.uplift_range, contacts);
    if (binary) {
        s.useless_discount_share.value = check.useless_share;
        s.useless_discount_share.range = check.useless_share_range;
    }
    return s;
}

bool has_any_range(const BusinessSummary& s) {
    for (const Figure* f : {&s.incremental_conversions, &s.incremental_revenue, &s.profit, &s.roi,
                            &s.useless_discount_share}) {
        if (f->range) return true;
    }
    return false;
}

}  // namespace

namespace {

/// The clients the plan chose from; older plan files lack the count, and their everyone baseline's contacts
/// stand in (exact only when the budget reached every client); without a plan, the scored rows.
std::optional<double> plan_population(const Plan* plan, std::int64_t scored_rows) {
    if (plan != nullptr && plan->clients && *plan->clients > 0) return plan->clients;
    if (plan != nullptr) {
        const Baseline* everyone = plan->baseline(artifacts::baseline_everyone);
        if (everyone != nullptr && everyone->figures.contacts && *everyone->figures.contacts > 0) {
            return everyone->figures.contacts;
        }
    }
    if (scored_rows > 0) return static_cast<double>(scored_rows);
    return std::nullopt;
}

/// The plan's figures as measured on the test among its own clients (plan.json's test_estimate): one
/// population, one method, so the point, the range and the cross-check cannot disagree. Clients of the plan
/// outside the test count at the measured clients' average. Spend stays as planned; what the offers bring back
/// before it (profit + spend) moves with the measured money, so profit and ROI follow it.
BusinessSummary measured_summary(const Plan& plan, BusinessSummary s, bool binary) {
    const artifacts::PlanTestEstimate& t = *plan.test_estimate;
    const double scale = static_cast<double>(t.planned) / static_cast<double>(t.measured);
    const auto figure = [&](const artifacts::MeasuredFigure& m) {
        return Figure{m.estimate * scale, ConfidenceInterval{m.low * scale, m.high * scale}};
    };
    s.measured = t;
    s.model_forecast = plan.expected_incremental_conversions ? plan.expected_incremental_conversions
                                                             : plan.expected_incremental_revenue;
    if (binary) s.incremental_conversions = figure(t.incremental_conversions);
    const Figure revenue = figure(t.incremental_revenue);
    const auto& planned_revenue = plan.expected_incremental_revenue;
    const auto& spend = plan.expected_spend;
    const auto& profit = plan.expected_profit;
    if (planned_revenue && *planned_revenue > 0 && profit && spend) {
        // The plan's own numbers give what one unit of revenue returns before spend (the margin).
        const double back = (*profit + *spend) / *planned_revenue;
        s.profit = Figure{*revenue.value * back - *spend,
                          ConfidenceInterval{revenue.range->low * back - *spend, revenue.range->high * back - *spend}};
        if (*spend > 0) {
            s.roi = Figure{*s.profit.value / *spend,
                           ConfidenceInterval{s.profit.range->low / *spend, s.profit.range->high / *spend}};
        }
    }
    s.incremental_revenue = revenue;
    s.test_estimate = binary ? s.incremental_conversions.value : revenue.value;
    return s;
}

}  // namespace

BusinessSummary summary_from_plan(const Plan& plan, const std::optional<TopShareCheck>& check, bool binary,
                                  std::int64_t scored_rows) {
    BusinessSummary s;
    s.from_plan = true;
    s.contacts.value = plan.contacts;
    const Baseline* everyone = plan.baseline(artifacts::baseline_everyone);
    // Coverage is a share of the clients the plan chose from.
    const auto clients = plan_population(&plan, scored_rows);
    if (plan.contacts && clients) s.coverage_share = *plan.contacts / *clients;
    for (const auto& o : plan.per_offer) {
        if (!o.figures.contacts || *o.figures.contacts > 0) s.offers.push_back(offer_text(o));
    }
    s.incremental_conversions.value = plan.expected_incremental_conversions;
    s.incremental_revenue.value = plan.expected_incremental_revenue;
    s.spend.value = plan.expected_spend;
    s.profit.value = plan.expected_profit;
    s.roi.value = plan.roi;
    s.useless_discount_share.value = plan.useless_discount_share;
    // "Discount to everyone" is every client, no budget; older plan files only have it capped at the budget.
    const PlanFigures* all = plan.everyone_all ? &*plan.everyone_all : everyone != nullptr ? &everyone->figures : nullptr;
    if (all != nullptr && all->spend && plan.expected_spend) s.saved_vs_everyone.value = *all->spend - *plan.expected_spend;
    if (all != nullptr && all->profit && plan.expected_profit) s.profit_vs_everyone = *plan.expected_profit - *all->profit;

    if (plan.test_estimate && plan.test_estimate->measured > 0) return measured_summary(plan, std::move(s), binary);
    // Ranges: the figure shown is the plan's, so its range must be too. The test measured the uplift among the
    // same top share of clients with some relative precision (bootstrap range ÷ estimate); every plan figure
    // gets that relative range. The test's own estimate is reported beside it (see docs/report.md).
    if (!check || !plan.contacts) return s;
    if (check->uplift) s.test_estimate = *check->uplift * *plan.contacts;
    if (!check->uplift || !check->uplift_range || !(*check->uplift > 0)) return s;
    const ConfidenceInterval relative{check->uplift_range->low / *check->uplift,
                                      check->uplift_range->high / *check->uplift};
    s.relative_range = relative;
    const auto& spend = plan.expected_spend;
    const auto& profit = plan.expected_profit;
    const auto times = [&](const std::optional<double>& v) {
        return v ? scaled(relative, *v) : std::optional<ConfidenceInterval>{};
    };
    if (binary) s.incremental_conversions.range = times(plan.expected_incremental_conversions);
    s.incremental_revenue.range = times(plan.expected_incremental_revenue);
    // Spend is fixed by the plan; what the offers bring back before it (profit + spend) scales with the uplift.
    if (profit && spend) s.profit.range = scaled(relative, *profit + *spend, -*spend);
    if (plan.roi && spend && *spend > 0) {
        const auto& revenue = plan.expected_incremental_revenue;
        if (profit && close(*plan.roi, *profit / *spend)) {
            s.roi.range = scaled(s.profit.range, 1.0 / *spend);
        } else if (revenue && close(*plan.roi, *revenue / *spend)) {
            s.roi.range = scaled(s.incremental_revenue.range, 1.0 / *spend);
        }
    }
    // The useless share moves the other way: fewer real extra orders mean more paid-for purchases that would
    // have happened anyway. The test's own range at this coverage, relative to its estimate, applied likewise.
    if (binary && plan.useless_discount_share && check->useless_share && *check->useless_share > 0 &&
        check->useless_share_range) {
        const double u = *plan.useless_discount_share;
        s.useless_discount_share.range =
            ConfidenceInterval{std::clamp(u * check->useless_share_range->low / *check->useless_share, 0.0, 1.0),
                               std::clamp(u * check->useless_share_range->high / *check->useless_share, 0.0, 1.0)};
    }
    return s;
}

bool Report::has_note(Note note) const { return std::find(notes.begin(), notes.end(), note) != notes.end(); }

eval::EvaluationOptions evaluation_options(const ReportOptions& options) {
    eval::EvaluationOptions e;
    e.bootstrap = options.bootstrap;
    e.seed = options.seed;
    e.ci_level = options.ci_level;
    e.threads = options.threads;
    return e;
}

namespace {

/// Whether every offer the plan records (parameters.offers[].kind) is a message: then no discount is paid.
bool plan_offers_are_messages(const Plan& plan) {
    if (!plan.parameters) return false;
    bool any = false;
    for (const auto& member : plan.parameters->members) {
        if (member.key != "offers") continue;
        for (const auto& offer : member.members) {
            for (const auto& field : offer.members) {
                if (field.key != "kind") continue;
                any = true;
                if (field.text != "message") return false;
            }
        }
    }
    return any;
}

/// In-sample scores make a model look better than it is, so the report does not present them as test figures:
/// it names the files to use instead, or, with --in-sample, shows them under an in-sample warning.
void refuse_in_sample(const io::Table& evaluated, const std::string& file, const ReportSources& sources,
                      const ReportOptions& options, Report& r) {
    const auto info = artifacts::load_scores_info(evaluated.metadata(), file);
    if (!info || info->scored_as != artifacts::ScoredAs::InSample) return;
    if (options.allow_in_sample) {
        r.notes.push_back(Note::InSample);
        return;
    }
    const std::string model = sources.model ? sources.model->dir : std::string("<model>");
    throw UsageError(fmt::format(
        "'{}' holds in-sample scores (the model was fitted on these rows), so its Qini AUC and ranges would "
        "flatter the model; report on the test instead: -s {}/holdout.parquet (held-out rows) or "
        "-s {}/out_of_fold.parquet (every campaign row, cross-fitted), or pass --in-sample to show them under "
        "an in-sample warning",
        file, model, model));
}

}  // namespace

Report compute_report(const ReportSources& sources, const ReportOptions& options) {
    if (options.bootstrap < 0) {
        throw UsageError(fmt::format("--bootstrap must be 0 or more, got {}", options.bootstrap));
    }
    if (!(options.ci_level > 0 && options.ci_level < 1)) {
        throw UsageError(fmt::format("confidence level must be in (0, 1), got {}", options.ci_level));
    }
    Report r;
    r.options = options;
    r.scores_file = sources.scores_file;
    r.plan_file = sources.plan ? sources.plan_file : "";
    r.scored_rows = static_cast<std::int64_t>(sources.scores.num_rows());
    r.plan = sources.plan;
    r.model = sources.model;
    r.comparison = sources.comparison;
    r.comparison_file = sources.comparison_file;
    r.drift = sources.drift;
    r.drift_file = sources.drift_file;
    r.measurement = sources.measurement;
    r.measurement_file = sources.measurement_file;
    r.portraits = sources.portraits;
    r.portraits_file = sources.portraits_file;

    const io::Table* experiment = nullptr;
    std::string experiment_file;
    if (sources.holdout) {
        experiment = &*sources.holdout;
        experiment_file = sources.holdout_file;
    } else if (has_experiment_columns(sources.scores, sources.columns)) {
        experiment = &sources.scores;
        experiment_file = sources.scores_file;
    }

    if (experiment != nullptr) refuse_in_sample(*experiment, experiment_file, sources, options, r);
    const auto scores_roles = data::load_roles(sources.scores.metadata());
    if (experiment != nullptr) {
        const auto input = eval::select_scored_input(*experiment, experiment_file, sources.columns);
        const auto roles = data::load_roles(experiment->metadata());
        r.evaluation_file = experiment_file;
        r.treatment_column = input.resolved.treatment;
        r.treatment_level = input.resolved.treatment_level;
        r.control = input.resolved.control;
        r.outcome_column = input.resolved.outcome;
        r.score_column = input.resolved.score;
        r.rows_excluded = input.rows_excluded;
        r.binary = (!roles || roles->outcome_type == data::OutcomeType::Binary) && all_zero_one(input.y);
        r.evaluation = eval::evaluate(input, experiment_file, evaluation_options(options));
        r.ab = ab_readout(input.y, input.treatment, r.binary, options.ci_level);
        if (!sources.check_column.empty()) {
            const auto amounts = check_amounts(*experiment, experiment_file, input, sources.check_column);
            add_check_rows(*r.ab, input.y, input.treatment, amounts, sources.check_column, r.binary, options.ci_level);
        } else if (!r.binary) {
            add_check_rows(*r.ab, input.y, input.treatment, {}, r.outcome_column, r.binary, options.ci_level);
        } else {
            r.notes.push_back(Note::NoAverageCheck);
        }

        std::optional<double> share;
        if (sources.plan && sources.plan->contacts) {
            // The population the plan chose from (as the summary's coverage), else the everyone baseline's
            // contacts (older plan files), else the scored rows.
            const Baseline* everyone = sources.plan->baseline(artifacts::baseline_everyone);
            const auto& clients = sources.plan->clients;
            const double population = clients && *clients > 0 ? *clients
                                      : everyone != nullptr && everyone->figures.contacts && *everyone->figures.contacts > 0
                                          ? *everyone->figures.contacts
                                          : static_cast<double>(r.scored_rows);
            if (population > 0) share = std::clamp(*sources.plan->contacts / population, 0.0, 1.0);
        } else if (!sources.plan) {
            share = qini_peak_share(r.evaluation->qini_curve, r.evaluation->n);
        }
        if (share && *share > 0) {
            const eval::RankedScores ranked(input.y, input.treatment, input.score);
            r.check = check_top_share(ranked, *share, r.binary, options.bootstrap, options.seed, options.ci_level);
        }
        if (r.rows_excluded > 0) r.notes.push_back(Note::OtherArmsExcluded);
    } else {
        r.notes.push_back(Note::NoEvaluation);
        if (scores_roles) {
            r.treatment_column = scores_roles->treatment;
            r.control = scores_roles->control;
            r.outcome_column = scores_roles->outcome;
            r.binary = scores_roles->outcome_type == data::OutcomeType::Binary;
            if (scores_roles->treatment_levels.size() == 1) r.treatment_level = scores_roles->treatment_levels.front();
        }
        if (!sources.columns.treatment_level.empty()) r.treatment_level = sources.columns.treatment_level;
        if (!sources.columns.treatment.empty()) r.treatment_column = sources.columns.treatment;
        if (!sources.columns.control.empty()) r.control = sources.columns.control;
        if (!sources.columns.outcome.empty()) r.outcome_column = sources.columns.outcome;
    }

    r.words = outcome_words(options.lang, r.outcome_column, options.outcome_label);
    r.message_only = sources.plan && plan_offers_are_messages(*sources.plan);
    r.kinds = client_kinds(sources.scores, r.treatment_level, r.binary);
    if (!r.kinds) r.notes.push_back(Note::NoClientKinds);

    if (sources.plan) {
        r.summary = summary_from_plan(*sources.plan, r.check, r.binary, r.scored_rows);
        if (sources.plan->budget_curve.size() < 2) r.notes.push_back(Note::NoBudgetCurve);
    } else {
        r.notes.push_back(Note::NoPlan);
        if (r.check) r.summary = summary_from_check(*r.check, r.binary, r.scored_rows, r.treatment_level);
    }
    if (!sources.model) {
        r.notes.push_back(Note::NoModel);
    } else if (sources.model->importance.empty()) {
        r.notes.push_back(Note::NoImportance);
    }
    if (r.summary.from_plan && !r.summary.measured && r.check && r.check->uplift_range && !r.summary.relative_range) {
        r.notes.push_back(Note::NoRangeNoUplift);
    }
    if (r.summary.measured) {
        r.notes.push_back(Note::MeasuredOnTest);
    } else if (options.bootstrap == 0) {
        r.notes.push_back(Note::NoBootstrap);
    } else if (has_any_range(r.summary)) {
        r.notes.push_back(Note::RangesFromHoldout);
    }
    return r;
}

std::optional<double> population(const Report& report) {
    return plan_population(report.plan ? &*report.plan : nullptr, report.scored_rows);
}

}  // namespace uplift::report
