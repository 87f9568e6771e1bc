// Evaluation as JSON: the machine-readable output of `upliftctl evaluate`, embedded by the report.

#include "uplift/artifacts/evaluation.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::Json;
using json_fields::number;
using json_fields::Reader;

Json curve(const Curve& c) { return Json{{"x", c.x}, {"y", c.y}}; }

Json interval(const std::optional<ConfidenceInterval>& ci) {
    if (!ci) return nullptr;
    return Json{{"low", number(ci->low)}, {"high", number(ci->high)}};
}

Json by_strategy(const ByStrategy& v) { return Json{{"overall", number(v.overall)}, {"by_group", number(v.by_group)}}; }

Json rows(const std::vector<PercentileRow>& percentile_rows) {
    Json out = Json::array();
    for (const PercentileRow& r : percentile_rows) {
        out.push_back(Json{{"percentile", r.percentile},
                           {"n_treatment", r.n_treatment},
                           {"n_control", r.n_control},
                           {"response_rate_treatment", number(r.response_rate_treatment)},
                           {"response_rate_control", number(r.response_rate_control)},
                           {"uplift", number(r.uplift)},
                           {"std_treatment", number(r.std_treatment)},
                           {"std_control", number(r.std_control)},
                           {"std_uplift", number(r.std_uplift)},
                           {"treatment_share", number(r.treatment_share)}});
    }
    return out;
}

// ---- reading --------------------------------------------------------------------------------------

Curve curve_from(const Reader& r) { return {r.get<std::vector<double>>("x"), r.get<std::vector<double>>("y")}; }

std::optional<ConfidenceInterval> interval_from(const Reader& parent, const char* key) {
    if (parent.is_null(key)) return std::nullopt;
    const Reader r = parent.object(key);
    return ConfidenceInterval{r.number_or_nan("low"), r.number_or_nan("high")};
}

ByStrategy by_strategy_from(const Reader& r) { return {r.number("overall"), r.number("by_group")}; }

