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

// The encoding is an artifact: its fields and JSON live in artifacts/table_metadata.hpp.
using artifacts::CategoricalEncoding;
using artifacts::FeatureInfo;
using artifacts::FeatureSpec;

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

/// The `features` output's metadata: the dataset's, with the roles naming the encoded features and the spec.
io::Metadata flat_features_metadata(const io::Metadata& dataset, const data::Roles& roles, const FeatureSpec& spec);

/// The `features` output: id, treatment, outcome, then the encoded features; roles updated to name the
/// encoded features, the spec stored in the metadata.
io::Table build_flat_features(const io::Table& dataset, const data::Roles& roles, const FeatureSpec& spec);

}  // namespace uplift::features
