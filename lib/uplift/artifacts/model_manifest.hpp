#pragma once
/// The model manifest, model.json: what a trained model is, what it needs, how it was made and how well it
/// did. `train` writes it, `score`, `report` and `evaluate --model` read it, always through these types.
/// See docs/architecture.md.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/artifacts/drift_reference.hpp"
#include "uplift/artifacts/evaluation.hpp"
#include "uplift/artifacts/table_metadata.hpp"

namespace uplift::artifacts {

/// 2: named base models of any learner, propensity, importance and the randomisation check. Only this
/// version is read; any other is refused (ModelError, exit 5) naming both versions.
inline constexpr int model_manifest_format_version = 2;

// ---- holdout metrics ------------------------------------------------------------------------------

/// Holdout quality of one treated level against control.
struct ArmMetrics {
    std::string level;
    std::int64_t n_treatment = 0;
    std::int64_t n_control = 0;
    std::optional<double> qini_auc;
    std::optional<double> uplift_auc;
    std::optional<double> uplift_at_30;  ///< uplift@30%, strategy overall

    bool operator==(const ArmMetrics&) const = default;
};

/// The value of uplift@k (strategy overall) in `e`; nullopt when `e` was not asked for that k.
std::optional<double> uplift_at(const Evaluation& e, double k);

/// One holdout metric: its key in model.json (and in the report's JSON), its member, and how it comes out of
/// the holdout's Evaluation. The serialiser, the reader, train and the report iterate this list, so a new
/// metric is a member above, a row here (and a k in holdout_ks if it is an uplift@k), plus its renderer cell.
struct ArmMetricField {
    const char* key;
    std::optional<double> ArmMetrics::*member;
    std::optional<double> (*from)(const Evaluation&);
};

inline constexpr std::array arm_metric_fields{
    ArmMetricField{"qini_auc", &ArmMetrics::qini_auc, [](const Evaluation& e) { return e.qini_auc; }},
    ArmMetricField{"uplift_auc", &ArmMetrics::uplift_auc, [](const Evaluation& e) { return e.uplift_auc; }},
    ArmMetricField{"uplift_at_30", &ArmMetrics::uplift_at_30, [](const Evaluation& e) { return uplift_at(e, 0.3); }},
};

/// The fractions of uplift@k the holdout evaluation computes (those the fields above read).
inline constexpr std::array holdout_ks{0.3};

/// Sets every metric of `m` from the holdout evaluation of its level.
void set_metrics(ArmMetrics& m, const Evaluation& e);

/// Cross-validated quality of one treated level: mean and standard deviation over the folds.
struct CvMetrics {
    std::string level;
    std::vector<double> qini_auc;      ///< per fold
    std::vector<double> uplift_at_30;  ///< per fold
    double qini_auc_mean = 0, qini_auc_std = 0, uplift_at_30_mean = 0, uplift_at_30_std = 0;

    bool operator==(const CvMetrics&) const = default;
};

// ---- the learner search (--learner auto) ----------------------------------------------------------

/// One candidate of the search as model.json records it: what it was, whether it ran, how it scored.
struct AutoCandidate {
    std::string learner;                        ///< as model::to_string(LearnerKind)
    std::map<std::string, std::string> params;  ///< the settings the search varied ("max_depth": "3", ...)
    std::string status;                         ///< "done", "skipped" (cannot run on this data) or "over_budget"
    std::string reason;                         ///< why skipped; empty otherwise
    std::vector<double> per_fold;               ///< the criterion on each fold (mean over treated levels), repeat by repeat
    std::optional<double> mean, se;             ///< over all folds; se = std / sqrt(folds per repeat); null unless done
    bool selected = false;

    bool operator==(const AutoCandidate&) const = default;
};

/// What `train --learner auto` compared and chose (docs/train.md, "Model selection").
struct AutoSearch {
    std::string criterion;    ///< "qini" (higher is better) or "dr_loss" (lower is better)
    std::string rule = "one_standard_error";
    int folds = 0;
    int repeats = 1;          ///< K-fold runs per candidate (--cv-repeats); per_fold holds repeats × folds values
    std::string grid;         ///< the search specification the candidates came from
    double time_budget = 0;   ///< seconds; 0 = none
    std::vector<AutoCandidate> candidates;  ///< simplest first, the order they ran in

    bool operator==(const AutoSearch&) const = default;
};

// ---- importance and the randomisation check -------------------------------------------------------

struct FeatureGain {
    std::string feature;  ///< a source column
    double gain = 0.0;    ///< total split gain summed over the base models
    double share = 0.0;   ///< of the total gain

    bool operator==(const FeatureGain&) const = default;
};

struct PermutationImportance {
    std::string feature;                       ///< a source column
    double qini_auc_drop = 0.0;                ///< mean over levels and repeats; larger = more important
    std::map<std::string, double> per_level;   ///< mean over repeats, per treated level

