#pragma once
/// Internals shared by the learner implementations (not part of the library's interface).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "uplift/model/learner.hpp"

namespace uplift::model::detail {

/// InternalError for inputs of unequal length, DataError for an arm with fewer than 10 rows.
void check_learner_data(const LearnerData& data);

/// Positions of the rows whose arm is `a` or `b` (b < 0: only a).
std::vector<std::size_t> rows_in_arms(std::span<const int> arm, int a, int b = -1);

/// Values of `v` at `rows`.
std::vector<double> pick(std::span<const double> v, std::span<const std::size_t> rows);

/// Strata (arm × outcome class) of `rows`, for the early-stopping slice.
std::vector<int> strata_of(const LearnerData& d, std::span<const std::size_t> rows);

/// An outcome model (binary or regression as the data) on `rows`.
Gbm fit_outcome(const LearnerData& d, std::span<const std::size_t> rows, const LearnerOptions& o, std::uint64_t seed_offset);

/// A regression of `target` (per entry of `rows`) on `rows`: the effect models of x and dr.
Gbm fit_effect(const LearnerData& d, std::span<const std::size_t> rows, std::span<const double> target,
               const LearnerOptions& o, std::uint64_t seed_offset);

/// Uplift as the difference of per-arm expected outcomes (the S- and T-learners).
ArmPredictions from_outcomes(std::vector<double> control, std::vector<std::vector<double>> treated);

/// Expected outcomes per offer from control predictions and uplift estimates.
ArmPredictions from_uplift(std::vector<double> control, std::vector<std::vector<double>> uplift, bool binary);

std::string outcome_name(int arm);

std::vector<NamedGbm> fit_s(const LearnerData& d, const LearnerOptions& o);
std::vector<NamedGbm> fit_t(const LearnerData& d, const LearnerOptions& o);
std::vector<NamedGbm> fit_x(const LearnerData& d, const LearnerOptions& o);
std::vector<NamedGbm> fit_dr(const LearnerData& d, const Propensity& e, const LearnerOptions& o);
std::vector<NamedGbm> fit_ct(const LearnerData& d, const Propensity& e, const LearnerOptions& o);

ArmPredictions predict_s(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x);
ArmPredictions predict_t(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x);
ArmPredictions predict_x(const std::vector<NamedGbm>& m, int n_treated, bool binary, const Propensity& e,
                         const DenseMatrix& x, std::span<const double> column);
ArmPredictions predict_dr(const std::vector<NamedGbm>& m, int n_treated, bool binary, const DenseMatrix& x);
ArmPredictions predict_ct(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x);

/// `x` with n_treated indicator columns appended: row i gets a 1 in column (arm − 1) when arm > 0.
DenseMatrix with_arm_indicators(const DenseMatrix& x, int n_treated, std::span<const int> arm);

}  // namespace uplift::model::detail
