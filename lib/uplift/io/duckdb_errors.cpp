#include "uplift/io/duckdb_errors.hpp"

#include <array>
#include <string>
#include <utility>

#include "uplift/core/throw_error.hpp"

namespace uplift::io::detail {

ErrorKind error_kind_of(duckdb_error_type type) {
    switch (type) {
    // A value the data cannot take: the user's file is wrong, not our SQL.
    case DUCKDB_ERROR_OUT_OF_RANGE:
    case DUCKDB_ERROR_CONVERSION:
    case DUCKDB_ERROR_DECIMAL:
    case DUCKDB_ERROR_DIVIDE_BY_ZERO:
    case DUCKDB_ERROR_MISMATCH_TYPE:
    case DUCKDB_ERROR_OBJECT_SIZE:
    case DUCKDB_ERROR_CONSTRAINT:
    case DUCKDB_ERROR_INVALID_INPUT: return ErrorKind::Data;
    // The machine: files, permissions, the network, disk space, the memory limit. Not a bug and not the
    // data; a cron wrapper may retry once the folder, the disk or --memory-limit is fixed.
    case DUCKDB_ERROR_IO:
    case DUCKDB_ERROR_PERMISSION:
    case DUCKDB_ERROR_HTTP:
    case DUCKDB_ERROR_NETWORK:
    case DUCKDB_ERROR_OUT_OF_MEMORY: return ErrorKind::Io;
    default: return ErrorKind::Internal;  // parser, binder, catalog, internal, fatal, ...: SQL we wrote
    }
}

duckdb_error_type error_type_of_message(std::string_view message) {
    // The names DuckDB prints (ExceptionTypeToString) for the types error_kind_of tells apart.
    static constexpr std::array<std::pair<std::string_view, duckdb_error_type>, 18> names{{
        {"Out of Range", DUCKDB_ERROR_OUT_OF_RANGE},
        {"Conversion", DUCKDB_ERROR_CONVERSION},
        {"Decimal", DUCKDB_ERROR_DECIMAL},
        {"Divide by Zero", DUCKDB_ERROR_DIVIDE_BY_ZERO},
        {"Mismatch Type", DUCKDB_ERROR_MISMATCH_TYPE},
        {"Object Size", DUCKDB_ERROR_OBJECT_SIZE},
        {"Constraint", DUCKDB_ERROR_CONSTRAINT},
        {"Invalid Input", DUCKDB_ERROR_INVALID_INPUT},
        {"IO", DUCKDB_ERROR_IO},
        {"Permission", DUCKDB_ERROR_PERMISSION},
        {"HTTP", DUCKDB_ERROR_HTTP},
        {"Network", DUCKDB_ERROR_NETWORK},
        {"Out of Memory", DUCKDB_ERROR_OUT_OF_MEMORY},
        {"Parser", DUCKDB_ERROR_PARSER},
        {"Binder", DUCKDB_ERROR_BINDER},
        {"Catalog", DUCKDB_ERROR_CATALOG},
        {"INTERNAL", DUCKDB_ERROR_INTERNAL},
        {"FATAL", DUCKDB_ERROR_FATAL},
    }};
    const auto end = message.find(" Error: ");
    if (end == std::string_view::npos) return DUCKDB_ERROR_INVALID;
    const std::string_view name = message.substr(0, end);
    for (const auto& [text, type] : names) {
        if (name == text) return type;
    }
    return DUCKDB_ERROR_INVALID;
}

void throw_duckdb_error(duckdb_error_type type, const char* message, std::string_view fallback) {
    const std::string text = message != nullptr && *message != '\0' ? std::string(message) : std::string(fallback);
    // Whatever DuckDB called it (a failed spill can surface as another type), a full disk is the machine's.
    const bool disk_full = text.find("No space left on device") != std::string::npos;
    throw_error(disk_full ? ErrorKind::Io : error_kind_of(type), text);
}

}  // namespace uplift::io::detail
