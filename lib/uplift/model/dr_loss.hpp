#pragma once
/// The criterion of `train --learner auto --select dr-loss`: how far a candidate's uplift is from doubly robust
/// pseudo-outcomes on rows it never saw (Kennedy 2020's DR-learner target, used as a loss as in Saito & Yasui
/// 2020). On a fold, outcome models per arm (a T-learner with train's default settings, the same for every
/// candidate) and the propensity are fitted on the fold's other rows; for a row of control or level k,
///   psi_k = mu_k(x) − mu_0(x) + T·(y − mu_k(x)) / e_k(x) − (1 − T)·(y − mu_0(x)) / (1 − e_k(x)),
/// and the loss of an uplift estimate tau_k is mean((psi_k − tau_k)²) over those rows, averaged over the
/// treated levels. Lower is better; it needs no ranking, so it suits continuous outcomes.

#include <span>
#include <vector>

#include "uplift/model/learner.hpp"

namespace uplift::model {

/// The pseudo-outcomes of one fold's scored rows.
struct DrTargets {
    std::vector<std::vector<double>> psi;  ///< [level − 1][row]; NaN on rows of other levels
};

/// Fits the nuisance models on `fit` (propensity `e`, fitted on the same rows) and computes psi for the rows
/// `x`, `y`, `arm` (and their propensity column, empty unless the propensity comes from one).
DrTargets dr_targets(const LearnerData& fit, const Propensity& e, const DenseMatrix& x, std::span<const double> y,
                     std::span<const int> arm, std::span<const double> propensity_column,
                     const LearnerOptions& nuisance);

/// Mean squared distance of `uplift` ([level − 1][row], the rows of `targets`) from psi, averaged over levels.
double dr_loss(const DrTargets& targets, const std::vector<std::vector<double>>& uplift);

}  // namespace uplift::model
