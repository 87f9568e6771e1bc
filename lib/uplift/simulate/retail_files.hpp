#pragma once
/// Internal to simulate: the folder's side files — simulate.json and the optional Parquet copies.

#include <filesystem>
#include <string>
#include <vector>

#include "uplift/simulate/simulate.hpp"

namespace uplift::simulate {

/// The content of simulate.json: parameters, seed, cutoff, rows per table, dirty rows by kind.
/// Nothing that depends on the machine, the clock or --threads, so reruns give the same bytes.
std::string summary_json(const SimulateOptions& options, const SimulateResult& result);

struct CsvTable {
    std::string name;    ///< file stem: clients, purchases, ...
    std::string header;  ///< the header line, with its newline
};

/// Replaces each `<dir>/<name>.csv` by `<dir>/<name>.parquet` (zstd). Columns stay text, exactly the
/// CSV's fields with empty ones as NULL, so dirty values survive for `ingest` to find and report.
void convert_to_parquet(const std::filesystem::path& dir, const std::vector<CsvTable>& tables, int threads);

}  // namespace uplift::simulate
