// The stdout summary of a retail ingest (ingest.json is artifacts/ingest_summary.cpp).

#include <fmt/format.h>

#include "uplift/data/ingest_retail.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

std::string to_text(const RetailIngestSummary& summary) {
    std::string out = fmt::format("{:<10} {:>12} {:>12} {:>12}  {}\n", "table", "rows in", "kept", "rejected", "input");
    for (const auto& t : summary.tables) {
        out += fmt::format("{:<10} {:>12} {:>12} {:>12}  {}\n", t.table, t.rows_in, t.rows_kept, t.rows_rejected,
                           t.input);
    }
    out += fmt::format("{:<10} {:>12}  (derived: one row per transaction, for features)\n", "transactions",
                       summary.derived_transactions);
    for (const auto& t : summary.tables) {
        const bool csv = io::format_of(t.input) == io::FileFormat::Csv;  // Parquet rejects carry row numbers
        for (const auto& [reason, n] : t.rejects_per_reason) {
            std::string example;
            for (const auto& s : t.samples) {
                if (s.reason != reason) continue;
                const char* where = csv ? "line" : "row";
                example = s.column.empty() ? fmt::format("{} {}", where, s.line)
                                           : fmt::format("{} {}, {} '{}'", where, s.line, s.column, s.value);
                break;
            }
            out += fmt::format("  reject {:<10} {:<40} {:>9}  e.g. {}\n", t.table, reason, n, example);
        }
    }
    return out;
}

}  // namespace uplift::data
