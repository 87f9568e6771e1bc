#pragma once
/// One base model of an uplift learner, trained on a subset of the rows with early stopping on a
/// stratified slice of that same subset (never the holdout), or on all of it with early stopping off.

#include <span>
#include <string>
#include <vector>

#include "uplift/model/gbm.hpp"

namespace uplift::model {

/// A base model with the part it plays in its learner ("outcome_0", "tau_1", ...).
struct NamedGbm {
    std::string name;
    Gbm model;
};

/// Trains on `rows` of `x`. `target`, `weight` (empty = unweighted) and `strata` are given per entry of
/// `rows`. A `validation_fraction` of each stratum is held back to pick the number of rounds, unless
/// `params.early_stopping_rounds` is 0: then every row is fitted on and every round kept.
Gbm fit_base_model(const DenseMatrix& x, std::span<const std::size_t> rows, std::span<const double> target,
                   std::span<const double> weight, std::span<const int> strata, const GbmParams& params,
                   double validation_fraction);

/// The model called `name`; ModelError when the bundle lacks it.
const Gbm& find_model(const std::vector<NamedGbm>& models, const std::string& name);

}  // namespace uplift::model
