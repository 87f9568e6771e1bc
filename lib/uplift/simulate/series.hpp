#pragma once
/// `upliftctl simulate --months K`: one client base and catalogue followed over K monthly campaigns. Month k
/// is a complete retail folder `DIR/month-kk` (clients, products, purchases up to that month's cutoff, the
/// month's randomised campaign, truth.csv and simulate.json), so `ingest` reads each folder as it is.
/// Month k+1's history is month k's plus one more month, in which month k's campaign responders made their
/// campaign purchase; new clients join every month; a drift can be switched on from a given month.
///
/// Every random choice comes from a stream seeded by (seed, block of 1,024 clients, month, purpose), so a
/// month's files are a function of the series' parameters and the month alone: `--continue` regenerates
/// the next month and gets the bytes `--months K+1` would have written, at any --threads.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "uplift/simulate/simulate.hpp"

namespace uplift::simulate {

inline constexpr int max_months = 99;  ///< folders month-01 .. month-99
/// Clients over the whole series (first month plus every month's new ones): client indices stay below 2^23,
/// orphans use 2^23 + slot, and a transaction id is (client index << 16) + its slot (transaction_slot).
inline constexpr std::uint64_t max_series_clients = (std::uint64_t{1} << 23) - 1;

/// What changes from month `from_month` on (docs/simulate.md "Drift"). Neutral values: no drift.
struct SeriesDrift {
    double basket = 1.0;            ///< multiplies the basket value of every purchase from that month's new month on
    double discount_seekers = 0.0;  ///< added to the share of discount-seekers (persuadables), 0 .. 1 - their share
    int from_month = 0;             ///< 0: no drift
    bool active() const noexcept { return from_month > 0 && (basket != 1.0 || discount_seekers != 0.0); }
};

/// Parses one `--drift` value, `basket=1.3` or `discount-seekers=+0.2`, into `drift`; UsageError otherwise.
void parse_drift(const std::string& text, SeriesDrift& drift);

struct SeriesOptions {
    std::uint64_t clients = 0;      ///< clients of month 1
    std::uint64_t new_clients = 0;  ///< clients joining in each later month (their card issued in the month before)
    int months = 1;
    std::filesystem::path out;
    std::uint64_t seed = 42;
    TableFormat format = TableFormat::Csv;
    int threads = 0;
    bool overwrite = false;
    std::int32_t first_cutoff = 17974;  ///< month 1's cutoff (days since the epoch); month k's is k-1 calendar months later
    SeriesDrift drift;
    RetailModelParameters model;
    DirtyRates dirty;
    std::function<void(std::uint64_t, std::uint64_t)> progress;  ///< blocks done, blocks in all (per month)
};

/// Month `month`'s cutoff: `first_cutoff` plus month - 1 calendar months, the day clamped to the month's
/// length (a series starting on the 31st has its February cutoff on the 28th or 29th, then the 31st again).
std::int32_t month_cutoff(std::int32_t first_cutoff, int month);

/// "month-07".
std::string month_folder(int month);

struct MonthResult {
    int month = 0;
    std::int32_t cutoff = 0;
    BlockCounts counts;        ///< with new_clients and switched
    std::string summary_json;      ///< the month's simulate.json
};

/// Writes `out`/month-01 .. month-K (the folder appears only when complete). Throws UsageError (bad
/// options, existing folder without overwrite), IoError.
std::vector<MonthResult> simulate_series(const SeriesOptions& options);

/// Appends the next month to the series in `dir`, with the parameters recorded in its month-01/simulate.json;
/// the month folder appears only when complete. Throws UsageError when `dir` holds no series, its months are not
/// month-01 .. month-K without gaps, K is already max_months, or it was written by another upliftctl version.
MonthResult continue_series(const std::filesystem::path& dir, int threads,
                            const std::function<void(std::uint64_t, std::uint64_t)>& progress);

}  // namespace uplift::simulate
