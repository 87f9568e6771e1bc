#pragma once
/// Features of a flat table: numeric columns pass through as doubles, text columns are one-hot encoded.
///
/// One-hot rather than XGBoost's native categorical support: the encoded file is plain numbers that any
/// tool (pandas, Spark, a linear propensity model) reads the same way, and every learner sees the same
/// inputs. The encoding (levels per column) travels in the file's metadata and in the model bundle, so
/// `score` can encode new raw data exactly as training did; levels unseen in training become all zeros
/// and are counted.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "uplift/data/roles.hpp"
#include "uplift/io/table.hpp"

namespace uplift::features {

struct CategoricalEncoding {
    std::string column;
    std::vector<std::string> levels;  ///< one indicator column per level, most frequent first
    bool other = false;               ///< one more indicator for the rarer levels folded together
};

/// One model input: its name, where it comes from and what it means (the feature manifest).
struct FeatureInfo {
    std::string name;
    std::string family;  ///< "numeric" or "one_hot"
    std::string source;  ///< source column
    std::string description;
};

struct FeatureSpec {
    std::vector<std::string> numeric;
    std::vector<CategoricalEncoding> categorical;
    std::vector<FeatureInfo> manifest;  ///< in output column order

    std::vector<std::string> names() const;
    std::string to_json() const;
    static FeatureSpec from_json(const std::string& json);
};

inline constexpr const char* feature_spec_metadata_key = "upliftctl.features";
inline constexpr const char* other_level = "__other__";

struct FlatFeatureOptions {
    int max_levels = 20;  ///< levels beyond the most frequent `max_levels` fold into __other__
    /// A text column with more distinct values than this share of rows is an identifier, not a feature.
    double max_distinct_share = 0.5;
};

/// Decides the encoding from a training table. Columns dropped as unusable are reported in `dropped`.
FeatureSpec fit_flat_features(const io::Table& dataset, const data::Roles& roles, const FlatFeatureOptions& options,
                              std::vector<std::string>* dropped = nullptr);

struct EncodeStats {
    std::map<std::string, std::int64_t> unseen_levels;  ///< column → rows whose level training never saw
};

/// The encoded feature columns (all DOUBLE, NaN for missing numbers) of `input` under `spec`.
/// Throws ModelError naming a missing source column or one whose type no longer fits.
std::vector<io::Column> encode_features(const io::Table& input, const FeatureSpec& spec, EncodeStats* stats);

/// The `features` output: id, treatment, outcome, then the encoded features; roles updated to name the
/// encoded features, the spec stored in the metadata.
io::Table build_flat_features(const io::Table& dataset, const data::Roles& roles, const FeatureSpec& spec);

}  // namespace uplift::features
