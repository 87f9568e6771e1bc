#include "uplift/report/report_sources.hpp"

#include "uplift/data/roles.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"

namespace uplift::report {

namespace {

bool has_outcomes(const io::Table& table, const eval::ScoredColumns& wanted) {
    const auto roles = data::load_roles(table.metadata());
    const std::string treatment = !wanted.treatment.empty() ? wanted.treatment : roles ? roles->treatment : "";
    const std::string outcome = !wanted.outcome.empty() ? wanted.outcome : roles ? roles->outcome : "";
    return !treatment.empty() && !outcome.empty() && table.has(treatment) && table.has(outcome);
}

}  // namespace

ReportSources load_report_sources(const ReportPaths& paths) {
    io::Session session({.threads = paths.threads, .memory_limit = {}});
    ReportSources s;
    s.columns = paths.columns;
    s.check_column = paths.check_column;
    s.scores = io::read_table(session, paths.scores);
    s.scores_file = paths.scores.string();

    std::filesystem::path holdout = paths.holdout;
    // Scores of new clients carry no outcomes; the model's own holdout is then the best evidence available.
    if (holdout.empty() && !paths.model.empty() && !has_outcomes(s.scores, paths.columns)) {
        const auto candidate = paths.model / "holdout.parquet";
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) holdout = candidate;
    }
    if (!holdout.empty()) {
        s.holdout = io::read_table(session, holdout);
        s.holdout_file = holdout.string();
    }
    if (!paths.plan.empty()) {
        s.plan = read_plan(paths.plan);
        s.plan_file = paths.plan.string();
    }
    if (!paths.compare.empty()) {
        s.comparison = read_comparison(paths.compare);
        s.comparison_file = paths.compare.string();
    }
    if (!paths.drift.empty()) {
        s.drift = read_drift(paths.drift, paths.threads);
        s.drift_file = paths.drift.string();
    }
    if (!paths.measure.empty()) {
        s.measurement = read_measurement(paths.measure);
        s.measurement_file = paths.measure.string();
    }
    if (!paths.portraits.empty()) {
        s.portraits = read_portraits(paths.portraits);
        s.portraits_file = paths.portraits.string();
    }
    if (!paths.model.empty()) {
        const auto bundle = model::ModelBundle::load(paths.model);
        s.model = summarize_model(bundle, paths.model.string());
    }
    return s;
}

}  // namespace uplift::report
