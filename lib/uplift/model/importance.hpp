#pragma once
/// Which features the model leans on, two ways:
///   gain        – total split gain over every base model, per source column (one-hot indicators are
///                 added back to their column); cheap, but says what the trees used, not what moves uplift;
///   permutation – the drop in holdout Qini AUC when a source column's values are shuffled across clients
///                 (all its encoded columns with one permutation), averaged over repeats and treated levels.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "uplift/model/bundle.hpp"

namespace uplift::model {

// Both importances are recorded in model.json (artifacts/model_manifest.hpp).
using artifacts::FeatureGain;
using artifacts::PermutationImportance;

/// Highest gain first, ties by name. The S-learner's arm indicators are not features and are left out.
std::vector<FeatureGain> gain_importance(const ModelBundle& bundle);

struct PermutationOptions {
    int repeats = 1;                 ///< 0: skip
    std::size_t max_rows = 50000;    ///< a seeded sample of the holdout beyond this, to bound the cost
    std::uint64_t seed = 42;
};

/// `arm`: 0 = control, k = k-th treated level, per holdout row of `x`. Highest drop first.
std::vector<PermutationImportance> permutation_importance(const ModelBundle& bundle, const DenseMatrix& x,
                                                          std::span<const double> y, std::span<const int> arm,
                                                          std::span<const double> propensity_column,
                                                          const PermutationOptions& options);

}  // namespace uplift::model
