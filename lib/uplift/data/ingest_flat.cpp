#include "uplift/data/ingest_flat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <set>
#include <unordered_map>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/csv_source.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

namespace {

using io::Column;
using io::ColumnType;
using io::Table;

constexpr const char* reject_errors_table = "upliftctl_reject_errors";

/// DuckDB's copy of a rejected line may carry the line break of a CRLF file.
std::string trim_line_breaks(const std::string& s) {
    const auto b = s.find_first_not_of("\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of("\r\n") - b + 1);
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

/// Strict number parsing: the whole (trimmed) text must be a number; true/false count as 1/0.
std::optional<double> parse_number(const std::string& text) {
    const std::string t = trim(text);
    if (t == "true" || t == "TRUE" || t == "True") return 1.0;
    if (t == "false" || t == "FALSE" || t == "False") return 0.0;
    double v = 0;
    const char* begin = t.data();
    if (!t.empty() && t[0] == '+') ++begin;
    const auto [end, ec] = std::from_chars(begin, t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_int(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

/// The SQL type we read a feature column as: integers and decimals widen to DOUBLE so one decimal value
/// late in a file does not turn into a reject; text, dates, timestamps and booleans stay as they are.
std::string feature_sql_type(const std::string& sniffed) {
    static const std::set<std::string> numeric = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                                                  "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT",
                                                  "DOUBLE", "REAL"};
    if (numeric.contains(sniffed) || sniffed.starts_with("DECIMAL")) return "DOUBLE";
    if (sniffed == "DATE" || sniffed == "BOOLEAN" || sniffed.starts_with("TIMESTAMP")) return sniffed;
    return "VARCHAR";
}

struct SourceColumns {
    std::vector<std::string> names;
    std::vector<std::string> types;
};

SourceColumns describe(io::Session& session, const std::string& scan) {
    const Table d = session.query("DESCRIBE SELECT * FROM " + scan);
    return {d.column("column_name").string_values(), d.column("column_type").string_values()};
}

std::string role_flag_hint(const std::string& column, const SourceColumns& cols, const std::string& file,
                           const std::string& flag) {
    return fmt::format("'{}': no column '{}' (given by {}); columns are: {}", file, column, flag,
                       fmt::join(cols.names, ", "));
}

/// Rows DuckDB could not parse (wrong column count, unparsable typed value), one Reject per line.
std::vector<Reject> structural_rejects(io::Session& session) {
    const Table e = session.query(fmt::format(
        "SELECT line, column_name, error_type, error_message, csv_line FROM {} ORDER BY line, column_idx",
        reject_errors_table));
    static const std::regex cast_value(R"re(Could not convert string "(.*)" to '([A-Z]+)')re");
    static const std::regex column_count(R"re(Expected Number of Columns: (\d+) Found: (\d+))re");
    std::vector<Reject> out;
    for (std::size_t i = 0; i < e.num_rows(); ++i) {
        const auto line = static_cast<std::int64_t>(e.column("line").number_at(i));
        if (!out.empty() && out.back().row == line) continue;  // first error of a line says enough
        Reject r;
        r.row = line;
        r.raw = trim_line_breaks(e.column("csv_line").text_at(i));
        const std::string type = e.column("error_type").text_at(i);
        const std::string message = e.column("error_message").text_at(i);
        std::smatch m;
        if (type == "CAST" && std::regex_search(message, m, cast_value)) {
            r.column = e.column("column_name").text_at(i);
            r.value = m[1];
            r.reason = fmt::format("not a valid {}", m[2].str());
        } else if (std::regex_search(message, m, column_count)) {
            r.reason = fmt::format("expected {} columns, found {}", m[1].str(), m[2].str());
        } else {
            r.reason = fmt::format("{}: {}", type, message.substr(0, message.find('\n')));
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::string describe_reject(const Reject& r, const std::string& file, bool csv) {
    std::string where = fmt::format("'{}', {} {}", file, csv ? "line" : "row", r.row);
    if (!r.column.empty()) where += fmt::format(", column '{}'", r.column);
    if (!r.value.empty() || !r.column.empty()) where += fmt::format(", value '{}'", r.value);
    return fmt::format("{}: {}", where, r.reason);
}

}  // namespace

Table rejects_table(const std::vector<Reject>& rejects) {
    std::vector<std::int64_t> rows;
    std::vector<std::string> columns, values, reasons, raws;
    for (const auto& r : rejects) {
        rows.push_back(r.row);
        columns.push_back(r.column);
        values.push_back(r.value);
        reasons.push_back(r.reason);
        raws.push_back(r.raw);
    }
    return Table({Column::int64s("row", std::move(rows)), Column::strings("column", std::move(columns)),
                  Column::strings("value", std::move(values)), Column::strings("reason", std::move(reasons)),
                  Column::strings("raw", std::move(raws))});
}

IngestResult ingest_flat(io::Session& session, const FlatIngestOptions& options) {
    const std::string file = options.input.string();
    io::require_readable(options.input);
    const bool csv = io::format_of(options.input) == io::FileFormat::Csv;
    if (!(options.max_reject_rate >= 0 && options.max_reject_rate <= 1)) {
        throw UsageError(fmt::format("--max-reject-rate {} must be between 0 and 1", options.max_reject_rate));
    }
    if (options.treatment.empty() || options.outcome.empty() || options.control.empty()) {
        throw UsageError("ingest needs --treatment, --control and --outcome");
    }

    std::optional<io::CsvSource> source;
    if (csv) source.emplace(options.input);
    const std::filesystem::path scanned = csv ? source->scan_path() : options.input;
    const std::string path_literal = io::quote_literal(scanned.string());
    const std::string csv_options = fmt::format(
        "header = true, store_rejects = true, rejects_table = '{}', rejects_scan = 'upliftctl_reject_scans'",
        reject_errors_table);
    const std::string sniff_scan = csv ? fmt::format("read_csv({}, {})", path_literal, csv_options)
                                       : fmt::format("read_parquet({})", path_literal);
    SourceColumns cols;
    try {
        cols = describe(session, sniff_scan);
    } catch (const Error& e) {
        io::throw_unreadable(e, scanned, options.input);
    }
    const auto has = [&](const std::string& c) {
        return std::find(cols.names.begin(), cols.names.end(), c) != cols.names.end();
    };
    if (!has(options.treatment)) throw DataError(role_flag_hint(options.treatment, cols, file, "--treatment"));
    if (!has(options.outcome)) throw DataError(role_flag_hint(options.outcome, cols, file, "--outcome"));
    if (!options.id.empty() && !has(options.id)) throw DataError(role_flag_hint(options.id, cols, file, "--id"));
    if (options.treatment == options.outcome) throw UsageError("--treatment and --outcome name the same column");
    for (const auto& c : options.features) {
        if (!has(c)) throw DataError(role_flag_hint(c, cols, file, "--features"));
    }
    for (const auto& c : options.drop) {
        if (!has(c)) throw DataError(role_flag_hint(c, cols, file, "--drop"));
    }
    const auto is_feature = [&](const std::string& c) {
        if (std::find(options.drop.begin(), options.drop.end(), c) != options.drop.end()) return false;
        return options.features.empty() ||
               std::find(options.features.begin(), options.features.end(), c) != options.features.end();
    };

    // Role columns are read as text and checked here, value by value, so every bad value is reported with
    // its row; feature columns are typed by DuckDB and its cast failures become rejects too.
    std::vector<std::string> features;
    std::string types_struct;
    std::string select;
    for (std::size_t j = 0; j < cols.names.size(); ++j) {
        const std::string& name = cols.names[j];
        const bool role = name == options.treatment || name == options.outcome || name == options.id;
        const bool used = role || is_feature(name);
        // Unused columns are read as text, so their values can never reject a row.
        const std::string type = role || !used ? "VARCHAR" : feature_sql_type(cols.types[j]);
        types_struct += fmt::format("{}{}: '{}'", types_struct.empty() ? "" : ", ", io::quote_literal(name), type);
        if (!used) continue;
        if (!role) features.push_back(name);
        select += fmt::format("{}CAST({} AS {}) AS {}", select.empty() ? "" : ", ", io::quote_identifier(name), type,
                              io::quote_identifier(name));
    }
    const std::string scan = csv ? fmt::format("read_csv({}, {}, types = {{{}}})", path_literal, csv_options,
                                               types_struct)
                                 : fmt::format("read_parquet({})", path_literal);
    Table raw;
    try {
        raw = session.query(fmt::format("SELECT {} FROM {}", select, scan));
    } catch (const Error& e) {
        // A value DuckDB cannot cast stays bad data (3), a read failure I/O (4), our SQL's bug internal (1).
        throw_error(e.kind(), fmt::format("cannot read '{}': {}", file, io::duckdb_message(e.what(), scanned, options.input)));
    }

    std::vector<Reject> rejects = csv ? structural_rejects(session) : std::vector<Reject>{};
    // Source row of each parsed row: parsed rows come in file order, skipping the lines DuckDB rejected.
    std::vector<std::int64_t> source_row(raw.num_rows());
    {
        std::int64_t next = csv ? 2 : 1;
        std::size_t k = 0;
        for (std::size_t i = 0; i < raw.num_rows(); ++i) {
            while (k < rejects.size() && rejects[k].row == next) {
                ++next;
                ++k;
            }
            source_row[i] = next++;
        }
    }

    IngestSummary summary;
    summary.input = file;
    summary.rows_in = static_cast<std::int64_t>(raw.num_rows() + rejects.size());
    summary.features = features;

    const Column& treatment_col = raw.column(options.treatment);
    const Column& outcome_col = raw.column(options.outcome);
    const Column* id_col = options.id.empty() ? nullptr : &raw.column(options.id);
    const std::set<std::string> wanted(options.treatment_levels.begin(), options.treatment_levels.end());

    std::vector<std::size_t> kept;
    std::vector<double> outcome;
    std::unordered_map<std::string, std::int64_t> first_seen_id;
    const auto reject = [&](std::size_t i, const std::string& column, std::string value, std::string reason) {
        rejects.push_back({source_row[i], column, std::move(value), std::move(reason), {}});
    };
    for (std::size_t i = 0; i < raw.num_rows(); ++i) {
        if (id_col != nullptr) {
            const std::string id = trim(id_col->text_at(i));
            if (id.empty()) {
                reject(i, options.id, "", "missing id");
                continue;
            }
            const auto [it, inserted] = first_seen_id.emplace(id, source_row[i]);
            if (!inserted) {
                reject(i, options.id, id, fmt::format("duplicate id (first seen at {} {})", csv ? "line" : "row",
                                                       it->second));
                continue;
            }
        }
        const std::string level = treatment_col.text_at(i);
        if (trim(level).empty()) {
            reject(i, options.treatment, level, "missing treatment");
            continue;
        }
        const std::string text = outcome_col.text_at(i);
        if (!outcome_col.is_valid(i) || trim(text).empty()) {
            reject(i, options.outcome, "", "missing outcome");
            continue;
        }
        const auto y = parse_number(text);
        if (!y) {
            reject(i, options.outcome, text, "not a number");
            continue;
        }
        if (!std::isfinite(*y)) {
            reject(i, options.outcome, text, "not a finite number");
            continue;
        }
        if (options.outcome_type == OutcomeType::Binary && *y != 0.0 && *y != 1.0) {
            reject(i, options.outcome, text, "not 0 or 1 (--outcome-type binary)");
            continue;
        }
        if (level != options.control && !wanted.empty() && !wanted.contains(level)) {
            ++summary.rows_excluded;
            ++summary.excluded_per_level[level];
            continue;
        }
        kept.push_back(i);
        outcome.push_back(*y);
        ++summary.kept_per_level[level];
        summary.outcome_mean_per_level[level] += *y;
    }
    std::sort(rejects.begin(), rejects.end(), [](const Reject& a, const Reject& b) { return a.row < b.row; });
    summary.rows_kept = static_cast<std::int64_t>(kept.size());
    summary.rows_rejected = static_cast<std::int64_t>(rejects.size());
    for (const auto& r : rejects) ++summary.rejects_per_reason[r.reason];
    for (auto& [level, total] : summary.outcome_mean_per_level) {
        total /= static_cast<double>(summary.kept_per_level[level]);
    }

    if (summary.rows_in == 0) throw DataError(fmt::format("'{}' has no data rows", file));
    const double reject_rate = static_cast<double>(summary.rows_rejected) / static_cast<double>(summary.rows_in);
    if (reject_rate > options.max_reject_rate) {
        throw DataError(fmt::format(
            "{}; {} of {} rows ({:.1f}%) cannot be used, over --max-reject-rate {:g}% (nothing written)",
            describe_reject(rejects.front(), file, csv), summary.rows_rejected, summary.rows_in, 100.0 * reject_rate,
            100.0 * options.max_reject_rate));
    }

    // The roles must describe an experiment: a control group and at least one treated arm.
    std::vector<std::string> levels_found;
    for (const auto& [level, n] : summary.kept_per_level) levels_found.push_back(fmt::format("'{}' ({})", level, n));
    if (!summary.kept_per_level.contains(options.control)) {
        throw DataError(fmt::format("'{}': treatment column '{}' has no rows with the control level '{}' "
                                    "(--control); levels found: {}",
                                    file, options.treatment, options.control, fmt::join(levels_found, ", ")));
    }
    for (const auto& level : options.treatment_levels) {
        if (!summary.kept_per_level.contains(level)) {
            throw DataError(fmt::format("'{}': treatment column '{}' has no rows with level '{}' "
                                        "(--treatment-level); levels found: {}",
                                        file, options.treatment, level, fmt::join(levels_found, ", ")));
        }
    }
    Roles roles;
    for (const auto& [level, n] : summary.kept_per_level) {
        if (level != options.control) roles.treatment_levels.push_back(level);
    }
    if (roles.treatment_levels.empty()) {
        throw DataError(fmt::format("'{}': treatment column '{}' holds only the control level '{}'; an uplift "
                                    "dataset needs at least one treated level",
                                    file, options.treatment, options.control));
    }
    const bool all_binary = std::all_of(outcome.begin(), outcome.end(), [](double v) { return v == 0.0 || v == 1.0; });
    const OutcomeType outcome_type =
        options.outcome_type.value_or(all_binary ? OutcomeType::Binary : OutcomeType::Continuous);
    summary.outcome_type = to_string(outcome_type);

    // The dataset: id, treatment, outcome, then the features in source order.
    Table dataset;
    if (id_col != nullptr) {
        std::vector<std::string> ids;
        std::vector<std::int64_t> int_ids;
        bool integral = true;
        for (std::size_t i : kept) {
            ids.push_back(trim(id_col->text_at(i)));
            if (integral) {
                if (const auto v = parse_int(ids.back())) {
                    int_ids.push_back(*v);
                } else {
                    integral = false;
                }
            }
        }
        dataset.add_column(integral ? Column::int64s(options.id, std::move(int_ids))
                                    : Column::strings(options.id, std::move(ids)));
        roles.id = options.id;
    } else {
        roles.id = has("row_id") ? "upliftctl_row_id" : "row_id";
        std::vector<std::int64_t> ids;
        for (std::size_t i : kept) ids.push_back(source_row[i] - (csv ? 1 : 0));  // data row number, from 1
        dataset.add_column(Column::int64s(roles.id, std::move(ids)));
    }
    dataset.add_column(treatment_col.take(kept));
    dataset.add_column(Column::doubles(options.outcome, std::move(outcome)));
    for (const auto& f : features) dataset.add_column(raw.column(f).take(kept));
    roles.treatment = options.treatment;
    roles.control = options.control;
    roles.outcome = options.outcome;
    roles.outcome_type = outcome_type;
    roles.features = features;
    store_roles(dataset.metadata(), roles);
    auto provenance = artifacts::provenance_of("ingest", {options.input});
    provenance.parameters["treatment"] = options.treatment;
    provenance.parameters["control"] = options.control;
    provenance.parameters["outcome"] = options.outcome;
    provenance.parameters["treatment_levels"] = fmt::format("{}", fmt::join(options.treatment_levels, ","));
    provenance.parameters["max_reject_rate"] = fmt::format("{}", options.max_reject_rate);
    artifacts::store(dataset.metadata(), provenance);

    return {std::move(dataset), rejects_table(rejects), std::move(summary)};
}

std::string to_text(const IngestSummary& s) {
    std::string out = fmt::format("input          {}\nrows in        {}\nrows kept      {}\nrows rejected  {}\n"
                                  "rows excluded  {} (treatment arms not selected)\noutcome        {}\n",
                                  s.input, s.rows_in, s.rows_kept, s.rows_rejected, s.rows_excluded, s.outcome_type);
    for (const auto& [level, n] : s.kept_per_level) {
        out += fmt::format("  kept   {:<24} {:>9}  mean outcome {:.6g}\n", level, n, s.outcome_mean_per_level.at(level));
    }
    for (const auto& [level, n] : s.excluded_per_level) out += fmt::format("  excl.  {:<24} {:>9}\n", level, n);
    for (const auto& [reason, n] : s.rejects_per_reason) out += fmt::format("  reject {:<40} {:>9}\n", reason, n);
    return out;
}

}  // namespace uplift::data
