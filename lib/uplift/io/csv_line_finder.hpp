#pragma once
/// Finds on which lines of a CSV file given rows sit, by comparing raw line text in one byte scan.
///
/// Why: `ingest` learns which purchase rows are bad from a parallel DuckDB pass that cannot number them;
/// numbering them through DuckDB needs a single-threaded scan that splits every line (a fifth of a
/// 45M-line ingest). The bad rows are few and known by content, and a row written without quotes has one
/// possible text, so a scan that only cuts lines and looks each one up in a hash set finds them at the
/// speed of reading the file. Callers fall back to DuckDB whenever this shortcut cannot be trusted
/// (see `unquoted_csv_line` and `CsvLineScan::quote_spans_lines`).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uplift::io {

/// The text of a CSV line holding exactly `fields` when written without quotes: the fields joined by ','
/// with a missing (null) field empty. nullopt when a field holds a quote, comma, CR or LF: a writer had to
/// quote it, so the file's text cannot be known from the field values.
std::optional<std::string> unquoted_csv_line(const std::vector<std::optional<std::string>>& fields);

/// The first line of `path` without a UTF-8 byte order mark and without its line ending ("" when the file
/// is empty). For checking a header before matching lines.
std::string first_csv_line(const std::filesystem::path& path);

/// One line of the file equal to a text looked for.
struct CsvLineMatch {
    std::int64_t line = 0;  ///< physical line, 1-based (the header is line 1)
    std::size_t id = 0;     ///< the id the text was added with
};

struct CsvLineScan {
    std::vector<CsvLineMatch> matches;  ///< in line order; a text on several lines matches each of them
    std::int64_t lines = 0;             ///< physical lines in the file (a last line without LF counts)
    /// Some line holds an odd number of quotes, so a quoted field may run on to the next line: records
    /// and physical lines may then differ, and a match could be the inside of a field.
    bool quote_spans_lines = false;
};

/// A set of line texts to look for, each with an id. Lines compare without their ending (LF or CRLF).
class CsvLineFinder {
public:
    /// Adds `text` under `id`. False (nothing added) when `text` is already looked for, as one line could
    /// not then tell which row it is, or when it holds a CR or LF, as no single line can equal it.
    bool add(std::string text, std::size_t id);
    std::size_t size() const noexcept { return ids_.size(); }

    /// Reads `path` once in blocks (constant memory beyond the matches) and returns the lines equal to a
    /// text added. Line 1 (the header) is never a match. Throws IoError when the file cannot be read.
    CsvLineScan scan(const std::filesystem::path& path) const;

private:
    bool maybe_added(std::string_view line) const noexcept;
    void scan_line(std::string_view line, bool may_hold_quotes, CsvLineScan& out) const;

    std::deque<std::string> texts_;  ///< owns the keys of ids_ (a deque never moves its elements)
    std::unordered_map<std::string_view, std::size_t> ids_;
    /// One bit per fingerprint bucket of the added texts: most lines of a file are rejected by one bit test
    /// instead of hashing their whole text.
    std::vector<bool> fingerprints_ = std::vector<bool>(std::size_t{1} << 20);
};

}  // namespace uplift::io
