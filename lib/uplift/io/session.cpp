#include "uplift/io/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <stop_token>
#include <thread>
#include <cstring>

#include "uplift/core/errors.hpp"
#include "uplift/io/duckdb_errors.hpp"
#include "uplift/io/duckdb_handles.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

using detail::Config;
using detail::Connection;
using detail::Database;
using detail::DataChunk;
using detail::LogicalType;
using detail::QueryResult;
using detail::throw_duckdb_error;

namespace {

using PreparedStatement = detail::UniqueHandle<duckdb_prepared_statement, duckdb_destroy_prepare>;
using PendingResult = detail::UniqueHandle<duckdb_pending_result, duckdb_destroy_pending>;

/// A failed result's error, of the kind its DuckDB error type maps to.
[[noreturn]] void throw_result_error(QueryResult& result) {
    throw_duckdb_error(duckdb_result_error_type(result.get()), duckdb_result_error(result.get()), "DuckDB query failed");
}

/// A failed appender's error (its error data carries the type), prefixed with what we were appending to.
[[noreturn]] void throw_appender_error(duckdb_appender appender, std::string_view what) {
    const detail::ErrorData error(duckdb_appender_error_data(appender));
    const char* message = error.get() != nullptr ? duckdb_error_data_message(error.get()) : nullptr;
    throw_duckdb_error(error.get() != nullptr ? duckdb_error_data_error_type(error.get()) : DUCKDB_ERROR_INVALID,
                       fmt::format("DuckDB: {}: {}", what, message != nullptr ? message : "unknown error").c_str(), "");
}

/// The SQL type a result column must have to land in a Column without loss, or "" when it already does.
std::string normalising_cast(duckdb_type type) {
    switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIMESTAMP: return "";
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER: return "BIGINT";
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_DECIMAL:
    case DUCKDB_TYPE_FLOAT: return "DOUBLE";
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP";
    default: return "VARCHAR";
    }
}

ColumnType column_type_of(duckdb_type type) {
    switch (type) {
    case DUCKDB_TYPE_BOOLEAN: return ColumnType::Bool;
    case DUCKDB_TYPE_BIGINT: return ColumnType::Int64;
    case DUCKDB_TYPE_DOUBLE: return ColumnType::Double;
    case DUCKDB_TYPE_VARCHAR: return ColumnType::String;
    case DUCKDB_TYPE_DATE: return ColumnType::Date;
    case DUCKDB_TYPE_TIMESTAMP: return ColumnType::Timestamp;
    default: break;
    }
    throw InternalError(fmt::format("unexpected DuckDB type {} after normalisation", static_cast<int>(type)));
}

duckdb_type duckdb_type_of(ColumnType type) {
    switch (type) {
    case ColumnType::Bool: return DUCKDB_TYPE_BOOLEAN;
    case ColumnType::Int64: return DUCKDB_TYPE_BIGINT;
    case ColumnType::Double: return DUCKDB_TYPE_DOUBLE;
    case ColumnType::String: return DUCKDB_TYPE_VARCHAR;
    case ColumnType::Date: return DUCKDB_TYPE_DATE;
    case ColumnType::Timestamp: return DUCKDB_TYPE_TIMESTAMP;
    }
    return DUCKDB_TYPE_VARCHAR;
}

/// Accumulates one result column chunk by chunk.
struct ColumnBuilder {
    std::string name;
    ColumnType type;
    Column::Storage values;
    std::vector<std::uint8_t> validity;
    bool any_null = false;

    ColumnBuilder(std::string n, ColumnType t) : name(std::move(n)), type(t) {
        switch (t) {
        case ColumnType::Bool: values = std::vector<std::uint8_t>{}; break;
        case ColumnType::Int64:
        case ColumnType::Timestamp: values = std::vector<std::int64_t>{}; break;
        case ColumnType::Double: values = std::vector<double>{}; break;
        case ColumnType::String: values = std::vector<std::string>{}; break;
        case ColumnType::Date: values = std::vector<std::int32_t>{}; break;
        }
    }

