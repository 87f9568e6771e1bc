#pragma once
/// Retail features: one model-ready row per client of a population (a campaign's clients, every client
/// known at the cutoff, or a list) from the typed tables of `ingest` retail mode (clients, purchases,
/// optional campaign and products), computed from the purchase history before a cutoff date. Each feature family is a SQL recipe under recipes/ run by DuckDB; nothing at or after
/// the cutoff reaches any feature.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "uplift/features/retail_derived.hpp"
#include "uplift/features/retail_manifest.hpp"
#include "uplift/features/retail_population.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::features {

/// The feature rows while they are staged in the session (table `name`, one row per client ordered by
/// client_id), their manifest and their metadata, before the rows are aligned with a --like model and
/// written. A layer above features reworks them here (model/gender_imputation.hpp predicts missing genders
/// with XGBoost, which this layer may not include).
struct StagedTable {
    io::Session& session;
    std::string name;
    std::vector<RetailFeature>& manifest;  ///< exactly the table's feature columns, in order
    io::Metadata& metadata;
};
using RefineStaged = std::function<void(StagedTable&)>;

struct RetailFeatureOptions {
    std::filesystem::path data_dir;        ///< the folder `ingest` retail mode wrote
    std::string cutoff;                    ///< YYYY-MM-DD: purchases before 00:00 of this day are history
    std::vector<int> windows{7, 30, 90, 180};  ///< days before the cutoff
    int max_level_1 = default_max_level_1;  ///< product categories (level_1) given a share feature
    /// Whose rows; unset: the campaign's when the folder has one, else every client known at the cutoff.
    std::optional<Population> population;
    /// A model folder: build exactly its features, in its order (retail_alignment.hpp); empty: none.
    std::filesystem::path like;
    /// Build even when the cutoff lies more than max_days_after_history after the last purchase, or no
    /// client of the population has a purchase before it (both are errors otherwise).
    bool allow_outside_history = false;
    /// Runs on the staged rows before the alignment and the roles (empty: none). It may replace the
    /// table's columns and must keep the manifest equal to them.
    RefineStaged refine;
};

/// A cutoff this many days after the last purchase is an error without allow_outside_history: every
/// client would look lapsed for a year.
inline constexpr int max_days_after_history = 365;

struct RetailFeatureStats {
    std::string population;                        ///< campaign, all, or the file of ids
    bool outcomes = false;                         ///< treatment_flg and target are in the rows: `train` can use them
    std::int64_t population_rows = 0;              ///< ids in the population
    std::int64_t missing_clients = 0;              ///< population ids absent from clients.parquet: left out
    std::vector<std::string> missing_sample;       ///< up to 5 of them
    std::int64_t rows = 0;                         ///< output rows = population_rows - missing_clients
    std::int64_t without_purchases = 0;            ///< output rows with no purchase before the cutoff
    bool products = false;                         ///< products.parquet was given (product-mix shares)
    std::string first_purchase, last_purchase;     ///< dates of the purchase history (all of it)
    std::int64_t days_after_history = 0;           ///< cutoff date minus the last purchase's date
    /// --like: category columns of this catalogue the model never saw (folded into its __other__ column),
    /// the rows with spending on them, and the model's category columns this catalogue lacks (zeros).
    std::vector<std::string> folded;
    std::int64_t folded_rows = 0;
    std::vector<std::string> zeroed;
};

struct RetailFeatures {
    /// client_id, treatment_flg ("0"/"1") and target (with campaign outcomes only), features; roles +
    /// manifest in metadata
    io::Table table;
    std::vector<RetailFeature> manifest;
    RetailFeatureStats stats;
};

/// "7,30,90,180" → {7, 30, 90, 180} (sorted, duplicates removed); UsageError for anything but whole
/// numbers of days in 1..3650.
std::vector<int> parse_windows(const std::string& text);

/// Computes the features. UsageError for a bad cutoff or windows, IoError for a missing folder or table,
/// DataError for tables of the wrong shape, unusable population rows or a cutoff outside the history,
/// ModelError when `like` names a model whose features these tables cannot give.
RetailFeatures build_retail_features(io::Session& session, const RetailFeatureOptions& options);

/// The same, written straight from DuckDB to `out` (Parquet or CSV by extension, roles, manifest and
/// provenance as metadata, atomically): no round trip of the rows through C++. `table` is left empty.
RetailFeatures write_retail_features(io::Session& session, const RetailFeatureOptions& options,
                                     const std::filesystem::path& out, bool overwrite);

/// Only the manifest (for `--list`): reads the tables' schemas and the product categories, no purchases.
std::vector<RetailFeature> retail_feature_manifest(io::Session& session, const RetailFeatureOptions& options);

}  // namespace uplift::features