    bool operator==(const PermutationImportance&) const = default;
};

struct FeatureImportance {
    std::vector<FeatureGain> gain;                  ///< highest first
    std::vector<PermutationImportance> permutation; ///< highest drop first; empty without a holdout

    bool operator==(const FeatureImportance&) const = default;
};

struct RandomisationCheck {
    std::string level;
    double auc = 0.5;
    double auc_se = 0;
    std::int64_t n_eval = 0;
    bool flagged = false;

    bool operator==(const RandomisationCheck&) const = default;
};

// ---- propensity -----------------------------------------------------------------------------------

/// A logistic regression on standardised features (missing values take the mean).
struct LogisticModel {
    double intercept = 0;
    std::vector<double> coef, mean, scale;

    bool operator==(const LogisticModel&) const = default;
};

/// What model/propensity.hpp needs to rebuild a fitted propensity.
struct PropensityRecord {
    std::string source = "share";        ///< share, model or column
    std::string column;                  ///< source column only
    double clip = 0.01;
    std::vector<double> share;           ///< per treated level
    std::vector<LogisticModel> logistic; ///< per treated level, source model only

    bool operator==(const PropensityRecord&) const = default;
};

// ---- the manifest ---------------------------------------------------------------------------------

struct BaseModelEntry {
    std::string name;
    std::string file;         ///< relative to the model folder
    std::string fingerprint;  ///< of the file's text
    int rounds = 0;

    bool operator==(const BaseModelEntry&) const = default;
};

/// The rows the model was fitted on, as hashes in a file of the folder (model/fitted_rows.hpp owns its bytes):
/// score counts how many of its rows are among them, to label in-sample scores whatever file they come in.
struct FittedRowsEntry {
    std::string file;         ///< relative to the model folder
    std::string fingerprint;  ///< of the file's bytes
    std::int64_t rows = 0;    ///< rows fitted on
    std::int64_t kept = 0;    ///< hashes in the file: all rows, or a deterministic sample of them
    std::uint64_t sample_one_in = 1;  ///< a row's hash is kept when it is a multiple of this
    bool with_id = false;     ///< the hash covers the id as well as the feature values

    bool operator==(const FittedRowsEntry&) const = default;
};

/// A feature that looks like the outcome leaking into the inputs (train's leakage guard).
struct LeakageWarning {
    std::string feature;
    double gain_share = 0;  ///< of the total gain over the base models
    std::string reason;     ///< "dominates the gain", "alone predicts the outcome" or "is named like the outcome"
    bool allowed = false;   ///< --allow-leaky: recorded, not warned about
    std::optional<double> outcome_auc;  ///< the feature alone as a score for the outcome (binary outcomes)

    bool operator==(const LeakageWarning&) const = default;
};

struct ModelManifest {
    int format_version = model_manifest_format_version;
    std::string tool = "upliftctl";
    std::string tool_version;
    std::string learner;                               ///< as model::to_string(LearnerKind)
    Roles roles;
    std::vector<std::string> features;                 ///< = roles.features
    std::map<std::string, std::string> feature_types;  ///< input column type per feature at training
    std::vector<std::string> treatment_levels;         ///< = roles.treatment_levels
    std::optional<FeatureSpec> encoding;
    std::map<std::string, std::string> parameters;
    std::uint64_t seed = 42;
    std::string training_data_fingerprint;
    std::optional<std::vector<ArmMetrics>> holdout_metrics;     ///< null without a holdout
    std::optional<std::vector<CvMetrics>> cross_validation;     ///< null without --cv
    std::optional<AutoSearch> auto_search;                      ///< --learner auto only (absent otherwise)
    std::optional<FeatureImportance> feature_importance;
    std::optional<std::vector<RandomisationCheck>> randomisation_check;
    std::vector<LeakageWarning> leakage;  ///< written only when a feature was flagged
    /// The training rows' distributions for drift checks at score time; absent in models trained before it.
    std::optional<DriftReference> drift_reference;
    std::optional<FittedRowsEntry> fitted_rows;  ///< absent in models trained before it
    /// The training features' recovered-gender record (upliftctl.gender_imputation), copied as retail
    /// `features` wrote it; its keys are table_metadata.hpp's. Absent for other features and older models.
    std::optional<GenderImputation> gender_imputation;
    PropensityRecord propensity;
    std::vector<BaseModelEntry> base_models;

    bool operator==(const ModelManifest&) const = default;
};

/// The exact bytes of model.json (indent 2, final newline).
std::string to_json(const ModelManifest& manifest);
/// Throws ModelError naming `source` (and the key) for text that is not a manifest, and naming both versions
/// for a format version other than model_manifest_format_version. Keys added after version 2 first shipped
/// (feature_types, cross_validation, feature_importance, randomisation_check, auto_search) may be absent.
ModelManifest model_manifest_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