std::vector<PercentileRow> rows_from(const Reader& parent, const char* key) {
    std::vector<PercentileRow> out;
    for (const auto& item : parent.at(key)) {
        const Reader r(item, parent.source() + ": " + key);
        PercentileRow row;
        row.percentile = r.get<std::string>("percentile");
        row.n_treatment = r.get<std::int64_t>("n_treatment");
        row.n_control = r.get<std::int64_t>("n_control");
        row.response_rate_treatment = r.number("response_rate_treatment");
        row.response_rate_control = r.number("response_rate_control");
        row.uplift = r.number("uplift");
        row.std_treatment = r.number("std_treatment");
        row.std_control = r.number("std_control");
        row.std_uplift = r.number("std_uplift");
        row.treatment_share = r.number_or_nan("treatment_share");
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace

std::string to_json(const Evaluation& e) {
    Json doc;
    doc["n"] = e.n;
    doc["n_treatment"] = e.n_treatment;
    doc["n_control"] = e.n_control;
    doc["qini_auc"] = number(e.qini_auc);
    doc["uplift_auc"] = number(e.uplift_auc);
    doc["weighted_average_uplift"] = by_strategy(e.weighted_average_uplift);
    Json at_k = Json::object();
    for (const UpliftAtK& entry : e.uplift_at_k) at_k[entry.label] = by_strategy(entry.value);
    doc["uplift_at_k"] = std::move(at_k);
    doc["uplift_by_percentile"] = rows(e.uplift_by_percentile);
    doc["uplift_by_percentile_by_group"] = rows(e.uplift_by_percentile_by_group);
    doc["curves"] = Json{{"qini", curve(e.qini_curve)},
                         {"uplift", curve(e.uplift_curve)},
                         {"perfect_qini", curve(e.perfect_qini_curve)},
                         {"perfect_uplift", curve(e.perfect_uplift_curve)},
                         {"random", curve(e.random_qini_curve)},
                         {"random_uplift", curve(e.random_uplift_curve)}};
    Json labels = Json::array();
    for (const UpliftAtK& entry : e.uplift_at_k) labels.push_back(entry.label);
    doc["params"] = Json{{"ks", e.options.ks},
                         {"k_labels", std::move(labels)},
                         {"bins", e.options.bins},
                         {"bootstrap", e.options.bootstrap},
                         {"seed", e.options.seed},
                         {"ci_level", e.options.ci_level}};
    if (e.ci) {
        Json ci_at_k = Json::object();
        for (std::size_t i = 0; i < e.uplift_at_k.size() && i < e.ci->uplift_at_k.size(); ++i) {
            ci_at_k[e.uplift_at_k[i].label] = interval(e.ci->uplift_at_k[i]);
        }
        doc["ci"] = Json{{"level", e.ci->level},
                         {"replicates", e.ci->replicates},
                         {"method", "percentile, resampled within treatment groups"},
                         {"qini_auc", interval(e.ci->qini_auc)},
                         {"uplift_auc", interval(e.ci->uplift_auc)},
                         {"uplift_at_k", std::move(ci_at_k)}};
    }
    return doc.dump(2);
}

Evaluation evaluation_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    const Reader r(j, source);
    Evaluation e;
    e.n = r.get<std::int64_t>("n");
    e.n_treatment = r.get<std::int64_t>("n_treatment");
    e.n_control = r.get<std::int64_t>("n_control");
    e.qini_auc = r.number("qini_auc");
    e.uplift_auc = r.number("uplift_auc");
    e.weighted_average_uplift = by_strategy_from(r.object("weighted_average_uplift"));

    const Reader params = r.object("params");
    e.options.ks = params.get<std::vector<double>>("ks");
    e.options.k_labels = params.get<std::vector<std::string>>("k_labels");
    e.options.bins = params.get<int>("bins");
    e.options.bootstrap = params.get<int>("bootstrap");
    e.options.seed = params.get<std::uint64_t>("seed");
    e.options.ci_level = params.get<double>("ci_level");
    if (e.options.k_labels.size() != e.options.ks.size()) {
        params.fail("k_labels", fmt::format("{} labels for {} values of k", e.options.k_labels.size(), e.options.ks.size()));
    }
    const Reader at_k = r.object("uplift_at_k");
    for (std::size_t i = 0; i < e.options.ks.size(); ++i) {
        const std::string& label = e.options.k_labels[i];
        e.uplift_at_k.push_back({e.options.ks[i], label, by_strategy_from(at_k.object(label.c_str()))});
    }
    e.uplift_by_percentile = rows_from(r, "uplift_by_percentile");
    e.uplift_by_percentile_by_group = rows_from(r, "uplift_by_percentile_by_group");
    const Reader curves = r.object("curves");
    e.qini_curve = curve_from(curves.object("qini"));
    e.uplift_curve = curve_from(curves.object("uplift"));
    e.perfect_qini_curve = curve_from(curves.object("perfect_qini"));
    e.perfect_uplift_curve = curve_from(curves.object("perfect_uplift"));
    e.random_qini_curve = curve_from(curves.object("random"));
    e.random_uplift_curve = curve_from(curves.object("random_uplift"));
    if (!r.is_null("ci")) {
        const Reader ci = r.object("ci");
        BootstrapIntervals b;
        b.level = ci.get<double>("level");
        b.replicates = ci.get<int>("replicates");
        b.qini_auc = interval_from(ci, "qini_auc");
        b.uplift_auc = interval_from(ci, "uplift_auc");
        const Reader ci_at_k = ci.object("uplift_at_k");
        for (const auto& entry : e.uplift_at_k) b.uplift_at_k.push_back(interval_from(ci_at_k, entry.label.c_str()));
        e.ci = std::move(b);
    }
    return e;
}

}  // namespace uplift::artifacts
