#pragma once
/// The records that travel with a table (Parquet key-value metadata, or `<file>.meta.json` beside a CSV):
/// column roles, the flat feature encoding, the retail feature manifest and provenance. This header owns
/// their key names and their JSON; producers store and consumers read these types, never the text.
/// See docs/architecture.md for who writes and who reads each key.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

/// The records have carried no version of their own so far; a change that breaks readers adds one.
inline constexpr int table_metadata_format_version = 1;

/// Metadata keys. No other file spells them.
inline constexpr const char* roles_key = "upliftctl.roles";
/// The flat feature encoding (FeatureSpec), written by `features` on a flat dataset.
inline constexpr const char* feature_spec_key = "upliftctl.features";
/// The retail feature manifest (what every output column means), written by retail `features`.
inline constexpr const char* feature_manifest_key = "upliftctl.feature_manifest";
/// How retail `features` predicted the genders clients.parquet lacks (GenderImputation).
inline constexpr const char* gender_imputation_key = "upliftctl.gender_imputation";
/// Tool version, stage, inputs and their fingerprints, parameters.
inline constexpr const char* provenance_key = "upliftctl.provenance";

// ---- roles ----------------------------------------------------------------------------------------

enum class OutcomeType { Binary, Continuous };

std::string to_string(OutcomeType type);
/// "binary" or "continuous"; throws UsageError otherwise.
OutcomeType outcome_type_from_string(const std::string& text);

/// Which column plays which part in an uplift dataset.
struct Roles {
    std::string id;                             ///< client id column
    std::string treatment;                      ///< treatment column (text levels)
    std::string control;                        ///< the level meaning "no offer"
    std::vector<std::string> treatment_levels;  ///< treated levels in use, in a stable order
    std::string outcome;                        ///< numeric outcome column
    OutcomeType outcome_type = OutcomeType::Binary;
    std::vector<std::string> features;          ///< model inputs
    /// Rows without campaign outcomes (treatment, control, levels and outcome are empty): features of clients
    /// to score, which `train` refuses. Written as "scoring_only": true; absent in files with outcomes.
    bool scoring_only = false;

    bool operator==(const Roles&) const = default;
};

std::string to_json(const Roles& roles);
/// Throws DataError naming `source` and the key when the text is not a roles record.
Roles roles_from_json(std::string_view text, const std::string& source);

// ---- flat feature encoding ------------------------------------------------------------------------

struct CategoricalEncoding {
    std::string column;
    std::vector<std::string> levels;  ///< one indicator column per level, most frequent first
    bool other = false;               ///< one more indicator for the rarer levels folded together

    bool operator==(const CategoricalEncoding&) const = default;
};

/// One model input: its name, where it comes from and what it means (the feature manifest).
struct FeatureInfo {
    std::string name;
    std::string family;  ///< "numeric" or "one_hot"
    std::string source;  ///< source column
    std::string description;

    bool operator==(const FeatureInfo&) const = default;
};

/// How raw columns become model inputs; travels in the features file and in model.json.
struct FeatureSpec {
    std::vector<std::string> numeric;
    std::vector<CategoricalEncoding> categorical;
    std::vector<FeatureInfo> manifest;  ///< in output column order

    std::vector<std::string> names() const;
    bool operator==(const FeatureSpec&) const = default;
};

std::string to_json(const FeatureSpec& spec);
FeatureSpec feature_spec_from_json(std::string_view text, const std::string& source);

// ---- retail feature manifest ----------------------------------------------------------------------

struct RetailFeature {
    std::string name;
    std::string family;       ///< the recipe it comes from: profile, rfm, check, points, habits, basket
    std::string window;       ///< "30d", "7d/180d" (a trend), "all" (history before the cutoff), "static"
    std::string description;

    bool operator==(const RetailFeature&) const = default;
};

std::string to_json(const std::vector<RetailFeature>& manifest);
std::vector<RetailFeature> feature_manifest_from_json(std::string_view text, const std::string& source);

// ---- gender imputation --------------------------------------------------------------------------

/// Clients whose gender is missing or U got one predicted from their purchase behaviour by a classifier
/// trained on the clients whose gender is known, cross-fitted: each known client's out-of-fold prediction
/// gives the cross-validated F1, and the unknown ones get the prediction of a fit on every known client.
struct GenderImputation {
    int folds = 0;
    std::uint64_t seed = 0;
    std::int64_t known = 0;          ///< clients with gender F or M (the training rows)
    std::int64_t imputed = 0;        ///< clients whose gender was predicted (gender_imputed = 1)
    std::vector<std::string> inputs;  ///< the feature columns the classifier read
    /// Macro F1 (mean of F's and M's) of the out-of-fold predictions; empty when too few known clients of
    /// either gender left the genders as recorded.
    std::optional<double> cv_f1;
    /// The quality gate (features --impute-gender-min-f1): a cross-validated F1 below it predicts nothing.
    /// Empty in records written before the gate existed.
    std::optional<double> min_f1;
    /// Whether predicted genders were written. False when too few known clients or an F1 below min_f1 left
    /// every gender as recorded; `reason` then says which, in words (empty when applied).
    bool applied = true;
    std::string reason;

    bool operator==(const GenderImputation&) const = default;
};

std::string to_json(const GenderImputation& record);
GenderImputation gender_imputation_from_json(std::string_view text, const std::string& source);

// ---- provenance -----------------------------------------------------------------------------------

struct ProvenanceInput {
    std::string path;         ///< file name only: a run folder may move
    std::string fingerprint;

    bool operator==(const ProvenanceInput&) const = default;
};

/// Where an artifact came from. No timestamps: the same inputs and seed must give byte-identical artifacts.
struct Provenance {
    std::string tool = "upliftctl";
    std::string version;
    std::string stage;
    std::vector<ProvenanceInput> inputs;
    std::map<std::string, std::string> parameters;

    bool operator==(const Provenance&) const = default;
};

/// The provenance of a stage run by this upliftctl: fingerprints every input file.
Provenance provenance_of(std::string stage, const std::vector<std::filesystem::path>& inputs,
                         std::map<std::string, std::string> parameters = {});

std::string to_json(const Provenance& provenance);
Provenance provenance_from_json(std::string_view text, const std::string& source);

// ---- reading and writing a table's metadata map ---------------------------------------------------

using MetadataMap = std::map<std::string, std::string>;

void store(MetadataMap& metadata, const Roles& roles);
void store(MetadataMap& metadata, const FeatureSpec& spec);
void store(MetadataMap& metadata, const std::vector<RetailFeature>& manifest);
void store(MetadataMap& metadata, const Provenance& provenance);
void store(MetadataMap& metadata, const GenderImputation& record);

/// nullopt when the key is absent; DataError naming `source` when present but unreadable.
std::optional<Roles> load_roles(const MetadataMap& metadata, const std::string& source);
std::optional<FeatureSpec> load_feature_spec(const MetadataMap& metadata, const std::string& source);
std::optional<std::vector<RetailFeature>> load_feature_manifest(const MetadataMap& metadata, const std::string& source);
std::optional<Provenance> load_provenance(const MetadataMap& metadata, const std::string& source);
std::optional<GenderImputation> load_gender_imputation(const MetadataMap& metadata, const std::string& source);

}  // namespace uplift::artifacts
