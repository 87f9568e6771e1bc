#pragma once
/// Quoting for SQL text we build: identifiers (column names from user data) and string literals
/// (paths, metadata). Everything user-supplied that reaches DuckDB goes through these.

#include <string>
#include <string_view>

namespace uplift::io {

/// "name" with embedded double quotes doubled. Throws DataError for a name holding a NUL byte (SQL text
/// cannot carry one); the same for quote_literal.
std::string quote_identifier(std::string_view name);
/// 'text' with embedded single quotes doubled.
std::string quote_literal(std::string_view text);

}  // namespace uplift::io
