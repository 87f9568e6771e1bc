#pragma once
// Internal to lib/uplift/io: how a DuckDB failure becomes one of our errors. The kind DuckDB reports
// decides the exit code, so a full disk is not blamed on the data and a bug in our SQL is not blamed on
// the user (README.md, "Exit codes").

#include <duckdb.h>

#include <string_view>

#include "uplift/core/errors.hpp"

namespace uplift::io::detail {

/// Our kind for a DuckDB error type: the one table of the mapping.
///   values the data cannot take (conversion, out of range, invalid input, constraint, ...) -> Data (3)
///   files, permissions, network, a full disk or memory limit                              -> Io (4)
///   parser, binder, catalog, internal, fatal and everything else: SQL we generated        -> Internal (1)
/// A binder or catalog error can follow from a name the user gave; callers check user names before they
/// generate SQL, so what still reaches DuckDB is ours.
ErrorKind error_kind_of(duckdb_error_type type);

/// The error type a DuckDB message names. Prepared and pending statements report only a message (the C
/// API of DuckDB 1.4 has no duckdb_prepare_error_type); every DuckDB message starts with the type's name
/// and " Error: " (ErrorData::Message), and that prefix is the type's only trace. DUCKDB_ERROR_INVALID
/// when the message names none, which maps to Internal: an unknown failure is treated as ours.
duckdb_error_type error_type_of_message(std::string_view message);

/// Throws the error of `kind` carrying DuckDB's message (our Error subclass, so `catch (const IoError&)`
/// works). A "No space left on device" anywhere is I/O whatever type DuckDB gave it.
[[noreturn]] void throw_duckdb_error(duckdb_error_type type, const char* message, std::string_view fallback);

}  // namespace uplift::io::detail
