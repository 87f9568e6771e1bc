#pragma once
/// The plan as files: plan.csv (a list a CRM imports), plan.json (numbers for reports), and the text
/// table printed on stdout. Floats have a fixed format, so the same inputs give byte-identical files.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/artifacts/plan.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/offer_config.hpp"
#include "uplift/optimize/optimize.hpp"

namespace uplift::optimize {

/// Targeted clients, most expected profit first (ties: file order). Rank = position + 1.
std::vector<std::size_t> plan_order(const Instance& instance, std::span<const std::int8_t> choice);

/// Columns: <id>, offer, channel, expected_uplift, expected_incremental_revenue, expected_spend,
/// expected_profit, segment, rank. Comma-separated, "\n" line ends, fields quoted only when they hold a
/// comma, quote or line break, numbers with 6 decimals. Text cells a spreadsheet would execute (starting with
/// =, +, -, @, tab or CR) get a leading apostrophe unless `raw_cells` (--raw-csv); Parquet keeps them as they are.
/// With a hold-out (`held_out` not empty, hold_out.hpp) a last column `action` says `contact` or `hold_out`;
/// without one the file is what it has always been.
std::string plan_csv(const Instance& instance, const io::Column& ids, std::span<const std::int8_t> choice,
                     std::span<const std::size_t> order, bool raw_cells = false,
                     std::span<const std::uint8_t> held_out = {});
/// The same rows as a Table (for a .parquet --out).
io::Table plan_table(const Instance& instance, const io::Column& ids, std::span<const std::int8_t> choice,
                     std::span<const std::size_t> order, std::span<const std::uint8_t> held_out = {});

/// plan.csv's `action` values.
inline constexpr std::string_view action_contact = "contact";
inline constexpr std::string_view action_hold_out = "hold_out";

/// Writes the plan (CSV, or Parquet for a .parquet path) and plan.json so that neither appears under its
/// final name unless both are complete: plan.json waits in a temporary file until the plan is in place.
void write_plan_files(io::Session& session, const std::filesystem::path& plan_path, const Instance& instance,
                      const io::Column& ids, std::span<const std::int8_t> choice, std::span<const std::size_t> order,
                      const std::filesystem::path& json_path, std::string_view json_text, bool overwrite,
                      bool raw_cells = false, std::span<const std::uint8_t> held_out = {});

/// The plan as plan.json's typed record (artifacts/plan.hpp; keys documented in docs/optimize.md), money and
/// ratios rounded to 6 decimals. `provenance_json` (core's Provenance::to_json) is embedded as an object;
/// `test_estimate`, when the plan's clients were measured on a test (plan_test_estimate.hpp), goes in as it is.
artifacts::Plan plan_record(const Instance& instance, const OptimizeResult& result, const OptimizeOptions& options,
                            const ResolvedEconomics& economics, const EconomicsConfig& config,
                            const std::string& provenance_json,
                            const std::optional<artifacts::PlanTestEstimate>& test_estimate = std::nullopt);
/// plan.json's text: to_json of plan_record.
std::string plan_json(const Instance& instance, const OptimizeResult& result, const OptimizeOptions& options,
                      const ResolvedEconomics& economics, const EconomicsConfig& config,
                      const std::string& provenance_json,
                      const std::optional<artifacts::PlanTestEstimate>& test_estimate = std::nullopt);

/// The summary printed on stdout: budget use, bound and gap, useless-discount share, and the plan next to
/// the three baselines.
std::string summary_text(const Instance& instance, const OptimizeResult& result, const OptimizeOptions& options);

/// upper_bound − expected profit; rounding noise (the two are summed differently) shows as 0.
double plan_gap(const OptimizeResult& result) noexcept;

/// x rounded to 6 decimals and printed with exactly 6 (never "-0.000000").
std::string fixed6(double x);
/// x rounded to 6 decimals (and -0 made 0), for JSON.
double round6(double x) noexcept;

}  // namespace uplift::optimize
