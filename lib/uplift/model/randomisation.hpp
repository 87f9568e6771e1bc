#pragma once
/// Randomisation check: can the features predict who got the offer? In a randomised test they cannot
/// (AUC ≈ 0.5). A shallow classifier of treated-vs-control is fitted on 70% of the training rows and its
/// AUC measured on the other 30%; an AUC above 0.55 whose lower bound, AUC − 3·SE (Hanley–McNeil), is above 0.5
/// flags the level: the arms differ before the offer, so meta-learners need a propensity model and the
/// class transformation is refused. Above `randomisation_max_rows` rows of a level and control, the check
/// runs on a seeded sample of that many, stratified by arm.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

// The check is recorded in model.json (artifacts/model_manifest.hpp).
using artifacts::RandomisationCheck;

inline constexpr double randomisation_auc_threshold = 0.55;
inline constexpr std::size_t randomisation_max_rows = 200000;

/// One check per treated level (`arm` 0 = control, k = level k; `levels` names them).
std::vector<RandomisationCheck> check_randomisation(const DenseMatrix& x, std::span<const int> arm,
                                                   const std::vector<std::string>& levels, std::uint64_t seed,
                                                   int threads);

/// Area under the ROC curve of `score` for `label` (1 positive), ties counted half (Mann–Whitney).
double roc_auc(std::span<const double> score, std::span<const std::uint8_t> label);
/// The same for scores that are floats (a feature column of the model matrix), none of them NaN: exactly what
/// roc_auc gives for the same values as doubles, by a radix sort of 33-bit keys (the value's order and the label)
/// instead of a comparison sort of pairs, a few times faster at a million rows.
double roc_auc_of_floats(std::span<const float> score, std::span<const std::uint8_t> label);

}  // namespace uplift::model
