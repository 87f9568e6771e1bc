#pragma once
/// The ingest summaries: `<out>.ingest.json` beside a flat ingest's dataset and `ingest.json` in a retail
/// ingest's folder (docs/ingest.md describes both). This file and ingest_summary.cpp are the only places that
/// spell their keys. Neither file carries a version key; the readers are strict (every key must be there with
/// its type), since only `upliftctl ingest` writes them.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

/// Neither summary carries a version key; 1 is the format written today.
inline constexpr int ingest_summary_format_version = 1;

/// What a flat ingest kept, excluded and rejected.
struct FlatIngestSummary {
    std::string input;  ///< as given; the file holds its file name only
    std::int64_t rows_in = 0;
    std::int64_t rows_kept = 0;
    std::int64_t rows_rejected = 0;
    std::int64_t rows_excluded = 0;  ///< rows of treatment arms not selected with --treatment-level
    std::map<std::string, std::int64_t> kept_per_level;
    std::map<std::string, std::int64_t> excluded_per_level;
    std::map<std::string, std::int64_t> rejects_per_reason;
    std::map<std::string, double> outcome_mean_per_level;
    std::string outcome_type = "binary";  ///< "binary" or "continuous" (data::to_string of the OutcomeType)
    std::vector<std::string> features;

    bool operator==(const FlatIngestSummary&) const = default;
};

/// One rejected row as shown in ingest.json. `line` is the CSV line (header = line 1) or the 1-based
/// Parquet row.
struct RetailRejectSample {
    std::int64_t line = 0;
    std::string column;
    std::string value;
    std::string reason;

    bool operator==(const RetailRejectSample&) const = default;
};

/// One input table of a retail ingest. The file names its output `<table>.parquet` and its rejects
/// `rejects/<table>.csv`; those follow from `table` and are not stored.
struct RetailIngestTable {
    std::string table;
    std::string input;  ///< file name as given; the file holds its file name only
    std::int64_t rows_in = 0;
    std::int64_t rows_kept = 0;
    std::int64_t rows_rejected = 0;
    std::map<std::string, std::int64_t> rejects_per_reason;
    std::vector<RetailRejectSample> samples;  ///< the first few rejects of each reason, in line order

    bool operator==(const RetailIngestTable&) const = default;
};

struct RetailIngestSummary {
    std::vector<RetailIngestTable> tables;  ///< clients, products (when given), purchases, campaign
    double max_reject_rate = 0.01;
    std::int64_t derived_transactions = 0;    ///< rows of transactions.parquet
    std::int64_t derived_product_firsts = 0;  ///< rows of product_firsts.parquet

    bool operator==(const RetailIngestSummary&) const = default;
};

/// The file's text (two-space indent, final newline). Inputs are written as file names only: the same inputs
/// give the same bytes wherever they live.
std::string to_json(const FlatIngestSummary& summary);
std::string to_json(const RetailIngestSummary& summary);

/// Parse the text; `source` names the file in messages. Throws DataError for text that is not JSON, a missing
/// key or a key of the wrong type (naming the key).
FlatIngestSummary flat_ingest_summary_from_json(std::string_view text, const std::string& source);
RetailIngestSummary retail_ingest_summary_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
