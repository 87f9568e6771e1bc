#pragma once
/// Retail features: one model-ready row per campaign client from the typed tables of `ingest` retail
/// mode (clients, purchases, campaign, optional products), computed from the purchase history before a
/// cutoff date. Each feature family is a SQL recipe under recipes/ run by DuckDB; nothing at or after
/// the cutoff reaches any feature.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "uplift/features/retail_derived.hpp"
#include "uplift/features/retail_manifest.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::features {

struct RetailFeatureOptions {
    std::filesystem::path data_dir;        ///< the folder `ingest` retail mode wrote
    std::string cutoff;                    ///< YYYY-MM-DD: purchases before 00:00 of this day are history
    std::vector<int> windows{7, 30, 90, 180};  ///< days before the cutoff
    int max_level_1 = default_max_level_1;  ///< product categories (level_1) given a share feature
};

struct RetailFeatureStats {
    std::int64_t campaign_rows = 0;
    std::int64_t missing_clients = 0;              ///< campaign clients absent from clients.parquet: left out
    std::vector<std::string> missing_sample;       ///< up to 5 of them
    std::int64_t rows = 0;                         ///< output rows = campaign_rows - missing_clients
    std::int64_t without_purchases = 0;            ///< output rows with no purchase before the cutoff
    bool products = false;                         ///< products.parquet was given (product-mix shares)
};

struct RetailFeatures {
    io::Table table;  ///< client_id, treatment_flg ("0"/"1"), target, features; roles + manifest in metadata
    std::vector<RetailFeature> manifest;
    RetailFeatureStats stats;
};

/// "7,30,90,180" → {7, 30, 90, 180} (sorted, duplicates removed); UsageError for anything but whole
/// numbers of days in 1..3650.
std::vector<int> parse_windows(const std::string& text);

/// Computes the features. UsageError for a bad cutoff or windows, IoError for a missing folder or table,
/// DataError for tables of the wrong shape or unusable campaign rows.
RetailFeatures build_retail_features(io::Session& session, const RetailFeatureOptions& options);

/// The same, written straight from DuckDB to `out` (Parquet or CSV by extension, roles, manifest and
/// provenance as metadata, atomically): no round trip of the rows through C++. `table` is left empty.
RetailFeatures write_retail_features(io::Session& session, const RetailFeatureOptions& options,
                                     const std::filesystem::path& out, bool overwrite);

/// Only the manifest (for `--list`): reads the tables' schemas and the product categories, no purchases.
std::vector<RetailFeature> retail_feature_manifest(io::Session& session, const RetailFeatureOptions& options);

}  // namespace uplift::features
