#include "uplift/report/model_summary.hpp"

#include "uplift/core/errors.hpp"
#include "uplift/model/importance.hpp"

namespace uplift::report {

std::vector<FeatureImportance> gain_importance(const model::ModelBundle& bundle) {
    return model::gain_importance(bundle);
}

ModelSummary summarize_model(const model::ModelBundle& bundle, const std::string& dir) {
    ModelSummary s;
    s.dir = dir;
    s.learner = model::to_string(bundle.learner);
    s.n_features = bundle.roles.features.size();
    s.holdout = bundle.holdout_metrics.value_or(std::vector<artifacts::ArmMetrics>{});  // none without a holdout
    s.parameters.assign(bundle.parameters.begin(), bundle.parameters.end());
    s.gender = bundle.gender_imputation;
    try {
        s.importance = report::gain_importance(bundle);
    } catch (const uplift::Error&) {
        s.importance.clear();  // a model that cannot explain itself still has metrics worth showing
    }
    return s;
}

}  // namespace uplift::report
