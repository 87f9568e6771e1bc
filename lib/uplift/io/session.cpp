#include "uplift/io/session.hpp"

#include <fmt/format.h>

#include <cstring>

#include "uplift/core/errors.hpp"
#include "uplift/io/duckdb_handles.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

using detail::Config;
using detail::Connection;
using detail::Database;
using detail::DataChunk;
using detail::LogicalType;
using detail::QueryResult;

namespace {

using PreparedStatement = detail::UniqueHandle<duckdb_prepared_statement, duckdb_destroy_prepare>;

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

    void append(duckdb_vector vector, idx_t count) {
        const void* data = duckdb_vector_get_data(vector);
        uint64_t* mask = duckdb_vector_get_validity(vector);
        for (idx_t i = 0; i < count; ++i) {
            const bool valid = mask == nullptr || duckdb_validity_row_is_valid(mask, i);
            validity.push_back(valid ? 1 : 0);
            any_null = any_null || !valid;
        }
        switch (type) {
        case ColumnType::Bool: {
            auto& v = std::get<std::vector<std::uint8_t>>(values);
            const auto* src = static_cast<const bool*>(data);
            for (idx_t i = 0; i < count; ++i) v.push_back(src[i] ? 1 : 0);
            break;
        }
        case ColumnType::Int64:
        case ColumnType::Timestamp: {
            auto& v = std::get<std::vector<std::int64_t>>(values);
            const auto* src = static_cast<const std::int64_t*>(data);
            v.insert(v.end(), src, src + count);
            break;
        }
        case ColumnType::Double: {
            auto& v = std::get<std::vector<double>>(values);
            const auto* src = static_cast<const double*>(data);
            v.insert(v.end(), src, src + count);
            break;
        }
        case ColumnType::Date: {
            auto& v = std::get<std::vector<std::int32_t>>(values);
            const auto* src = static_cast<const duckdb_date*>(data);
            for (idx_t i = 0; i < count; ++i) v.push_back(src[i].days);
            break;
        }
        case ColumnType::String: {
            auto& v = std::get<std::vector<std::string>>(values);
            auto* src = static_cast<duckdb_string_t*>(const_cast<void*>(data));
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
        if (!any_null) validity.clear();
        return {std::move(name), type, std::move(values), std::move(validity)};
    }
};

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

    PreparedStatement prepare(std::string_view sql) {
        PreparedStatement statement;
        const std::string text(sql);
        if (duckdb_prepare(connection.get(), text.c_str(), statement.out()) == DuckDBError) {
            const char* err = duckdb_prepare_error(statement.get());
            throw DataError(err != nullptr ? err : "DuckDB could not prepare a statement");
        }
        return statement;
    }
};

Session::Session(const SessionOptions& options) : impl_(std::make_unique<Impl>()) {
    Config config;
    if (duckdb_create_config(config.out()) == DuckDBError) throw InternalError("DuckDB: cannot create a config");
    const auto set = [&](const char* key, const std::string& value) {
        if (duckdb_set_config(config.get(), key, value.c_str()) == DuckDBError) {
            throw UsageError(fmt::format("DuckDB rejected the setting {}={}", key, value));
        }
    };
    if (options.threads > 0) set("threads", std::to_string(options.threads));
    if (!options.memory_limit.empty()) set("memory_limit", options.memory_limit);
    char* error = nullptr;
    if (duckdb_open_ext(nullptr, impl_->database.out(), config.get(), &error) == DuckDBError) {
        std::string message = error != nullptr ? error : "unknown error";
        duckdb_free(error);
        throw IoError("DuckDB: cannot open an in-memory database: " + message);
    }
    if (duckdb_connect(impl_->database.get(), impl_->connection.out()) == DuckDBError) {
        throw IoError("DuckDB: cannot connect to the in-memory database");
    }
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::execute(std::string_view sql) {
    QueryResult result;
    const std::string text(sql);
    if (duckdb_query(impl_->connection.get(), text.c_str(), result.out()) == DuckDBError) {
        throw DataError(duckdb_result_error(result.get()));
    }
}

std::int64_t Session::execute_rows(std::string_view sql) {
    QueryResult result;
    const std::string text(sql);
    if (duckdb_query(impl_->connection.get(), text.c_str(), result.out()) == DuckDBError) {
        throw DataError(duckdb_result_error(result.get()));
    }
    return static_cast<std::int64_t>(duckdb_rows_changed(result.get()));
}

Table Session::query(std::string_view sql) {
    auto statement = impl_->prepare(sql);
    const idx_t ncols = duckdb_prepared_statement_column_count(statement.get());
    std::vector<std::string> casts(ncols);
    bool needs_cast = false;
    for (idx_t j = 0; j < ncols; ++j) {
        casts[j] = normalising_cast(duckdb_prepared_statement_column_type(statement.get(), j));
        needs_cast = needs_cast || !casts[j].empty();
    }
    if (needs_cast) {
        std::string select;
        for (idx_t j = 0; j < ncols; ++j) {
            const std::string name = quote_identifier(duckdb_prepared_statement_column_name(statement.get(), j));
            if (j > 0) select += ", ";
            select += casts[j].empty() ? name : fmt::format("CAST({} AS {}) AS {}", name, casts[j], name);
        }
        statement = impl_->prepare(fmt::format("SELECT {} FROM ({}) AS normalised", select, sql));
    }

    QueryResult result;
    if (duckdb_execute_prepared(statement.get(), result.out()) == DuckDBError) {
        throw DataError(duckdb_result_error(result.get()));
    }
    std::vector<ColumnBuilder> builders;
    for (idx_t j = 0; j < ncols; ++j) {
        LogicalType type(duckdb_column_logical_type(result.get(), j));
        builders.emplace_back(duckdb_column_name(result.get(), j), column_type_of(duckdb_get_type_id(type.get())));
    }
    while (true) {
        DataChunk chunk(duckdb_fetch_chunk(*result.get()));
        if (chunk.get() == nullptr) break;
        const idx_t rows = duckdb_data_chunk_get_size(chunk.get());
        if (rows == 0) break;
        for (idx_t j = 0; j < ncols; ++j) builders[j].append(duckdb_data_chunk_get_vector(chunk.get(), j), rows);
    }
    std::vector<Column> columns;
    columns.reserve(builders.size());
    for (auto& b : builders) columns.push_back(b.finish());
    return Table(std::move(columns));
}

void Session::register_table(std::string_view name, const Table& table) {
    std::string ddl = fmt::format("CREATE OR REPLACE TABLE {} (", quote_identifier(name));
    std::vector<LogicalType> types;
    std::vector<duckdb_logical_type> raw_types;
    for (std::size_t j = 0; j < table.num_columns(); ++j) {
        const Column& c = table.columns()[j];
        ddl += fmt::format("{}{} {}", j > 0 ? ", " : "", quote_identifier(c.name()), type_name(c.type()));
        types.emplace_back(duckdb_create_logical_type(duckdb_type_of(c.type())));
        raw_types.push_back(types.back().get());
    }
    ddl += ")";
    execute(ddl);

    detail::Appender appender;
    const std::string table_name(name);
    if (duckdb_appender_create(impl_->connection.get(), nullptr, table_name.c_str(), appender.out()) == DuckDBError) {
        throw InternalError(fmt::format("DuckDB: cannot append to table {}: {}", name,
                                        duckdb_appender_error(appender.get())));
    }
    const std::size_t batch = duckdb_vector_size();
    for (std::size_t begin = 0; begin < table.num_rows(); begin += batch) {
        const std::size_t count = std::min(batch, table.num_rows() - begin);
        DataChunk chunk(duckdb_create_data_chunk(raw_types.data(), raw_types.size()));
        for (std::size_t j = 0; j < table.num_columns(); ++j) {
            fill_vector(duckdb_data_chunk_get_vector(chunk.get(), j), table.columns()[j], begin, count);
        }
        duckdb_data_chunk_set_size(chunk.get(), count);
        if (duckdb_append_data_chunk(appender.get(), chunk.get()) == DuckDBError) {
            throw InternalError(fmt::format("DuckDB: append to {} failed: {}", name,
                                            duckdb_appender_error(appender.get())));
        }
    }
    if (duckdb_appender_close(appender.get()) == DuckDBError) {
        throw InternalError(fmt::format("DuckDB: append to {} failed: {}", name, duckdb_appender_error(appender.get())));
    }
}

}  // namespace uplift::io
