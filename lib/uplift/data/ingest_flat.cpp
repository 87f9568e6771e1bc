#include "uplift/data/ingest_flat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <set>
#include <unordered_map>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/data/flat_csv.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

namespace {

using io::Column;
using io::ColumnType;
using io::Table;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

/// Strict number parsing: the whole (trimmed) text must be a number; true/false count as 1/0. Under a
/// decimal comma, "12,5" is 12.5 (and "12.5" is not a number, as DuckDB reads the features).
std::optional<double> parse_number(const std::string& text, char decimal) {
    std::string t = trim(text);
    if (t == "true" || t == "TRUE" || t == "True") return 1.0;
    if (t == "false" || t == "FALSE" || t == "False") return 0.0;
    if (decimal != '.') {
        if (t.find('.') != std::string::npos) return std::nullopt;
        std::replace(t.begin(), t.end(), decimal, '.');
    }
    double v = 0;
    const char* begin = t.data();
    if (!t.empty() && t[0] == '+') ++begin;
    const auto [end, ec] = std::from_chars(begin, t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
    return v;
}

/// Models read values as 32-bit floats: a larger magnitude would become infinity there.
bool fits_float(double v) { return std::isfinite(v) && std::fabs(v) <= static_cast<double>(FLT_MAX); }

std::string not_fitting(double v) {
    return std::isfinite(v) ? "out of range: beyond +-3.4e38, the float range models compute in"
                            : "not a finite number";
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
    std::string hint;
    // One column whose name holds a ';' or a tab: the file is separated by something else.
    if (cols.names.size() == 1) {
        for (const char c : {';', '\t', '|', ','}) {
            if (cols.names[0].find(c) != std::string::npos) {
                hint = fmt::format("; the header reads as one column: is the file separated by {}? (--delimiter {})",
                                   io::show_char(c), io::show_char(c));
                break;
            }
        }
    }
    return fmt::format("'{}': no column '{}' (given by {}); columns are: {}{}", file, column, flag,
                       fmt::join(cols.names, ", "), hint);
}

std::string describe_reject(const Reject& r, const std::string& file, bool csv) {
    std::string where = fmt::format("'{}', {} {}", file, csv ? "line" : "row", r.row);
    if (!r.column.empty()) where += fmt::format(", column '{}'", r.column);
    // A value of megabytes is cut: the error stays one readable line (the rejects file has it whole).
    const std::string value = r.value.size() > 80 ? r.value.substr(0, 80) + "..." : r.value;
    if (!r.value.empty() || !r.column.empty()) where += fmt::format(", value '{}'", value);
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

IdType id_type_from_string(const std::string& text) {
    if (text == "text") return IdType::Text;
    if (text == "integer") return IdType::Integer;
    throw UsageError(fmt::format("--id-type '{}': give text or integer", text));
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

    if (csv) io::check(options.csv);
    const std::string path_literal = io::quote_literal(file);
    SourceColumns cols;
    if (csv) {
        cols.names = flat_csv_header(options.input, options.csv);
    } else {
        try {
            cols = describe(session, fmt::format("read_parquet({})", path_literal));
        } catch (const Error& e) {
            io::throw_unreadable(e, options.input, options.input);
        }
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
    const auto is_role = [&](const std::string& c) {
        return c == options.treatment || c == options.outcome || c == options.id;
    };

    // Role columns are read as text and checked here, value by value, so every bad value is reported with
    // its row; feature columns are typed (CSV: by what most of their values are) and a value that does not fit
    // its column's type rejects its row.
    std::vector<std::string> features;
    std::vector<std::string> used;
    for (const auto& name : cols.names) {
        if (!is_role(name) && !is_feature(name)) continue;
        used.push_back(name);
        if (!is_role(name)) features.push_back(name);
    }
    Table raw;
    std::vector<Reject> rejects;
    std::vector<std::int64_t> source_row;
    if (csv) {
        auto read = read_flat_csv(session, options.input, options.csv, cols.names, used, is_role);
        raw = std::move(read.raw);
        rejects = std::move(read.rejects);
        source_row = std::move(read.source_row);
    } else {
        std::string select;
        for (std::size_t j = 0; j < cols.names.size(); ++j) {
            const std::string& name = cols.names[j];
            if (std::find(used.begin(), used.end(), name) == used.end()) continue;
            const std::string type = is_role(name) ? "VARCHAR" : feature_sql_type(cols.types[j]);
            select += fmt::format("{}CAST({} AS {}) AS {}", select.empty() ? "" : ", ", io::quote_identifier(name),
                                  type, io::quote_identifier(name));
        }
        try {
            raw = session.query(fmt::format("SELECT {} FROM read_parquet({})", select, path_literal));
        } catch (const Error& e) {
            throw_error(e.kind(), fmt::format("cannot read '{}': {}", file, io::duckdb_message(e.what(), options.input,
                                                                                                options.input)));
        }
        source_row.resize(raw.num_rows());
        for (std::size_t i = 0; i < raw.num_rows(); ++i) source_row[i] = static_cast<std::int64_t>(i) + 1;
    }

    IngestSummary summary;
    summary.input = file;
    summary.rows_in = static_cast<std::int64_t>(raw.num_rows() + rejects.size());
    summary.features = features;

    const Column& treatment_col = raw.column(options.treatment);
    const Column& outcome_col = raw.column(options.outcome);
    const Column* id_col = options.id.empty() ? nullptr : &raw.column(options.id);
    const std::set<std::string> wanted(options.treatment_levels.begin(), options.treatment_levels.end());

    // Double features are checked for values a model cannot hold (inf, nan, beyond the float range).
    std::vector<const Column*> double_features;
    for (const auto& f : features) {
        if (raw.column(f).type() == ColumnType::Double) double_features.push_back(&raw.column(f));
    }

    std::vector<std::size_t> kept;
    std::vector<double> outcome;
    std::vector<std::string> kept_ids;
    std::vector<std::int64_t> kept_int_ids;
    std::unordered_map<std::string, std::int64_t> first_seen_id;
    const auto reject = [&](std::size_t i, const std::string& column, std::string value, std::string reason) {
        rejects.push_back({source_row[i], column, std::move(value), std::move(reason), {}});
    };
    const char* const row_word = csv ? "line" : "row";
    for (std::size_t i = 0; i < raw.num_rows(); ++i) {
        std::string id;
        std::int64_t int_id = 0;
        if (id_col != nullptr) {
            // Ids are kept byte for byte: " A7" and "A7" are two clients unless --trim-ids is asked.
            id = id_col->is_valid(i) ? id_col->text_at(i) : std::string();
            if (options.trim_ids) id = trim(id);
            if (trim(id).empty()) {
                reject(i, options.id, id, "missing id");
                continue;
            }
            if (options.id_type == IdType::Integer) {
                const auto v = parse_int(id);
                if (!v) {
                    reject(i, options.id, id, "not an integer id (--id-type integer)");
                    continue;
                }
                int_id = *v;
            }
            const std::string key = options.id_type == IdType::Integer ? std::to_string(int_id) : id;
            const auto [it, inserted] = first_seen_id.emplace(key, source_row[i]);
            if (!inserted) {
                reject(i, options.id, id, fmt::format("duplicate id (first seen at {} {})", row_word, it->second));
                continue;
            }
        }
        const auto bad_feature = std::find_if(double_features.begin(), double_features.end(), [&](const Column* c) {
            return c->is_valid(i) && !fits_float(c->double_values()[i]);
        });
        if (bad_feature != double_features.end()) {
            const double v = (*bad_feature)->double_values()[i];
            reject(i, (*bad_feature)->name(), fmt::format("{}", v), not_fitting(v));
            continue;
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
        const auto y = parse_number(text, csv ? options.csv.decimal : '.');
        if (!y) {
            reject(i, options.outcome, text, "not a number");
            continue;
        }
        if (!fits_float(*y)) {
            reject(i, options.outcome, text, not_fitting(*y));
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
        kept_ids.push_back(std::move(id));
        kept_int_ids.push_back(int_id);
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
        dataset.add_column(options.id_type == IdType::Integer ? Column::int64s(options.id, std::move(kept_int_ids))
                                                              : Column::strings(options.id, std::move(kept_ids)));
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
    if (!options.id.empty()) {
        provenance.parameters["id_type"] = options.id_type == IdType::Integer ? "integer" : "text";
        if (options.trim_ids) provenance.parameters["trim_ids"] = "true";
    }
    // The CSV dialect only when it is not the default, so a default run records what it always did.
    if (csv && options.csv.delimiter != ',') provenance.parameters["delimiter"] = std::string(1, options.csv.delimiter);
    if (csv && options.csv.decimal != '.') provenance.parameters["decimal"] = std::string(1, options.csv.decimal);
    if (csv && !options.csv.na_values.empty()) {
        provenance.parameters["na_values"] = fmt::format("{}", fmt::join(options.csv.na_values, ","));
    }
    if (csv && options.csv.encoding != "utf-8") provenance.parameters["encoding"] = options.csv.encoding;
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
