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
#include "uplift/io/csv_dialect.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/offer_config.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/plan_columns.hpp"
#include "uplift/optimize/plan_split.hpp"
#include "uplift/optimize/response_list.hpp"

namespace uplift::optimize {

/// Targeted clients, most expected profit first (ties: file order). Rank = position + 1.
std::vector<std::size_t> plan_order(const Instance& instance, std::span<const std::int8_t> choice);

/// The rows of a CRM list: which clients, in which order, with which offer, and who is held out.
struct PlanRows {
    const Instance& instance;
    const io::Column& ids;
    std::span<const std::int8_t> choice;
    std::span<const std::size_t> order;           ///< the whole list; a row's rank is its position + 1
    std::span<const std::uint8_t> held_out = {};  ///< [i]: 1 for a held-out client; empty: everyone contacted
};

/// How the list is written: which columns in which order (plan_columns.hpp), the id column's header, and the
/// CSV flavour.
struct PlanLayout {
    std::vector<PlanColumn> columns = default_plan_columns();
    std::string id_name;     ///< header of the id column (--id-col); empty: the scores' id column name
    bool raw_cells = false;  ///< --raw-csv: text cells byte for byte
    bool excel = false;      ///< --excel: a UTF-8 BOM, ';' between fields, decimal commas
};

/// The CSV dialect of a list: ',' and decimal points, or under `excel` (--excel) ';' between fields and decimal
/// commas, as a spreadsheet in a comma-decimal locale reads them. Its writer (plan_csv), the manifest and plan.json
/// (the separator they record) and `measure` (which reads the list back) all take it from here.
io::CsvDialect list_dialect(bool excel);

/// The list as CSV: a header, then one row per entry of `positions` (indices into rows.order; null: every
/// row). "\n" line ends, UTF-8 without BOM (with one under `excel`), fields quoted only when they hold the
/// separator, a quote or a line break, numbers with 6 decimals. Text cells a spreadsheet would execute
/// (starting with =, +, -, @, tab or CR) get a leading apostrophe unless `raw_cells`; Parquet keeps them.
std::string plan_csv(const PlanRows& rows, const PlanLayout& layout,
                     const std::vector<std::size_t>* positions = nullptr);
/// The same rows as a Table (for a .parquet --out); `excel` and `raw_cells` do not apply.
io::Table plan_table(const PlanRows& rows, const PlanLayout& layout,
                     const std::vector<std::size_t>* positions = nullptr);

/// plan.csv's `action` values.
inline constexpr std::string_view action_contact = "contact";
inline constexpr std::string_view action_hold_out = "hold_out";

/// Where the list goes: one file (`plan`), or with a split one file per part and a manifest listing them.
struct PlanDestination {
    std::filesystem::path plan;      ///< --out (with a split: the stem the part files are named from)
    std::filesystem::path json;      ///< plan.json
    std::vector<PlanPart> parts;     ///< empty: no split (plan_split.hpp)
    std::filesystem::path manifest;  ///< with parts: the manifest
    std::string split_by;            ///< with parts: "channel" or "offer"
    bool overwrite = false;
};

/// Where a run's list goes: with a split, one part per channel or offer code of `offers` and the manifest.
/// Checks every output (the list or its parts and manifest, and plan.json) before any work: each distinct
/// from the inputs and from the others, and writable (UsageError without `overwrite` for an existing one,
/// IoError for a folder in its place or a missing folder).
PlanDestination plan_destination(const std::filesystem::path& out, const std::filesystem::path& json,
                                 std::span<const Offer> offers, SplitBy split_by, bool overwrite,
                                 const std::vector<std::filesystem::path>& inputs);

/// Writes the list (CSV, or Parquet for a .parquet path; with parts, every part file and the manifest) and
/// plan.json so that none appears under its final name unless all are complete: each is written to a temporary
/// name first and they are renamed together at the end, plan.json last.
void write_plan_files(io::Session& session, const PlanRows& rows, const PlanLayout& layout,
                      const PlanDestination& destination, std::string_view json_text);

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

/// plan.json's `response_list` (--rank-by response): the list written beside the uplift plan of the same size
/// (`uplift_choice`), each with its test estimate when the scores allow one.
artifacts::PlanResponseList response_list_record(const Instance& instance, const ResponseList& list,
                                                 const std::vector<std::int8_t>& uplift_choice,
                                                 const std::optional<artifacts::PlanTestEstimate>& list_test,
                                                 const std::optional<artifacts::PlanTestEstimate>& uplift_test);

/// The comparison printed on stdout under --rank-by response: both lists' figures, and the share of the
/// response list's clients with uplift ≤ 0.
std::string response_list_text(const artifacts::PlanResponseList& record, bool binary);

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
