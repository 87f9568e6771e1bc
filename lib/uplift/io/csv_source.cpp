#include "uplift/io/csv_source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <utility>
#include <cstring>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_blocks.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/csv_file_scan.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

/// One field without a delimiter: the reader rejects it as a short row on its own line.
std::string marker_line(char delimiter) { return delimiter == '?' ? "!" : "?"; }

struct LineEndings {
    bool mixed = false;
    std::optional<std::pair<std::int64_t, std::size_t>> first_nul;  ///< line and byte in it, from 1
};

/// The line endings and the first NUL byte, in one byte pass.
LineEndings scan_line_endings(const fs::path& path) {
    std::size_t crlf = 0;
    std::size_t lf = 0;
    std::size_t line_start = 0;  // offset of the current line in the file
    std::size_t offset = 0;
    char previous = '\0';
    LineEndings out;
    for_each_file_block(path, [&](const char* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (data[i] == '\n') {
                (previous == '\r' ? crlf : lf) += 1;
                line_start = offset + i + 1;
            } else if (data[i] == '\0' && !out.first_nul) {
                out.first_nul.emplace(static_cast<std::int64_t>(crlf + lf + 1), offset + i - line_start + 1);
            }
            previous = data[i];
        }
        offset += n;
    });
    out.mixed = crlf > 0 && lf > 0;
    return out;
}

}  // namespace

bool has_mixed_line_endings(const fs::path& path) { return scan_line_endings(path).mixed; }

void throw_nul_byte(const fs::path& path, std::int64_t line, std::size_t byte) {
    throw DataError(fmt::format("'{}', line {}: byte {} of the line is a NUL (0x00); a CSV file holds text, and text "
                                "has no NUL bytes (a damaged or binary file, or UTF-16 text?)",
                                path.string(), line, byte));
}

CsvSource::CsvSource(fs::path path, CsvSourceOptions options) : original_(std::move(path)) {
    bool mixed = false;
    if (options.isolate_unclosed_quotes) {
        const CsvFileScan scan = scan_csv_file(original_, options.delimiter, '"', 1000, options.header_fields);
        mixed = scan.mixed_line_endings;
        for (const auto& [line, byte] : scan.nul_lines) nul_.emplace(line, std::pair{byte, std::string()});
        longest_record_ = scan.longest_record;
        non_record_lines_ = scan.non_record_lines;
        continuation_lines_ = scan.continuation_lines;
        for (const auto line : scan.unclosed_quote_lines) unclosed_.emplace(line, std::string());
        for (const auto line : scan.trailing_field_lines) trailing_field_.emplace(line, std::string());
    } else {
        const LineEndings scan = scan_line_endings(original_);
        mixed = scan.mixed;
        // Said here, with its place: DuckDB would read the NUL into a value, and a message quoting that
        // value would end at it (or the column would turn to text, reported as a wrong type).
        if (scan.first_nul) throw_nul_byte(original_, scan.first_nul->first, scan.first_nul->second);
    }
    if (!mixed && unclosed_.empty() && trailing_field_.empty() && nul_.empty()) return;
    static std::atomic<unsigned> counter{0};
    const fs::path temp = fs::temp_directory_path() /
                          fmt::format("upliftctl-{}-{}-{}", ::getpid(), counter++, original_.filename().string());
    normalised_ = temp;
    try {
        FileWriter out(temp);
        std::string line;  // the current line, cut by the ends of blocks
        std::int64_t number = 1;
        const auto end_line = [&](bool has_lf) {
            // Every line ends in LF in the copy, so a marker line cannot make its endings mixed.
            if (has_lf && !line.empty() && line.back() == '\r') line.pop_back();
            for (auto* isolated : {&unclosed_, &trailing_field_}) {
                if (const auto it = isolated->find(number); it != isolated->end()) {
                    it->second = line;
                    line = marker_line(options.delimiter);
                }
            }
            if (const auto it = nul_.find(number); it != nul_.end()) {
                std::string shown;
                for (const char c : line) shown += c == '\0' ? std::string("\\x00") : std::string(1, c);
                it->second.second = std::move(shown);
                line = marker_line(options.delimiter);
            }
            if (has_lf) line.push_back('\n');
            out.write(line);
            line.clear();
            ++number;
        };
        for_each_file_block(original_, [&](const char* data, std::size_t n) {
            const char* p = data;
            const char* const end = data + n;
            while (const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
                const char* eol = static_cast<const char*>(hit);
                line.append(p, eol);
                end_line(true);
                p = eol + 1;
            }
            line.append(p, end);
        });
        if (!line.empty()) end_line(false);
        out.close();
    } catch (...) {
        // The destructor does not run for a constructor that throws: a half copy (a full /tmp) goes here.
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    if (mixed) log::info("'{}' mixes CRLF and LF line endings; reading a copy with LF endings", original_.string());
}

CsvSource::~CsvSource() {
    if (normalised_) {
        std::error_code ignored;
        fs::remove(*normalised_, ignored);
    }
}

std::int64_t CsvSource::line_of_reader_line(std::int64_t reader_line) const noexcept {
    std::int64_t line = reader_line;
    for (const std::int64_t continued : continuation_lines_) {
        if (continued > line) break;
        ++line;  // a continuation line at or before it: the file's line is one further on
    }
    return line;
}

}  // namespace uplift::io