    /// Appends rows [begin, begin + count) of `vector`.
    void append(duckdb_vector vector, idx_t begin, idx_t count) {
        const void* data = duckdb_vector_get_data(vector);
        uint64_t* mask = duckdb_vector_get_validity(vector);
        for (idx_t i = begin; i < begin + count; ++i) {
            const bool valid = mask == nullptr || duckdb_validity_row_is_valid(mask, i);
            validity.push_back(valid ? 1 : 0);
            any_null = any_null || !valid;
        }
        switch (type) {
        case ColumnType::Bool: {
            auto& v = std::get<std::vector<std::uint8_t>>(values);
            // Bytes, not bools: the slot of a null row holds whatever DuckDB left there, which need not be 0 or 1.
            const auto* src = static_cast<const std::uint8_t*>(data) + begin;
            for (idx_t i = 0; i < count; ++i) v.push_back(src[i] != 0 ? 1 : 0);
            break;
        }
        case ColumnType::Int64:
        case ColumnType::Timestamp: {
            auto& v = std::get<std::vector<std::int64_t>>(values);
            const auto* src = static_cast<const std::int64_t*>(data) + begin;
            v.insert(v.end(), src, src + count);
            break;
        }
        case ColumnType::Double: {
            auto& v = std::get<std::vector<double>>(values);
            const auto* src = static_cast<const double*>(data) + begin;
            v.insert(v.end(), src, src + count);
            break;
        }
        case ColumnType::Date: {
            auto& v = std::get<std::vector<std::int32_t>>(values);
            const auto* src = static_cast<const duckdb_date*>(data) + begin;
            for (idx_t i = 0; i < count; ++i) v.push_back(src[i].days);
            break;
        }
        case ColumnType::String: {
            auto& v = std::get<std::vector<std::string>>(values);
            auto* src = static_cast<duckdb_string_t*>(const_cast<void*>(data)) + begin;
            const std::size_t base = validity.size() - count;
            for (idx_t i = 0; i < count; ++i) {
                if (validity[base + i] == 0) {
                    v.emplace_back();
                } else {
                    v.emplace_back(duckdb_string_t_data(&src[i]), duckdb_string_t_length(src[i]));
                }
            }
            break;
        }
        }
    }

    Column finish() {
        // The buffers grew by doubling, and a validity of all ones is not kept: the column holds what it
        // needs only (a 5M-row table read whole kept about 40% more than its values without this).
        if (any_null) {
            validity.shrink_to_fit();
        } else {
            std::vector<std::uint8_t>().swap(validity);
        }
        std::visit([](auto& v) { v.shrink_to_fit(); }, values);
        return {std::move(name), type, std::move(values), std::move(validity)};
    }
};

/// Builders for every column of a (normalised) result.
std::vector<ColumnBuilder> builders_for(duckdb_result* result) {
    std::vector<ColumnBuilder> builders;
    const idx_t ncols = duckdb_column_count(result);
    for (idx_t j = 0; j < ncols; ++j) {
        LogicalType type(duckdb_column_logical_type(result, j));
        builders.emplace_back(duckdb_column_name(result, j), column_type_of(duckdb_get_type_id(type.get())));
    }
    return builders;
}

/// The builders' rows as a Table; the builders are left empty, ready for the next chunk.
Table take_table(std::vector<ColumnBuilder>& builders) {
    std::vector<Column> columns;
    columns.reserve(builders.size());
    for (auto& b : builders) {
        ColumnBuilder next(b.name, b.type);
        columns.push_back(b.finish());
        b = std::move(next);
    }
    return Table(std::move(columns));
}

void fill_vector(duckdb_vector vector, const Column& column, std::size_t begin, std::size_t count) {
    void* data = duckdb_vector_get_data(vector);
    if (column.has_nulls()) {
        duckdb_vector_ensure_validity_writable(vector);
        uint64_t* mask = duckdb_vector_get_validity(vector);
        for (std::size_t i = 0; i < count; ++i) {
            if (!column.is_valid(begin + i)) duckdb_validity_set_row_invalid(mask, i);
        }
    }
    switch (column.type()) {
    case ColumnType::Bool: {
        auto* dst = static_cast<bool*>(data);
        const auto src = column.bool_values();
        for (std::size_t i = 0; i < count; ++i) dst[i] = src[begin + i] != 0;
        break;
    }
    case ColumnType::Int64:
    case ColumnType::Timestamp:
        std::memcpy(data, column.int64_values().data() + begin, count * sizeof(std::int64_t));
        break;
    case ColumnType::Double:
        std::memcpy(data, column.double_values().data() + begin, count * sizeof(double));
        break;
    case ColumnType::Date: {
        auto* dst = static_cast<duckdb_date*>(data);
        const auto src = column.date_values();
        for (std::size_t i = 0; i < count; ++i) dst[i].days = src[begin + i];
        break;
    }
    case ColumnType::String: {
        const auto& src = column.string_values();
        for (std::size_t i = 0; i < count; ++i) {
            const std::string& s = src[begin + i];
            duckdb_vector_assign_string_element_len(vector, i, s.data(), s.size());
        }
        break;
    }
    }
}

}  // namespace

struct Session::Impl {
    Database database;
    Connection connection;
    Progress progress;

    PreparedStatement prepare(std::string_view sql) {
        PreparedStatement statement;
        const std::string text(sql);
        if (duckdb_prepare(connection.get(), text.c_str(), statement.out()) == DuckDBError) {
            // A failed prepare has only a message; its "<Type> Error:" prefix names the type.
            const char* err = duckdb_prepare_error(statement.get());
            throw_duckdb_error(detail::error_type_of_message(err != nullptr ? err : ""), err,
                               "DuckDB could not prepare a statement");
        }
        return statement;
    }

