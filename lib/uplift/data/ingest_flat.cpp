#include "uplift/data/ingest_flat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/chunk_pipeline.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/data/flat_csv.hpp"
#include "uplift/data/flat_row_checks.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

namespace {

using io::Column;
using io::ColumnType;
using io::Table;

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

FlatIngestStream ingest_flat_streamed(io::Session& session, const FlatIngestOptions& options,
                                      const DatasetChunkSink& sink, const DatasetSinkRestart& restart,
                                      std::size_t chunk_rows) {
    if (chunk_rows == 0) throw InternalError("ingest_flat_streamed: chunk_rows must be positive");
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
    std::optional<FlatRowChecks> checks(std::in_place, options, features, csv);
    const bool no_id = options.id.empty();
    const std::string id_name = no_id ? (has("row_id") ? "upliftctl_row_id" : "row_id") : options.id;
    // Without --id a CSV row's id is its line, known only once DuckDB has read every line (the lines it
    // could not read are skipped): then the whole table is one chunk, numbered at the end.
    const bool deferred = csv && no_id;
    std::optional<Table> held;
    std::vector<std::int64_t> held_positions;
    std::int64_t next_ordinal = 0;
    const auto take_chunk = [&](Table&& raw) {
        auto out = checks->check(raw, next_ordinal);
        next_ordinal += static_cast<std::int64_t>(raw.num_rows());
        if (!no_id) {
            out.columns.insert(out.columns.begin(), std::move(*out.id));
        } else if (!csv) {
            std::vector<std::int64_t> ids;  // the 1-based Parquet row
            for (const auto k : out.positions) ids.push_back(k + 1);
            out.columns.insert(out.columns.begin(), Column::int64s(id_name, std::move(ids)));
        }
        Table chunk(std::move(out.columns));
        if (deferred) {
            held = std::move(chunk);
            held_positions = std::move(out.positions);
        } else {
            sink(std::move(chunk));
        }
    };
    // Each chunk is checked and handed to the sink while DuckDB reads the next one: the checks and the sink
    // never touch `session`, and they still see the chunks one at a time, in file order.
    ChunkPipeline pipeline;
    const auto take_chunk_beside_read = [&](Table&& raw) {
        pipeline.submit([&take_chunk, raw = std::move(raw)]() mutable { take_chunk(std::move(raw)); });
    };
    std::vector<Reject> structural;
    std::vector<std::int64_t> skipped;
    // The reader checks the CSV's bytes and types its columns as it is made (its own -v steps).
    std::optional<FlatCsvReader> csv_reader;
    if (csv) csv_reader.emplace(session, options.input, options.csv, cols.names, used, is_role, options.guess_csv_types);
    StepTimer timer("ingest");
    if (csv) {
        FlatCsvReader& reader = *csv_reader;
        while (true) {
            try {
                reader.read(deferred ? std::numeric_limits<std::size_t>::max() : chunk_rows, take_chunk_beside_read);
            } catch (...) {
                pipeline.finish();  // a bad value in an earlier chunk is reported before the reader's later error
                throw;
            }
            pipeline.finish();
            structural = reader.structural_rejects();
            if (reader.types_confirmed(structural.size())) break;
            // Read as numbers on the first rows' evidence, which the whole file does not bear out: start again.
            checks.emplace(options, features, csv);
            held.reset();
            held_positions.clear();
            next_ordinal = 0;
            restart();
        }
        skipped = reader.skipped_lines(structural);
    } else {
        std::string select;
        for (std::size_t j = 0; j < cols.names.size(); ++j) {
            const std::string& name = cols.names[j];
            if (std::find(used.begin(), used.end(), name) == used.end()) continue;
            const std::string type = is_role(name) ? "VARCHAR" : feature_sql_type(cols.types[j]);
            select += fmt::format("{}CAST({} AS {}) AS {}", select.empty() ? "" : ", ", io::quote_identifier(name),
                                  type, io::quote_identifier(name));
        }
        std::exception_ptr consumer_error;
        try {
            session.query_chunks(fmt::format("SELECT {} FROM read_parquet({})", select, path_literal), chunk_rows,
                                 [&](Table&& raw) {
                                     try {
                                         take_chunk_beside_read(std::move(raw));
                                     } catch (...) {
                                         consumer_error = std::current_exception();
                                         throw;
                                     }
                                 });
        } catch (const Error& e) {
            if (consumer_error) std::rethrow_exception(consumer_error);
            pipeline.finish();  // a bad value in an earlier chunk is reported before the reader's later error
            throw_error(e.kind(), fmt::format("cannot read '{}': {}", file, io::duckdb_message(e.what(), options.input,
                                                                                                options.input)));
        }
        pipeline.finish();
    }
    timer.done("typed read, row checks and the dataset's rows handed to the writer");
    // Rows are numbered by their line (CSV) or 1-based row (Parquet) now that the skipped lines are known.
    const auto row_of = [&](const std::vector<std::int64_t>& ordinals) {
        if (csv) return lines_of_rows(ordinals, skipped);
        std::vector<std::int64_t> rows;
        for (const auto k : ordinals) rows.push_back(k + 1);
        return rows;
    };
    std::vector<Reject> rejects = checks->rejects(row_of);
    rejects.insert(rejects.end(), std::make_move_iterator(structural.begin()), std::make_move_iterator(structural.end()));
    std::sort(rejects.begin(), rejects.end(), [](const Reject& a, const Reject& b) { return a.row < b.row; });

    IngestSummary summary = checks->summary();
    summary.input = file;
    summary.rows_in = next_ordinal + static_cast<std::int64_t>(structural.size());
    summary.features = features;
    summary.rows_rejected = static_cast<std::int64_t>(rejects.size());
    summary.rejects_per_reason.clear();
    for (const auto& r : rejects) ++summary.rejects_per_reason[r.reason];

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
    const OutcomeType outcome_type =
        options.outcome_type.value_or(checks->all_outcomes_binary() ? OutcomeType::Binary : OutcomeType::Continuous);
    summary.outcome_type = to_string(outcome_type);

    if (deferred) {
        // The dataset's id is the data row number (from 1): its line less the header's.
        std::vector<std::int64_t> ids = row_of(held_positions);
        for (auto& id : ids) id -= 1;
        std::vector<Column> columns = held->columns();
        held.reset();
        columns.insert(columns.begin(), Column::int64s(id_name, std::move(ids)));
        sink(Table(std::move(columns)));
    }

    // The dataset: id, treatment, outcome, then the features in source order.
    FlatIngestStream result;
    roles.id = id_name;
    roles.treatment = options.treatment;
    roles.control = options.control;
    roles.outcome = options.outcome;
    roles.outcome_type = outcome_type;
    roles.features = features;
    store_roles(result.dataset_metadata, roles);
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
    artifacts::store(result.dataset_metadata, provenance);
    result.rejects = rejects_table(rejects);
    result.summary = std::move(summary);
    return result;
}

IngestResult ingest_flat(io::Session& session, const FlatIngestOptions& options) {
    std::optional<Table> dataset;
    auto streamed = ingest_flat_streamed(
        session, options,
        [&](Table&& chunk) {
            if (dataset) throw InternalError("ingest_flat: a second chunk for a one-chunk read");
            dataset = std::move(chunk);
        },
        [&] { dataset.reset(); }, std::numeric_limits<std::size_t>::max());
    if (!dataset) throw InternalError("ingest_flat: no dataset chunk");
    dataset->metadata() = std::move(streamed.dataset_metadata);
    return {std::move(*dataset), std::move(streamed.rejects), std::move(streamed.summary)};
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
