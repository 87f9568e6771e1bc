#pragma once
/// The model bundle: a folder with model.json (what the model is, what it needs, how it was made) and
/// one XGBoost JSON file per base model (the forest learner: one forest file, base/forest.json, docs/forest.md). `score` trusts nothing it cannot check: the format version,
/// the base files' fingerprints and the input's feature columns are all verified.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/flat_encoding.hpp"
#include "uplift/model/fitted_rows.hpp"
#include "uplift/model/learner.hpp"
#include "uplift/model/propensity.hpp"

namespace uplift::model {

/// The manifest's format version (artifacts/model_manifest.hpp owns model.json).
inline constexpr int bundle_format_version = artifacts::model_manifest_format_version;

struct ModelBundle {
    LearnerKind learner = LearnerKind::T;
    data::Roles roles;                              ///< features = model input columns, in order
    std::optional<features::FeatureSpec> encoding;  ///< how raw columns become those inputs
    std::map<std::string, std::string> parameters;
    std::uint64_t seed = 42;
    std::string training_fingerprint;               ///< of the training input file
    std::optional<std::vector<artifacts::ArmMetrics>> holdout_metrics;  ///< written by train with a holdout
    std::optional<std::vector<artifacts::CvMetrics>> cv_metrics;        ///< written by train --cv
    std::optional<artifacts::AutoSearch> auto_search;                   ///< the candidates of --learner auto
    std::optional<artifacts::FeatureImportance> importance;             ///< gain and permutation, by train
    std::optional<std::vector<artifacts::RandomisationCheck>> randomisation;  ///< treatment-predictability check
    std::vector<artifacts::LeakageWarning> leakage;  ///< features that look like the outcome leaking in
    std::optional<artifacts::DriftReference> drift_reference;  ///< training distributions (model/drift_check.hpp)
    std::optional<artifacts::GenderImputation> gender_imputation;  ///< the training features' recovered gender
    std::map<std::string, std::string> feature_types;  ///< input column type per feature at training
    std::optional<FittedRows> fitted_rows;             ///< what score checks its rows against (in_sample)
    Propensity propensity = Propensity::shares(std::vector<int>{0, 1}, 1);
    std::vector<NamedGbm> base_models;              ///< as expected_model_names(learner, levels); empty for the forest
    std::optional<forest::Forest> forest;           ///< the forest learner's model
    int threads = 0;                                ///< for the forest's predictions (0: one per core); not saved

    int n_treated() const { return static_cast<int>(roles.treatment_levels.size()); }
    bool binary() const { return roles.outcome_type == data::OutcomeType::Binary; }
    /// Predictions for `x`; `propensity_column` (per row, may be empty) feeds an X-learner fitted with
    /// --propensity-col.
    ArmPredictions predict(const DenseMatrix& x, std::span<const double> propensity_column = {}) const;
    /// Threads of every later predict() (XGBoost's and the forest's); does not change a prediction.
    void set_threads(int n);

    /// Writes the folder atomically (temporary folder, then rename). `extra` may add files to the folder
    /// before it is moved into place (train adds the holdout scores).
    void save(const std::filesystem::path& dir, bool overwrite,
              const std::function<void(const std::filesystem::path&)>& extra = {}) const;
    /// Throws ModelError for a missing or unreadable bundle, an unknown format version or a base model file
    /// that changed after training.
    static ModelBundle load(const std::filesystem::path& dir);
};

}  // namespace uplift::model
