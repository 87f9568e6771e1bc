#pragma once
/// `upliftctl simulate`: X5-RetailHero-shaped tables (clients, products, purchases, campaign) with a
/// known treatment effect per client (truth.csv), written as one folder that appears only when complete.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "uplift/simulate/retail_block.hpp"
#include "uplift/simulate/retail_model.hpp"

namespace uplift::simulate {

enum class TableFormat { Csv, Parquet };

inline constexpr std::uint64_t max_clients = 100'000'000;  ///< keeps 40-bit transaction ids unique

struct SimulateOptions {
    std::uint64_t clients = 0;
    std::filesystem::path out;
    std::uint64_t seed = 42;
    TableFormat format = TableFormat::Csv;
    int threads = 0;  ///< 0: all cores; never changes the output
    bool overwrite = false;
    std::int32_t cutoff = 17974;  ///< days since 1970-01-01: 2019-03-19, X5's campaign start
    std::int32_t history_days = 118;  ///< X5: 2018-11-21 .. 2019-03-18
    RetailModelParameters model;
    DirtyRates dirty;
    /// Called on the calling thread after each written block (blocks done, blocks in all).
    std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct SimulateResult {
    BlockCounts counts;
    std::int64_t products = 0;
    std::int64_t stores = 0;
    std::string summary_json;  ///< the content of simulate.json
};

/// "2019-03-19" -> days since the epoch; UsageError naming `flag` when it is not a date.
std::int32_t parse_cutoff(const std::string& text, const std::string& flag);

/// Writes the folder. Throws UsageError (bad options, existing folder without overwrite), IoError.
SimulateResult simulate_retail(const SimulateOptions& options);

}  // namespace uplift::simulate
