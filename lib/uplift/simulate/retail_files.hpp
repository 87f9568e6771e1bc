#pragma once
/// Internal to simulate: the folder's side files — simulate.json and the optional Parquet copies.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "uplift/simulate/simulate.hpp"

namespace uplift::simulate {

/// Products and stores for a client base of `clients` (X5's proportions).
std::int64_t product_count(std::uint64_t clients);
std::int64_t store_count(std::uint64_t clients);

/// What simulate.json records of one folder, whether a one-folder run or a month of a series.
struct SummaryFacts {
    std::uint64_t seed = 0;
    std::uint64_t clients = 0;
    TableFormat format = TableFormat::Csv;
    std::int32_t cutoff = 0;
    std::int32_t history_start = 0;
    const RetailModelParameters& model;
    const DirtyRates& dirty;
    const BlockCounts& counts;
    std::int64_t products = 0;
    std::int64_t stores = 0;
    std::uint64_t block_size = clients_per_block;
};

/// simulate.json's fields in their order; a series month adds its own after them.
nlohmann::ordered_json summary_fields(const SummaryFacts& facts);

/// The content of simulate.json: parameters, seed, cutoff, rows per table, dirty rows by kind.
/// Nothing that depends on the machine, the clock or --threads, so reruns give the same bytes.
std::string summary_json(const SimulateOptions& options, const SimulateResult& result);

struct CsvTable {
    std::string name;    ///< file stem: clients, purchases, ...
    std::string header;  ///< the header line, with its newline
};

/// products.csv (header and every product) in `dir`.
void write_products(const std::filesystem::path& dir, const ProductCatalogue& products, const IdCoder& ids);

/// `dir`/simulate.json.
void write_summary(const std::filesystem::path& dir, const std::string& json);

/// The four tables of a folder (clients, products, purchases, campaign) from CSV to Parquet.
void convert_tables_to_parquet(const std::filesystem::path& dir, int threads);

/// Replaces each `<dir>/<name>.csv` by `<dir>/<name>.parquet` (zstd). Columns stay text, exactly the
/// CSV's fields with empty ones as NULL, so dirty values survive for `ingest` to find and report.
void convert_to_parquet(const std::filesystem::path& dir, const std::vector<CsvTable>& tables, int threads);

}  // namespace uplift::simulate
