#pragma once
// Move-only owners of DuckDB C handles. Internal to lib/uplift/io: public headers never show duckdb.h.
// Declare Database, Connection, QueryResult in that order so they are destroyed in reverse.

#include <duckdb.h>

#include <string>
#include <utility>

namespace uplift::io::detail {

template <class Handle, void (*Destroy)(Handle*)>
class UniqueHandle {
public:
    UniqueHandle() = default;
    explicit UniqueHandle(Handle h) : handle_(h) {}
    UniqueHandle(const UniqueHandle&) = delete;
    UniqueHandle& operator=(const UniqueHandle&) = delete;
    UniqueHandle(UniqueHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    UniqueHandle& operator=(UniqueHandle&& other) noexcept {
        if (this != &other) {
            reset();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    ~UniqueHandle() { reset(); }
    void reset() noexcept {
        if (handle_ != nullptr) Destroy(&handle_);
        handle_ = nullptr;
    }
    Handle get() const noexcept { return handle_; }
    Handle* out() noexcept {
        reset();
        return &handle_;
    }

private:
    Handle handle_ = nullptr;
};

inline void destroy_appender(duckdb_appender* a) { duckdb_appender_destroy(a); }
inline void free_string(const char** s) { duckdb_free(const_cast<char*>(*s)); }

using Database = UniqueHandle<duckdb_database, duckdb_close>;
using Connection = UniqueHandle<duckdb_connection, duckdb_disconnect>;
using DataChunk = UniqueHandle<duckdb_data_chunk, duckdb_destroy_data_chunk>;
using LogicalType = UniqueHandle<duckdb_logical_type, duckdb_destroy_logical_type>;
using Appender = UniqueHandle<duckdb_appender, destroy_appender>;
using Config = UniqueHandle<duckdb_config, duckdb_destroy_config>;
using ErrorData = UniqueHandle<duckdb_error_data, duckdb_destroy_error_data>;
/// A string DuckDB allocated for the caller (e.g. duckdb_prepared_statement_column_name).
using OwnedString = UniqueHandle<const char*, free_string>;

/// A query result. DuckDB requires destroy even after a failed query, so this owns it from the start.
class QueryResult {
public:
    QueryResult() = default;
    QueryResult(const QueryResult&) = delete;
    QueryResult& operator=(const QueryResult&) = delete;
    QueryResult(QueryResult&& other) noexcept : result_(other.result_), owned_(std::exchange(other.owned_, false)) {}
    QueryResult& operator=(QueryResult&&) = delete;
    ~QueryResult() {
        if (owned_) duckdb_destroy_result(&result_);
    }
    duckdb_result* out() noexcept {
        owned_ = true;
        return &result_;
    }
    duckdb_result* get() noexcept { return &result_; }

private:
    duckdb_result result_{};
    bool owned_ = false;
};

}  // namespace uplift::io::detail