    /// `sql` prepared so that every result column has one of the Table's six types (see Session::query).
    PreparedStatement prepare_normalised(std::string_view sql) {
        auto statement = prepare(sql);
        const idx_t ncols = duckdb_prepared_statement_column_count(statement.get());
        std::vector<std::string> casts(ncols);
        bool needs_cast = false;
        for (idx_t j = 0; j < ncols; ++j) {
            casts[j] = normalising_cast(duckdb_prepared_statement_column_type(statement.get(), j));
            needs_cast = needs_cast || !casts[j].empty();
        }
        if (!needs_cast) return statement;
        std::string select;
        for (idx_t j = 0; j < ncols; ++j) {
            const detail::OwnedString column(duckdb_prepared_statement_column_name(statement.get(), j));
            const std::string name = quote_identifier(column.get() != nullptr ? column.get() : "");
            if (j > 0) select += ", ";
            select += casts[j].empty() ? name : fmt::format("CAST({} AS {}) AS {}", name, casts[j], name);
        }
        return prepare(fmt::format("SELECT {} FROM ({}) AS normalised", select, sql));
    }
};

Session::Session(const SessionOptions& options, const SessionStorage& storage) : impl_(std::make_unique<Impl>()) {
    Config config;
    if (duckdb_create_config(config.out()) == DuckDBError) throw InternalError("DuckDB: cannot create a config");
    const auto set = [&](const char* key, const std::string& value) {
        if (duckdb_set_config(config.get(), key, value.c_str()) == DuckDBError) {
            throw UsageError(fmt::format("DuckDB rejected the setting {}={}", key, value));
        }
    };
    if (options.threads > 0) set("threads", std::to_string(options.threads));
    if (!options.memory_limit.empty()) set("memory_limit", options.memory_limit);
    if (!storage.temp_directory.empty()) set("temp_directory", storage.temp_directory);
    const char* file = storage.database_file.empty() ? nullptr : storage.database_file.c_str();
    const std::string what = file == nullptr ? "an in-memory database" : "database '" + storage.database_file + "'";
    char* error = nullptr;
    if (duckdb_open_ext(file, impl_->database.out(), config.get(), &error) == DuckDBError) {
        std::string message = error != nullptr ? error : "unknown error";
        duckdb_free(error);
        throw IoError(fmt::format("DuckDB: cannot open {}: {}", what, message));
    }
    if (duckdb_connect(impl_->database.get(), impl_->connection.out()) == DuckDBError) {
        throw IoError(fmt::format("DuckDB: cannot connect to {}", what));
    }
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

namespace {

/// While alive, polls the connection's query progress and passes it on (Session::set_progress).
class ProgressPoller {
public:
    ProgressPoller(duckdb_connection connection, const Progress& progress) {
        if (!progress) return;
        thread_ = std::jthread([connection, &progress, this](std::stop_token stop) {
            std::unique_lock lock(mutex_);
            while (!stop.stop_requested()) {
                if (wake_.wait_for(lock, stop, std::chrono::milliseconds(200), [] { return false; })) break;
                const duckdb_query_progress_type p = duckdb_query_progress(connection);
                if (p.percentage < 0) continue;  // nothing measurable running
                progress(std::min<std::uint64_t>(999, static_cast<std::uint64_t>(p.percentage * 10)), 1000);
            }
        });
    }

private:
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;  // last: stopped and joined first, before the mutex it waits on goes
};

}  // namespace

void Session::set_progress(Progress progress) {
    if (progress) {
        // DuckDB tracks a query's progress only with its progress bar on; ours draws it, so its own stays silent.
        execute("SET enable_progress_bar = true");
        execute("SET enable_progress_bar_print = false");
    }
    impl_->progress = std::move(progress);
}

void Session::execute(std::string_view sql) {
    const ProgressPoller poller(impl_->connection.get(), impl_->progress);
    QueryResult result;
    const std::string text(sql);
    if (duckdb_query(impl_->connection.get(), text.c_str(), result.out()) == DuckDBError) throw_result_error(result);
}

std::int64_t Session::execute_rows(std::string_view sql) {
    const ProgressPoller poller(impl_->connection.get(), impl_->progress);
    QueryResult result;
    const std::string text(sql);
    if (duckdb_query(impl_->connection.get(), text.c_str(), result.out()) == DuckDBError) throw_result_error(result);
    return static_cast<std::int64_t>(duckdb_rows_changed(result.get()));
}

Table Session::query(std::string_view sql) {
    const ProgressPoller poller(impl_->connection.get(), impl_->progress);
    // Streamed, as one chunk of every row: a materialised result would hold the whole table in DuckDB's memory
    // while it is copied into ours, twice the table at the peak (a 5M-row dataset read by train).
    Table table;
    query_chunks(sql, std::numeric_limits<std::size_t>::max(), [&](Table&& all) { table = std::move(all); });
    return table;
}

void Session::query_chunks(std::string_view sql, std::size_t chunk_rows,
                           const std::function<void(Table&&)>& consume) {
    if (chunk_rows == 0) throw InternalError("query_chunks: chunk_rows must be positive");
    auto statement = impl_->prepare_normalised(sql);
    // A streaming result: DuckDB produces vectors as they are fetched instead of materialising the whole
    // result (its buffered collectors keep insertion order, so rows arrive in scan order). The C API marks
    // duckdb_pending_prepared_streaming deprecated but has no replacement yet (DuckDB 1.4); it is the one
    // streaming entry point, used only here.
    PendingResult pending;
    if (duckdb_pending_prepared_streaming(statement.get(), pending.out()) == DuckDBError) {
        const char* err = duckdb_pending_error(pending.get());  // a message only, as for prepare
        throw_duckdb_error(detail::error_type_of_message(err != nullptr ? err : ""), err,
                           "DuckDB could not start a query");
    }
    QueryResult result;
    if (duckdb_execute_pending(pending.get(), result.out()) == DuckDBError) throw_result_error(result);
    auto builders = builders_for(result.get());
    std::size_t buffered = 0;
    bool delivered = false;
    while (true) {
        DataChunk chunk(duckdb_fetch_chunk(*result.get()));
        if (chunk.get() == nullptr) break;
        const idx_t rows = duckdb_data_chunk_get_size(chunk.get());
        if (rows == 0) break;
        // A DuckDB vector (2048 rows) may straddle two of our chunks: split it.
        for (idx_t begin = 0; begin < rows;) {
            const idx_t take = std::min<idx_t>(rows - begin, chunk_rows - buffered);
            for (idx_t j = 0; j < builders.size(); ++j) {
                builders[j].append(duckdb_data_chunk_get_vector(chunk.get(), j), begin, take);
            }
            begin += take;
            buffered += take;
            if (buffered == chunk_rows) {
                consume(take_table(builders));
                buffered = 0;
                delivered = true;
            }
        }
    }
    // A failure while streaming (a bad CSV value far into the file) ends the fetch loop with an error set.
    if (duckdb_result_error(result.get()) != nullptr) throw_result_error(result);
    if (buffered > 0 || !delivered) consume(take_table(builders));
}

void Session::register_table(std::string_view name, const Table& table, std::size_t from, std::size_t count) {
    std::string ddl = fmt::format("CREATE OR REPLACE TABLE {} (", quote_identifier(name));
    for (std::size_t j = 0; j < table.num_columns(); ++j) {
        const Column& c = table.columns()[j];
        ddl += fmt::format("{}{} {}", j > 0 ? ", " : "", quote_identifier(c.name()), type_name(c.type()));
    }
    ddl += ")";
    execute(ddl);
    append_rows(name, table, from, count);
}

void Session::append_rows(std::string_view name, const Table& table, std::size_t from, std::size_t count) {
    if (from > table.num_rows()) throw InternalError(fmt::format("append_rows: row {} of {}", from, table.num_rows()));
    const std::size_t end = from + std::min(count, table.num_rows() - from);
    std::vector<LogicalType> types;
    std::vector<duckdb_logical_type> raw_types;
    for (const Column& c : table.columns()) {
        types.emplace_back(duckdb_create_logical_type(duckdb_type_of(c.type())));
        raw_types.push_back(types.back().get());
    }
    detail::Appender appender;
    const std::string table_name(name);
    if (duckdb_appender_create(impl_->connection.get(), nullptr, table_name.c_str(), appender.out()) == DuckDBError) {
        throw_appender_error(appender.get(), fmt::format("cannot append to table {}", name));
    }
    const std::size_t batch = duckdb_vector_size();
    for (std::size_t begin = from; begin < end; begin += batch) {
        const std::size_t n = std::min(batch, end - begin);
        DataChunk chunk(duckdb_create_data_chunk(raw_types.data(), raw_types.size()));
        for (std::size_t j = 0; j < table.num_columns(); ++j) {
            fill_vector(duckdb_data_chunk_get_vector(chunk.get(), j), table.columns()[j], begin, n);
        }
        duckdb_data_chunk_set_size(chunk.get(), n);
        if (duckdb_append_data_chunk(appender.get(), chunk.get()) == DuckDBError) {
            throw_appender_error(appender.get(), fmt::format("append to {} failed", name));
        }
    }
    if (duckdb_appender_close(appender.get()) == DuckDBError) {
        throw_appender_error(appender.get(), fmt::format("append to {} failed", name));
    }
}

}  // namespace uplift::io
