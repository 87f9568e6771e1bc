#include "uplift/report/model_summary.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

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
    const auto& names = bundle.roles.features;
    std::map<std::string, std::string> source_of;
    if (bundle.encoding) {
        for (const auto& info : bundle.encoding->manifest) source_of[info.name] = info.source;
    }
    std::map<std::string, double> gain;
    for (const auto& base : bundle.base_models) {
        for (const auto& [index, value] : base.gain_importance()) {
            const auto i = static_cast<std::size_t>(index);
            const std::string name = i < names.size() ? names[i] : fmt::format("f{}", index);
            const auto it = source_of.find(name);
            gain[it == source_of.end() || it->second.empty() ? name : it->second] += value;
        }
    }
    double total = 0.0;
    for (const auto& [name, value] : gain) total += value;
    std::vector<FeatureImportance> out;
    for (const auto& [name, value] : gain) out.push_back({name, value, total > 0 ? value / total : 0.0});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.gain > b.gain; });
    return out;
}

ModelSummary summarize_model(const model::ModelBundle& bundle, const std::string& dir) {
    ModelSummary s;
    s.dir = dir;
    s.learner = bundle.learner;
    s.n_features = bundle.roles.features.size();
    s.holdout = parse_holdout(bundle.holdout_metrics_json);
    s.parameters.assign(bundle.parameters.begin(), bundle.parameters.end());
    try {
        s.importance = gain_importance(bundle);
    } catch (const uplift::Error&) {
        s.importance.clear();  // a model that cannot explain itself still has metrics worth showing
    }
    return s;
}

}  // namespace uplift::report
