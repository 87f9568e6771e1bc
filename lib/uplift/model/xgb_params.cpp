#include "uplift/model/xgb_params.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/core/nearest_name.hpp"

namespace uplift::model {

const std::vector<std::string>& known_xgb_params() {
    // Grouped as XGBoost's parameter page groups them; kept sorted by the sort below for the docs and messages.
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k{
            // general (Context, Learner)
            "booster", "disable_default_eval_metric", "fail_on_invalid_gpu_id", "gpu_id", "n_jobs", "nthread",
            "random_state", "seed", "seed_per_iteration", "use_rmm", "validate_parameters", "verbosity",
            // learning task (the objective's own parameters are left to the objective train chooses)
            "base_score", "eval_metric", "scale_pos_weight",
            // tree booster (gbtree) and its hist updater
            "alpha", "colsample_bylevel", "colsample_bynode", "colsample_bytree", "eta", "gamma", "grow_policy",
            "interaction_constraints", "lambda", "learning_rate", "max_bin", "max_cat_threshold",
            "max_cat_to_onehot", "max_delta_step", "max_depth", "max_leaves", "min_child_weight", "min_split_loss",
            "monotone_constraints", "num_parallel_tree", "predictor", "process_type", "refresh_leaf", "reg_alpha",
            "reg_lambda", "sampling_method", "sketch_ratio", "sparse_threshold", "subsample", "tree_method",
            "updater"};
        std::sort(k.begin(), k.end());
        return k;
    }();
    return keys;
}

void check_xgb_param(const std::string& key, const std::string& value) {
    if (key == "objective") {
        throw UsageError(fmt::format("--xgb objective={} is not allowed: the objective follows the model type", value));
    }
    const auto& known = known_xgb_params();
    if (std::binary_search(known.begin(), known.end(), key)) return;
    throw UsageError(fmt::format("--xgb {}={}: '{}' is not a parameter of XGBoost 1.7's tree booster (hist), which "
                                 "would ignore it; the nearest known one is '{}' (docs/train.md lists them all)",
                                 key, value, key, nearest_name(key, known)));
}

}  // namespace uplift::model
