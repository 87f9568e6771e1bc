#pragma once
/// The XGBoost parameters `train --xgb key=value` may set. XGBoost ignores a key it does not know (with
/// validate_parameters it only warns), so a typo like `--xgb max_bins=64` would train with the default and
/// record the typo in model.json as if it had been used. The keys are those XGBoost 1.7's gbtree booster
/// with tree_method=hist and the binary:logistic / reg:squarederror objectives reads (aliases included),
/// checked against XGBoost 1.7.4's own "Parameters: { ... } are not used" warning; docs/train.md lists them.

#include <string>
#include <vector>

namespace uplift::model {

/// The known keys, sorted; `objective` is not among them (it follows the outcome type).
const std::vector<std::string>& known_xgb_params();

/// Throws UsageError naming `--xgb key=value` and the nearest known key when `key` is not known, or when
/// it is `objective`.
void check_xgb_param(const std::string& key, const std::string& value);

}  // namespace uplift::model
