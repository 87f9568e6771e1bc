#pragma once
/// Date and timestamp text forms (ISO 8601), shared by messages and CSV-like output.

#include <cstdint>
#include <string>

namespace uplift::io {

/// Days since 1970-01-01 → "YYYY-MM-DD".
std::string format_date(std::int32_t days);
/// Microseconds since the epoch → "YYYY-MM-DD HH:MM:SS[.ffffff]".
std::string format_timestamp(std::int64_t micros);
/// "YYYY-MM-DD" → days since 1970-01-01; false when the text is not a valid date.
bool parse_date(const std::string& text, std::int32_t& days);

}  // namespace uplift::io
