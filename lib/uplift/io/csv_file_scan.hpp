#pragma once
/// One byte pass over a CSV file that learns what DuckDB's reader cannot tell us well: where a quote
/// opened on a line is never closed, how long the longest record is, whether line endings are mixed.
///
/// Why: an unclosed quote makes every CSV reader swallow the following lines into one field until the
/// next quote, so one typo costs many valid rows and the error names the wrong line. RFC 4180 allows a
/// quoted field to span lines, so the scan follows the quote state machine: a quoted field that runs over
/// line ends and then does not close cleanly (its closing quote is followed by text, it runs past
/// `max_quoted_lines` lines or to the end of the file) was opened by mistake, and only its first line is
/// bad. The scan then resumes on the next line, as if that line started a record.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uplift::io {

struct CsvFileScan {
    std::int64_t lines = 0;                          ///< physical lines (a last line without LF counts)
    std::size_t longest_record = 0;                  ///< bytes of the longest record, line breaks included
    bool mixed_line_endings = false;                 ///< some lines end in CRLF and others in a bare LF
    std::vector<std::int64_t> unclosed_quote_lines;  ///< 1-based lines whose opening quote never closes
    /// Lines that start no record, in order: blank lines (the reader skips them) and the second and later
    /// lines of a record whose quoted field spans lines. With them a reader's n-th row finds its line.
    std::vector<std::int64_t> non_record_lines;
    /// The second and later lines of records spanning lines, in order (a subset of non_record_lines). DuckDB's
    /// reader does not count them in the line numbers of its rejects: its line n is the n-th line of the file
    /// that is not one of them.
    std::vector<std::int64_t> continuation_lines;
    /// 1-based lines of one-line records with one field more than the header, that field empty (`1,2,3,` under
    /// `a,b,c`): DuckDB's reader drops such a trailing empty field and keeps the row, so the scan finds them.
    /// Only when the scan is given the header's field count.
    std::vector<std::int64_t> trailing_field_lines;
    /// Lines holding a NUL byte, each with the 1-based byte of its first NUL, in line order. A text CSV holds
    /// none; DuckDB would read it into a value, and every message quoting that value would be cut short at it.
    std::vector<std::pair<std::int64_t, std::size_t>> nul_lines;
};

/// Scans `path` in blocks (memory bounded by `max_quoted_lines` lines). With `header_fields` (0 = unknown)
/// it also finds the trailing_field_lines. Throws IoError when it cannot be read.
CsvFileScan scan_csv_file(const std::filesystem::path& path, char delimiter, char quote = '"',
                          std::size_t max_quoted_lines = 1000, std::size_t header_fields = 0);

/// The fields of one CSV line (a header): split on `delimiter`, quotes removed and doubled quotes undone.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter, char quote = '"');

/// The byte offset of the first byte of `text` that is not part of valid UTF-8, or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace uplift::io
