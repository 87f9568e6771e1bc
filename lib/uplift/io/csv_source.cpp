#include "uplift/io/csv_source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
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

}  // namespace

bool has_mixed_line_endings(const fs::path& path) {
    std::size_t crlf = 0;
    std::size_t lf = 0;
    char previous = '\0';
    for_each_file_block(path, [&](const char* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (data[i] == '\n') (previous == '\r' ? crlf : lf) += 1;
            previous = data[i];
        }
    });
    return crlf > 0 && lf > 0;
}

CsvSource::CsvSource(fs::path path, CsvSourceOptions options) : original_(std::move(path)) {
    bool mixed = false;
    if (options.isolate_unclosed_quotes) {
        const CsvFileScan scan = scan_csv_file(original_, options.delimiter, '"', 1000, options.header_fields);
        mixed = scan.mixed_line_endings;
        longest_record_ = scan.longest_record;
        non_record_lines_ = scan.non_record_lines;
        for (const auto line : scan.unclosed_quote_lines) unclosed_.emplace(line, std::string());
        for (const auto line : scan.trailing_field_lines) trailing_field_.emplace(line, std::string());
    } else {
        mixed = has_mixed_line_endings(original_);
    }
    if (!mixed && unclosed_.empty() && trailing_field_.empty()) return;
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

}  // namespace uplift::io
