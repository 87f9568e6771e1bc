// ingest.json and the stdout summary of a retail ingest.

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "uplift/data/ingest_retail.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

std::string RetailIngestSummary::to_json() const {
    nlohmann::ordered_json j;
    j["tool"] = "upliftctl";
    j["max_reject_rate"] = max_reject_rate;
    nlohmann::ordered_json per_table = nlohmann::ordered_json::object();
    for (const auto& t : tables) {
        nlohmann::ordered_json o;
        // The file name only: the same inputs give the same bytes wherever they live.
        o["input"] = std::filesystem::path(t.input).filename().string();
        o["output"] = t.table + ".parquet";
        o["rejects"] = "rejects/" + t.table + ".csv";
        o["rows_in"] = t.rows_in;
        o["rows_kept"] = t.rows_kept;
        o["rows_rejected"] = t.rows_rejected;
        o["rejects_per_reason"] = t.rejects_per_reason;
        nlohmann::ordered_json samples = nlohmann::ordered_json::array();
        for (const auto& s : t.samples) {
            samples.push_back({{"line", s.line}, {"column", s.column}, {"value", s.value}, {"reason", s.reason}});
        }
        o["samples"] = samples;
        per_table[t.table] = o;
    }
    j["tables"] = per_table;
    // Derived from purchases (and products) for `features`: counts only, nothing is rejected there.
    j["derived"] = {{"transactions.parquet", derived_transactions}, {"product_firsts.parquet", derived_product_firsts}};
    return j.dump(2) + "\n";
}

std::string RetailIngestSummary::to_text() const {
    std::string out = fmt::format("{:<10} {:>12} {:>12} {:>12}  {}\n", "table", "rows in", "kept", "rejected", "input");
    for (const auto& t : tables) {
        out += fmt::format("{:<10} {:>12} {:>12} {:>12}  {}\n", t.table, t.rows_in, t.rows_kept, t.rows_rejected,
                           t.input);
    }
    out += fmt::format("{:<10} {:>12}  (derived: one row per transaction, for features)\n", "transactions",
                       derived_transactions);
    for (const auto& t : tables) {
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
