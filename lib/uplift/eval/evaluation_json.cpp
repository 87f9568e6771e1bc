// Evaluation as JSON: the machine-readable output of `upliftctl evaluate`.

#include <cmath>

#include <nlohmann/json.hpp>

#include "uplift/eval/evaluation.hpp"

namespace uplift::eval {

namespace {

using Json = nlohmann::ordered_json;

Json number(std::optional<double> value) {
    if (!value || !std::isfinite(*value)) return nullptr;
    return *value;
}

Json curve(const Curve& c) { return Json{{"x", c.x}, {"y", c.y}}; }

Json interval(const std::optional<ConfidenceInterval>& ci) {
    if (!ci) return nullptr;
    return Json{{"low", number(ci->low)}, {"high", number(ci->high)}};
}

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

}  // namespace

std::string to_json(const Evaluation& e) {
    Json doc;
    doc["n"] = e.n;
    doc["n_treatment"] = e.n_treatment;
    doc["n_control"] = e.n_control;
    doc["qini_auc"] = number(e.qini_auc);
    doc["uplift_auc"] = number(e.uplift_auc);
    doc["weighted_average_uplift"] = Json{{"overall", number(e.weighted_average_uplift.overall)},
                                          {"by_group", number(e.weighted_average_uplift.by_group)}};
    Json at_k = Json::object();
    for (const UpliftAtK& entry : e.uplift_at_k) {
        at_k[entry.label] = Json{{"overall", number(entry.value.overall)}, {"by_group", number(entry.value.by_group)}};
    }
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

}  // namespace uplift::eval
