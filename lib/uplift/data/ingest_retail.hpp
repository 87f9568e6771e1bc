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

/// One rejected row as shown in ingest.json. `line` is the CSV line (header = line 1) or the 1-based
/// Parquet row.
struct RetailRejectSample {
    std::int64_t line = 0;
    std::string column;
    std::string value;
    std::string reason;
};

struct RetailTableReport {
    std::string table;
    std::string input;  ///< file name as given
    std::int64_t rows_in = 0;
    std::int64_t rows_kept = 0;
    std::int64_t rows_rejected = 0;
    std::map<std::string, std::int64_t> rejects_per_reason;
    std::vector<RetailRejectSample> samples;  ///< the first few rejects of each reason, in line order
};

struct RetailIngestSummary {
    std::vector<RetailTableReport> tables;  ///< clients, products (when given), purchases, campaign
    double max_reject_rate = 0.01;
    std::int64_t derived_transactions = 0;    ///< rows of transactions.parquet
    std::int64_t derived_product_firsts = 0;  ///< rows of product_firsts.parquet

    std::string to_json() const;
    std::string to_text() const;
};

/// How many sample rows per reason ingest.json and the error messages show.
inline constexpr std::size_t retail_samples_per_reason = 3;

/// Checks and types the tables and writes `options.out` (typed Parquet tables, the derived tables
/// transactions.parquet and product_firsts.parquet for `features`, rejects/, ingest.json).
/// Throws DataError for a missing header column or a table whose reject rate exceeds the limit, and
/// writes nothing under `options.out` then.
RetailIngestSummary ingest_retail(io::Session& session, const RetailIngestOptions& options);

}  // namespace uplift::data
