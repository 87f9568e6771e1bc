#include "uplift/report/model_summary.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/model/importance.hpp"

namespace uplift::report {

namespace {

std::optional<double> number_at(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

std::vector<HoldoutMetrics> parse_holdout(const std::string& text) {
    std::vector<HoldoutMetrics> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return out;  // train writes null when there was no holdout
    for (const auto& [level, m] : j.items()) {
        if (!m.is_object()) continue;
        out.push_back(HoldoutMetrics{level, number_at(m, "n_treatment"), number_at(m, "n_control"),
                                     number_at(m, "qini_auc"), number_at(m, "uplift_auc"),
                                     number_at(m, "uplift_at_30")});
    }
    return out;
}

}  // namespace

std::vector<FeatureImportance> gain_importance(const model::ModelBundle& bundle) {
    std::vector<FeatureImportance> out;
    for (const auto& g : model::gain_importance(bundle)) out.push_back({g.feature, g.gain, g.share});
    return out;
}

ModelSummary summarize_model(const model::ModelBundle& bundle, const std::string& dir) {
    ModelSummary s;
    s.dir = dir;
    s.learner = model::to_string(bundle.learner);
    s.n_features = bundle.roles.features.size();
    s.holdout = parse_holdout(bundle.holdout_metrics_json);
    s.parameters.assign(bundle.parameters.begin(), bundle.parameters.end());
    try {
        s.importance = report::gain_importance(bundle);
    } catch (const uplift::Error&) {
        s.importance.clear();  // a model that cannot explain itself still has metrics worth showing
    }
    return s;
}

}  // namespace uplift::report
