#pragma once
/// DuckDB's strict CSV reader refuses files whose lines end partly in CRLF and partly in LF, which is
/// common in real exports (the public Hillstrom file's last line, files concatenated from two systems).
/// Rather than give up strictness (which would silently drop short rows), such a file is copied once
/// with uniform LF line endings; lines keep their numbers, so rejects still point at the source line.
///
/// On request (flat ingest) the copy also isolates lines that open a quote they never close
/// (csv_file_scan.hpp): such a line is replaced by a one-field marker the reader rejects on that line
/// alone, instead of swallowing the lines after it. The caller reports it with its original text. A line
/// with a trailing delimiter past the header's fields is isolated the same way (DuckDB would keep it).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uplift::io {

struct CsvSourceOptions {
    char delimiter = ',';
    bool isolate_unclosed_quotes = false;
    /// With isolate_unclosed_quotes: the header's field count, so that a record with one more field, that
    /// field empty (a trailing delimiter), is isolated too; DuckDB would drop the field and keep the row.
    std::size_t header_fields = 0;
};

class CsvSource {
public:
    /// Scans `path`; makes a normalised temporary copy only when its line endings are mixed (or, with
    /// `isolate_unclosed_quotes`, when a line opens a quote it never closes, or holds a NUL byte). Without
    /// `isolate_unclosed_quotes` a NUL byte is a DataError naming its line (throw_nul_byte).
    explicit CsvSource(std::filesystem::path path, CsvSourceOptions options = {});
    ~CsvSource();
    CsvSource(const CsvSource&) = delete;
    CsvSource& operator=(const CsvSource&) = delete;

    /// The file DuckDB should read.
    const std::filesystem::path& scan_path() const noexcept { return normalised_ ? *normalised_ : original_; }
    bool normalised() const noexcept { return normalised_.has_value(); }
    /// Lines replaced by a marker because they open a quote they never close, with their original text.
    const std::map<std::int64_t, std::string>& unclosed_quote_lines() const noexcept { return unclosed_; }
    /// Lines replaced by a marker because they hold one field more than the header, that one empty (a
    /// trailing delimiter), with their original text.
    const std::map<std::int64_t, std::string>& trailing_field_lines() const noexcept { return trailing_field_; }
    /// With isolate_unclosed_quotes: lines replaced by a marker because they hold a NUL byte, with the byte
    /// (from 1) of the first one and their text (each NUL written as `\x00`).
    const std::map<std::int64_t, std::pair<std::size_t, std::string>>& nul_lines() const noexcept { return nul_; }
    /// Lines that start no record (csv_file_scan.hpp), to number the rows the reader returns.
    const std::vector<std::int64_t>& non_record_lines() const noexcept { return non_record_lines_; }
    /// The line of the file that DuckDB's reader calls `reader_line` in its rejects: DuckDB does not count
    /// the continuation lines of records spanning lines.
    std::int64_t line_of_reader_line(std::int64_t reader_line) const noexcept;
    /// The longest record in bytes, for the reader's line size limit.
    std::size_t longest_record() const noexcept { return longest_record_; }

private:
    std::filesystem::path original_;
    std::optional<std::filesystem::path> normalised_;
    std::map<std::int64_t, std::string> unclosed_;
    std::map<std::int64_t, std::string> trailing_field_;
    std::map<std::int64_t, std::pair<std::size_t, std::string>> nul_;
    std::size_t longest_record_ = 0;
    std::vector<std::int64_t> non_record_lines_;
    std::vector<std::int64_t> continuation_lines_;
};

/// True when some lines end in CRLF and others in a bare LF.
bool has_mixed_line_endings(const std::filesystem::path& path);

/// DataError naming the file, line and byte (both from 1) of a NUL byte, which no text CSV holds. CsvSource
/// throws it for any NUL it finds; a reader of the header alone calls it too.
[[noreturn]] void throw_nul_byte(const std::filesystem::path& path, std::int64_t line, std::size_t byte);

}  // namespace uplift::io
