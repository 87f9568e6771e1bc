#pragma once
/// What a model bundle tells the report: the learner, its holdout metrics as recorded by train, and which
/// client attributes its trees lean on (gain importance).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "uplift/model/bundle.hpp"

namespace uplift::report {

/// Gain of a source column (one-hot indicators are added back to their column), as model.json records it.
using FeatureImportance = artifacts::FeatureGain;

struct ModelSummary {
    std::string dir;
    std::string learner;
    std::size_t n_features = 0;
    std::vector<artifacts::ArmMetrics> holdout;  ///< as train recorded them in model.json
    std::vector<std::pair<std::string, std::string>> parameters;
    /// Highest first; empty when the base models cannot report it.
    std::vector<FeatureImportance> importance;
    /// The training features' recovered gender (retail features); empty for other models.
    std::optional<artifacts::GenderImputation> gender;
};

/// Gain per source column over every base model, highest first (ties by name). Features the encoding manifest
/// does not list keep their own name.
std::vector<FeatureImportance> gain_importance(const model::ModelBundle& bundle);

/// The summary of a loaded bundle; importance is left empty (not an error) when XGBoost cannot provide it.
ModelSummary summarize_model(const model::ModelBundle& bundle, const std::string& dir);

}  // namespace uplift::report
