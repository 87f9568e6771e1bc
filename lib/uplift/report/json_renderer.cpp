// The report as JSON: the same numbers as the page, for other tools and for tests that compare them with
// `upliftctl evaluate --json` and plan.json.

#include <cmath>
#include <string_view>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/artifacts/measurement.hpp"
#include "uplift/artifacts/portraits.hpp"
#include "uplift/artifacts/plan.hpp"
#include "uplift/core/version.hpp"
#include "uplift/eval/drift.hpp"
#include "uplift/report/gender_line.hpp"
#include "uplift/report/monthly_blocks.hpp"
#include "uplift/report/render.hpp"

namespace uplift::report {

namespace {

using Json = nlohmann::ordered_json;

Json num(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

Json figure(const Figure& f) {
    return Json{{"value", num(f.value)},
                {"low", f.range ? num(f.range->low) : Json(nullptr)},
                {"high", f.range ? num(f.range->high) : Json(nullptr)}};
}

Json interval(const std::optional<eval::ConfidenceInterval>& ci) {
    if (!ci) return nullptr;
    return Json{{"low", num(ci->low)}, {"high", num(ci->high)}};
}

const char* note_key(Note note) {
    switch (note) {
    case Note::NoEvaluation: return "no_evaluation";
    case Note::NoPlan: return "no_plan";
    case Note::NoBudgetCurve: return "no_budget_curve";
    case Note::NoModel: return "no_model";
    case Note::NoImportance: return "no_importance";
    case Note::NoClientKinds: return "no_client_kinds";
    case Note::NoBootstrap: return "no_bootstrap";
    case Note::RangesFromHoldout: return "ranges_from_holdout";
    case Note::MeasuredOnTest: return "measured_on_test";
    case Note::InSample: return "in_sample";
    case Note::OtherArmsExcluded: return "other_arms_excluded";
    case Note::NoRangeNoUplift: return "no_range_no_uplift";
    case Note::NoAverageCheck: return "no_average_check";
    }
    return "unknown";
}

Json group(const GroupStats& g) { return Json{{"n", g.n}, {"mean", g.mean}, {"variance", g.variance}}; }

void add_result(Json& j, const std::optional<TestResult>& result) {
    if (!result) return;
    const TestResult& t = *result;
    j["difference"] = t.difference;
    j["std_error"] = t.std_error;
    j["statistic"] = t.statistic;
    j["df"] = num(t.df);
    j["p_value"] = t.p_value;
    j["ci"] = Json{{"level", t.level}, {"low", t.ci_low}, {"high", t.ci_high}};
}

Json metric_json(const std::optional<AbMetric>& m) {
    if (!m) return nullptr;
    Json j{{"test", m->test == AbTest::TwoProportionZ ? "two_proportion_z" : "welch_t"},
           {"treated", group(m->treated)},
           {"control", group(m->control)},
           {"relative_lift", num(m->relative_lift)}};
    add_result(j, m->result);
    return j;
}

Json ab_json(const AbReadout& ab) {
    // The top level is the primary row (conversion, or the average outcome of a continuous outcome), as before.
    Json j{{"test", ab.test == AbTest::TwoProportionZ ? "two_proportion_z" : "welch_t"},
           {"treated", group(ab.treated)},
           {"control", group(ab.control)},
           {"relative_lift", num(ab.relative_lift)}};
    add_result(j, ab.result);
    j["conversion"] = metric_json(ab.conversion);
    j["average_check"] = metric_json(ab.average_check);
    j["check_column"] = ab.average_check ? Json(ab.check_column) : Json(nullptr);
    return j;
}

Json optional_bool(const std::optional<bool>& v) { return v ? Json(*v) : Json(nullptr); }

// The response-list block: its figures stay in `plan.response_list` (plan.json's serialiser); here is how the
// report reads them, and the block's words as the page shows them, so a tool can quote the page exactly.
Json response_list_json(const Report& r) {
    const auto block = response_list_block(r);
    if (!block) return nullptr;
    const ResponseListReading reading = read_response_list(*r.plan->response_list);
    Json tables = Json::array();
    for (const TextTable& t : block->tables) tables.push_back(Json{{"header", t.header}, {"rows", t.rows}});
    return Json{{"figures", "plan.response_list"},
                {"reading", Json{{"model_list_ahead", optional_bool(reading.model_list_ahead)},
                                 {"model_profit_shortfall", num(reading.model_profit_shortfall)},
                                 {"test_list_ahead", optional_bool(reading.test_list_ahead)},
                                 {"test_ranges_overlap", optional_bool(reading.test_ranges_overlap)},
                                 {"test_contradicts_model", optional_bool(reading.test_contradicts_model)}}},
                {"title", block->title},
                {"lines", block->lines},
                {"tables", std::move(tables)},
                {"notes", block->notes}};
}

}  // namespace

std::string render_json(const Report& r) {
    Json doc;
    doc["report_format"] = 1;
    doc["tool"] = "upliftctl";
    doc["tool_version"] = uplift::version();
    doc["lang"] = r.options.lang == Lang::Ru ? "ru" : "en";
    doc["inputs"] = Json{{"scores", r.scores_file},
                         {"evaluation", r.evaluation_file.empty() ? Json(nullptr) : Json(r.evaluation_file)},
                         {"plan", r.plan_file.empty() ? Json(nullptr) : Json(r.plan_file)},
                         {"model", r.model ? Json(r.model->dir) : Json(nullptr)},
                         {"treatment", r.treatment_column},
                         {"treatment_level", r.treatment_level},
                         {"control", r.control},
                         {"outcome", r.outcome_column},
                         {"outcome_type", r.binary ? "binary" : "continuous"},
                         {"score", r.score_column},
                         {"compare", r.comparison ? Json(r.comparison_file) : Json(nullptr)},
                         {"drift", r.drift ? Json(r.drift_file) : Json(nullptr)},
                         {"measure", r.measurement ? Json(r.measurement_file) : Json(nullptr)},
                         {"portraits", r.portraits ? Json(r.portraits_file) : Json(nullptr)},
                         {"rows_scored", r.scored_rows},
                         {"rows_excluded", r.rows_excluded}};
    doc["options"] = Json{{"bootstrap", r.options.bootstrap},
                          {"seed", r.options.seed},
                          {"ci_level", r.options.ci_level},
                          {"currency", r.options.currency}};
    const BusinessSummary& s = r.summary;
    doc["summary"] = Json{{"from_plan", s.from_plan},
                          {"contacts", figure(s.contacts)},
                          {"coverage_share", num(s.coverage_share)},
                          {"offers", s.offers},
                          {"incremental_conversions", figure(s.incremental_conversions)},
                          {"incremental_revenue", figure(s.incremental_revenue)},
                          {"spend", figure(s.spend)},
                          {"saved_vs_everyone", figure(s.saved_vs_everyone)},
                          {"profit_vs_everyone", num(s.profit_vs_everyone)},
                          {"profit", figure(s.profit)},
                          {"roi", figure(s.roi)},
                          {"useless_discount_share", figure(s.useless_discount_share)},
                          {"relative_range", interval(s.relative_range)},
                          {"test_estimate", num(s.test_estimate)},
                          // How the figures were measured: the plan's own clients on the test, or null.
                          {"measured_on", s.measured ? Json{{"scored_as", s.measured->scored_as},
                                                            {"method", s.measured->method},
                                                            {"planned", s.measured->planned},
                                                            {"measured", s.measured->measured},
                                                            {"treated", s.measured->treated},
                                                            {"control", s.measured->control}}
                                                     : Json(nullptr)},
                          {"model_forecast", num(s.model_forecast)}};
    if (r.check) {
        const TopShareCheck& k = *r.check;
        doc["holdout_check"] = Json{{"share", k.share},
                                    {"rows", k.rows},
                                    {"rows_treatment", k.rows_treatment},
                                    {"rows_control", k.rows_control},
                                    {"uplift", num(k.uplift)},
                                    {"uplift_range", interval(k.uplift_range)},
                                    {"useless_share", num(k.useless_share)},
                                    {"useless_share_range", interval(k.useless_share_range)}};
    } else {
        doc["holdout_check"] = nullptr;
    }
    // Parsed back from the text `evaluate --json` prints, so the two can only agree.
    doc["evaluation"] = r.evaluation ? Json::parse(artifacts::to_json(*r.evaluation)) : Json(nullptr);
    doc["ab_test"] = r.ab ? ab_json(*r.ab) : Json(nullptr);
    // The plan as plan.json has it (its one serialiser), so the two can only agree.
    doc["plan"] = r.plan ? Json::parse(artifacts::to_json(*r.plan)) : Json(nullptr);
    doc["response_list"] = response_list_json(r);
    if (r.kinds) {
        doc["client_kinds"] = Json{{"persuadable", r.kinds->persuadable},
                                   {"sure_thing", r.kinds->sure_thing},
                                   {"lost_cause", r.kinds->lost_cause},
                                   {"sleeping_dog", r.kinds->sleeping_dog},
                                   {"clients", r.kinds->clients},
                                   {"by_rule", r.kinds->by_rule},
                                   {"source", r.kinds->source}};
    } else {
        doc["client_kinds"] = nullptr;
    }
    if (r.model) {
        Json importance = Json::array();
        for (const auto& f : r.model->importance) {
            importance.push_back(Json{{"feature", f.feature}, {"gain", f.gain}, {"share", f.share}});
        }
        Json holdout = Json::array();
        for (const auto& h : r.model->holdout) {
            // Counts as JSON numbers of the report's own format (doubles), then every recorded metric.
            Json one{{"level", h.level},
                     {"n_treatment", num(static_cast<double>(h.n_treatment))},
                     {"n_control", num(static_cast<double>(h.n_control))}};
            for (const auto& f : artifacts::arm_metric_fields) one[f.key] = num(h.*f.member);
            holdout.push_back(std::move(one));
        }
        doc["model"] = Json{{"dir", r.model->dir},
                            {"learner", r.model->learner},
                            {"n_features", r.model->n_features},
                            {"holdout_metrics", std::move(holdout)},
                            {"feature_importance", std::move(importance)}};
        // The record as its owner writes it, and the sentence the HTML and Markdown show.
        doc["model"]["gender_imputation"] =
            r.model->gender ? Json::parse(artifacts::to_json(*r.model->gender)) : Json(nullptr);
        doc["model"]["gender_line"] =
            r.model->gender ? Json(gender_line(*r.model->gender, r.options.lang, NumberFormat(r.options.lang)))
                            : Json(nullptr);
    } else {
        doc["model"] = nullptr;
    }
    // The monthly loop's files as their owners write them (one serialiser each), so the two can only agree.
    doc["comparison"] = r.comparison ? Json::parse(artifacts::to_json(*r.comparison)) : Json(nullptr);
    doc["drift"] = r.drift ? Json{{"thresholds", Json{{"moderate", eval::psi_moderate}, {"major", eval::psi_major}}},
                                  {"report", Json::parse(artifacts::to_json(*r.drift))}}
                           : Json(nullptr);
    doc["measurement"] = r.measurement ? Json::parse(artifacts::to_json(*r.measurement)) : Json(nullptr);
    doc["portraits"] = r.portraits ? Json::parse(artifacts::to_json(*r.portraits)) : Json(nullptr);
    Json notes = Json::array();
    for (const Note n : r.notes) notes.push_back(note_key(n));
    doc["notes"] = std::move(notes);
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace uplift::report
