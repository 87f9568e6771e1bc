#include "uplift/artifacts/measurement.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::Json;
using json_fields::Reader;

Json figure_json(const RealisedFigure& f) {
    return Json{{"estimate", f.estimate}, {"low", f.low}, {"high", f.high}, {"std_error", f.std_error},
                {"promised", json_fields::number(f.promised)}};
}

Json group_json(const MeasuredGroup& g) {
    Json j;
    if (!g.offer.empty()) j["offer"] = g.offer;
    j["contacted"] = g.contacted;
    j["held_out"] = g.held_out;
    j["measured_contacted"] = g.measured_contacted;
    j["measured_held_out"] = g.measured_held_out;
    j["mean_contacted"] = g.mean_contacted;
    j["mean_held_out"] = g.mean_held_out;
    j["incremental_conversions"] = figure_json(g.incremental_conversions);
    j["incremental_revenue"] = g.incremental_revenue ? figure_json(*g.incremental_revenue) : Json(nullptr);
    j["difference_of_means"] = figure_json(g.difference_of_means);
    j["covariate_adjusted"] = g.covariate_adjusted ? figure_json(*g.covariate_adjusted) : Json(nullptr);
    j["variance_reduction"] = json_fields::number(g.variance_reduction);
    j["mean_covariate_contacted"] = json_fields::number(g.mean_covariate_contacted);
    j["mean_covariate_held_out"] = json_fields::number(g.mean_covariate_held_out);
    return j;
}

RealisedFigure figure_of(const Reader& r) {
    RealisedFigure f;
    f.estimate = r.get<double>("estimate");
    f.low = r.get<double>("low");
    f.high = r.get<double>("high");
    f.std_error = r.get<double>("std_error");
    f.promised = r.number("promised");
    return f;
}

MeasuredGroup group_of(const Reader& r) {
    MeasuredGroup g;
    g.offer = r.get_or<std::string>("offer", "");
    g.contacted = r.get<std::int64_t>("contacted");
    g.held_out = r.get<std::int64_t>("held_out");
    g.measured_contacted = r.get<std::int64_t>("measured_contacted");
    g.measured_held_out = r.get<std::int64_t>("measured_held_out");
    g.mean_contacted = r.get<double>("mean_contacted");
    g.mean_held_out = r.get<double>("mean_held_out");
    g.incremental_conversions = figure_of(r.object("incremental_conversions"));
    if (!r.is_null("incremental_revenue")) g.incremental_revenue = figure_of(r.object("incremental_revenue"));
    // Files written before the adjustment hold the plain difference of means as their headline.
    g.difference_of_means =
        r.is_null("difference_of_means") ? g.incremental_conversions : figure_of(r.object("difference_of_means"));
    if (!r.is_null("covariate_adjusted")) g.covariate_adjusted = figure_of(r.object("covariate_adjusted"));
    g.variance_reduction = r.number("variance_reduction");
    g.mean_covariate_contacted = r.number("mean_covariate_contacted");
    g.mean_covariate_held_out = r.number("mean_covariate_held_out");
    return g;
}

}  // namespace

std::string to_json(const Measurement& m) {
    Json j;
    j["format_version"] = m.format_version;
    j["method"] = m.method;
    j["level"] = m.level;
    j["adjustment"] = m.adjustment;
    j["covariate"] = m.covariate.empty() ? Json(nullptr) : Json(m.covariate);
    j["adjustment_note"] = m.adjustment_note.empty() ? Json(nullptr) : Json(m.adjustment_note);
    j["plan"] = m.plan;
    j["plan_file"] = m.plan_file;
    j["outcomes"] = m.outcomes;
    j["id_column"] = m.id_column;
    j["outcome_column"] = m.outcome_column;
    j["outcome_type"] = m.outcome_type;
    j["value_per_conversion"] = json_fields::number(m.value_per_conversion);
    j["outcome_rows"] = m.outcome_rows;
    j["unknown_ids"] = m.unknown_ids;
    j["missing_contacted"] = m.missing_contacted;
    j["missing_held_out"] = m.missing_held_out;
    j["total"] = group_json(m.total);
    Json offers = Json::array();
    for (const MeasuredGroup& g : m.per_offer) offers.push_back(group_json(g));
    j["per_offer"] = offers;
    j["test_estimate_conversions"] =
        m.test_estimate_conversions ? figure_json(*m.test_estimate_conversions) : Json(nullptr);
    j["provenance"] = m.provenance_json.empty() ? Json(nullptr) : json_fields::parse(m.provenance_json, "provenance");
    return j.dump(2) + "\n";
}

Measurement measurement_from_json(std::string_view text, const std::string& source) {
    const Json doc = json_fields::parse(text, source);
    const Reader r(doc, source);
    Measurement m;
    m.format_version = r.get<int>("format_version");
    if (m.format_version != measurement_format_version) {
        r.fail("format_version", fmt::format("this build reads version {}, the file has {}",
                                             measurement_format_version, m.format_version));
    }
    m.method = r.get<std::string>("method");
    m.level = r.get<double>("level");
    m.adjustment = r.get_or<std::string>("adjustment", "off");
    if (!r.is_null("covariate")) m.covariate = r.get<std::string>("covariate");
    if (!r.is_null("adjustment_note")) m.adjustment_note = r.get<std::string>("adjustment_note");
    m.plan = r.get<std::string>("plan");
    m.plan_file = r.get<std::string>("plan_file");
    m.outcomes = r.get<std::string>("outcomes");
    m.id_column = r.get<std::string>("id_column");
    m.outcome_column = r.get<std::string>("outcome_column");
    m.outcome_type = r.get<std::string>("outcome_type");
    m.value_per_conversion = r.number("value_per_conversion");
    m.outcome_rows = r.get<std::int64_t>("outcome_rows");
    m.unknown_ids = r.get<std::int64_t>("unknown_ids");
    m.missing_contacted = r.get<std::int64_t>("missing_contacted");
    m.missing_held_out = r.get<std::int64_t>("missing_held_out");
    m.total = group_of(r.object("total"));
    for (const Json& g : r.at("per_offer")) m.per_offer.push_back(group_of(Reader(g, source + ": per_offer")));
    if (!r.is_null("test_estimate_conversions")) {
        m.test_estimate_conversions = figure_of(r.object("test_estimate_conversions"));
    }
    if (!r.is_null("provenance")) m.provenance_json = r.at("provenance").dump();
    return m;
}

}  // namespace uplift::artifacts
