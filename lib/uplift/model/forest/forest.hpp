#pragma once
/// The uplift random forest: trees grown on seeded row samples with split criteria that compare the arms'
/// outcomes (criterion.hpp), on features binned once per fit (binning.hpp). Each leaf keeps per-arm counts and
/// expected outcomes; a row's expected outcome under each arm is the mean over the trees of its leaves' values.

#include <cstdint>
#include <span>
#include <vector>

#include "uplift/model/forest/criterion.hpp"
#include "uplift/model/forest/tree.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model::forest {

/// How a forest is fitted. Ranges are declared with train's parameters (model/train_params.hpp); the defaults
/// were chosen on Hillstrom by cross-validated Qini AUC (docs/train.md, "The forest's defaults").
struct ForestOptions {
    Criterion criterion = Criterion::ED;
    int trees = 100;
    int max_depth = 6;
    int min_samples_leaf = 400;      ///< rows in each child of a split, at least
    int min_samples_treatment = 10;  ///< rows of each arm in each child of a split, at least
    double n_reg = 300;              ///< shrinkage of a child's arm means toward the parent's (pseudo-rows)
    double row_subsample = 0.3;      ///< share of the rows drawn (without replacement) for each tree
    double feature_fraction = 0.6;   ///< share of the features drawn for each split
    bool honest = true;              ///< half of each tree's rows choose the splits, the other half the leaf values
    std::uint64_t seed = 42;
    int threads = 1;                 ///< 0: one per core; the result does not depend on it
};

struct Forest {
    Criterion criterion = Criterion::KL;
    int arms = 2;       ///< control and the treated levels
    int features = 0;   ///< model inputs a row must have
    std::vector<Tree> trees;
    std::vector<double> gain;  ///< per feature: the sum over every split on it of gain × rows of the node
};

/// Fits on the rows of `x` with outcomes `y` and arms `arm` (0 = control, k = k-th of arms − 1 treated levels).
/// UsageError for a criterion the data cannot take (kl/ed/chi need a 0/1 outcome, ddp one treated level).
Forest fit_forest(const DenseMatrix& x, std::span<const double> y, std::span<const int> arm, int arms,
                  const ForestOptions& options);

/// Per arm (0 = control), per row of `x`: the trees' mean expected outcome. Rows in parallel on `threads`.
/// ModelError when `x` has another number of columns than the forest's features.
std::vector<std::vector<double>> predict_arms(const Forest& forest, const DenseMatrix& x, int threads);

}  // namespace uplift::model::forest
