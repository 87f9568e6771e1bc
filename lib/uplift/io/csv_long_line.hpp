#pragma once
/// A CSV line too long for DuckDB, found where it really is.
///
/// Why: DuckDB's CSV reader stops at a line longer than its max_line_size (2,000,000 bytes by default),
/// even with ignore_errors, and when its sniffer met that line in its first sample it calls the whole file
/// one line and blames "Line: 1". The file is fine up to there and a user needs the real line, so on that
/// error (and only then) the raw bytes are scanned for it.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "uplift/core/errors.hpp"

namespace uplift::io {

struct LongLine {
    std::int64_t line = 0;    ///< physical line, 1-based (the header is line 1)
    std::uint64_t bytes = 0;  ///< its length without the line ending
};

/// The first line of `path` longer than `limit` bytes, or nullopt. Throws IoError when it cannot be read.
std::optional<LongLine> first_line_longer_than(const std::filesystem::path& path, std::uint64_t limit);

/// When `error` is DuckDB's "Maximum line size of N bytes exceeded" from reading `scanned` (the file DuckDB
/// read, standing for `original`), throws a DataError naming `original`, the line, its length and N.
/// Returns for any other error, so the caller handles it as before.
void throw_if_line_too_long(const Error& error, const std::filesystem::path& scanned,
                            const std::filesystem::path& original);

}  // namespace uplift::io
