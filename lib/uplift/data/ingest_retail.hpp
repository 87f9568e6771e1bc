#pragma once
/// `ingest` retail mode: raw clients / purchases / products / campaign files (CSV or Parquet, shaped as
/// in docs/retail_schema.md) become typed Parquet tables in one output folder, with every unusable row in
/// `rejects/<table>.csv` and counts per table in `ingest.json`. All row work is DuckDB SQL over the files
/// (tens of millions of purchase lines never pass through a Table); only rejects come back to C++.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/io/session.hpp"

namespace uplift::data {

struct RetailIngestOptions {
    std::filesystem::path clients;
    std::filesystem::path purchases;
    std::filesystem::path products;  ///< optional: empty path = no products table
    std::filesystem::path campaign;
    std::filesystem::path out;       ///< the output folder, written atomically
    double max_reject_rate = 0.01;   ///< per table
    bool overwrite = false;
};

/// The typed records of ingest.json (artifacts/ingest_summary.hpp writes and reads it).
using RetailRejectSample = artifacts::RetailRejectSample;
using RetailTableReport = artifacts::RetailIngestTable;
using RetailIngestSummary = artifacts::RetailIngestSummary;

/// The summary printed on stdout: rows per table and an example of each reject reason.
std::string to_text(const RetailIngestSummary& summary);

/// How many sample rows per reason ingest.json and the error messages show.
inline constexpr std::size_t retail_samples_per_reason = 3;

/// Checks and types the tables and writes `options.out` (typed Parquet tables, the derived tables
/// transactions.parquet and product_firsts.parquet for `features`, rejects/, ingest.json).
/// Throws DataError for a missing header column or a table whose reject rate exceeds the limit, and
/// writes nothing under `options.out` then.
RetailIngestSummary ingest_retail(io::Session& session, const RetailIngestOptions& options);

}  // namespace uplift::data
