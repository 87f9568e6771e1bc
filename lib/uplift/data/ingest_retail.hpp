#pragma once
/// `ingest` retail mode, its data/ half: raw clients / purchases / products / campaign files (CSV or
/// Parquet, shaped as in docs/retail_schema.md) become typed Parquet tables in one output folder, with every
/// unusable row in `rejects/<table>.csv` and counts per table for `ingest.json`. The whole command
/// (derived tables, ingest.json, the atomic folder) is features::ingest_retail (features/retail_ingest.hpp).
/// All row work is DuckDB SQL over the files (tens of millions of purchase lines never pass through a
/// Table); only rejects come back to C++.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/io/session.hpp"

namespace uplift::data {

struct RetailIngestOptions {
    std::filesystem::path clients;
    std::filesystem::path purchases;
    std::filesystem::path products;  ///< optional: empty path = no products table
    std::filesystem::path campaign;  ///< optional: empty path = no campaign (a folder for scoring only)
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

/// The input files of a retail ingest, opened and their headers checked (open_retail_sources): what
/// write_retail_tables reads. Holds scratch tables of `session`, which must outlive it. Move-only.
class RetailSources {
public:
    ~RetailSources();
    RetailSources(RetailSources&&) noexcept;
    RetailSources& operator=(RetailSources&&) noexcept;

    struct Impl;

private:
    explicit RetailSources(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;

    friend RetailSources open_retail_sources(io::Session& session, const RetailIngestOptions& options);
    friend RetailIngestSummary write_retail_tables(io::Session& session, RetailSources& inputs,
                                                   const std::filesystem::path& dir);
};

/// Step 1 of a retail ingest: checks `options.max_reject_rate` (UsageError), that every input file is
/// readable (IoError) and has the contract's header columns (DataError). Writes nothing.
RetailSources open_retail_sources(io::Session& session, const RetailIngestOptions& options);

/// Step 2: checks and types the tables into `dir`, a folder not yet committed (an io::AtomicOutput's
/// temporary): the typed Parquet tables clients, products (when given), purchases and campaign, and
/// rejects/<table>.csv. Returns the counts per table; the derived counts are left at 0 (the derived tables
/// are a features/ matter: features::ingest_retail writes them and ingest.json, then commits the folder).
/// Throws DataError for a table with no data rows or whose reject rate exceeds the limit.
RetailIngestSummary write_retail_tables(io::Session& session, RetailSources& inputs, const std::filesystem::path& dir);

}  // namespace uplift::data
