#include "uplift/io/csv_file_scan.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <utility>

#include "uplift/core/file_blocks.hpp"

namespace uplift::io {

namespace {

/// The RFC 4180 quote state machine, fed line by line, with the restart rule of the header comment.
class QuoteScanner {
public:
    QuoteScanner(char delimiter, char quote, std::size_t max_quoted_lines, std::size_t header_fields,
                 CsvFileScan& out)
        : delimiter_(delimiter), quote_(quote), max_quoted_lines_(max_quoted_lines), header_fields_(header_fields),
          out_(out) {}

    void feed(std::int64_t number, std::string_view line) {
        // Most lines hold no quote and start a record: they need neither a copy nor the state machine.
        if (!open_ && line.find(quote_) == std::string_view::npos) {
            if (line.empty() || line == "\r") {
                out_.non_record_lines.push_back(number);
            } else {
                out_.longest_record = std::max(out_.longest_record, line.size() + 1);
                // Fields are counted only on lines ending in a delimiter: the scan stays one memchr per line.
                std::string_view body = line;
                if (body.back() == '\r') body.remove_suffix(1);
                if (header_fields_ > 0 && !body.empty() && body.back() == delimiter_ &&
                    static_cast<std::size_t>(std::count(body.begin(), body.end(), delimiter_)) == header_fields_) {
                    out_.trailing_field_lines.push_back(number);
                }
            }
            return;
        }
        todo_.emplace_back(number, std::string(line));
        drain();
    }

    void finish() {
        while (open_) {
            unclosed();
            drain();
        }
    }

private:
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };

    void drain() {
        while (!todo_.empty()) {
            auto [number, line] = std::move(todo_.front());
            todo_.pop_front();
            process(number, std::move(line));
        }
    }

    void process(std::int64_t number, std::string line) {
        if (!open_ && (line.empty() || line == "\r")) {
            out_.non_record_lines.push_back(number);
            return;
        }
        if (!open_) {
            start_ = number;
            state_ = State::FieldStart;
            bytes_ = 0;
            fields_ = 1;
        }
        bytes_ += line.size() + 1;
        // A CRLF line end is no field content: without it a record ending in a delimiter ends in FieldStart.
        const std::size_t n = line.size() - (!line.empty() && line.back() == '\r' ? 1 : 0);
        bool invalid = false;
        for (std::size_t i = 0; i < n && !invalid; ++i) {
            const char c = line[i];
            switch (state_) {
            case State::FieldStart:
                state_ = c == quote_ ? State::Quoted : c == delimiter_ ? State::FieldStart : State::Unquoted;
                if (c == delimiter_) ++fields_;
                break;
            case State::Unquoted:
                if (c == delimiter_) {
                    state_ = State::FieldStart;
                    ++fields_;
                }
                break;
            case State::Quoted: if (c == quote_) state_ = State::QuoteInQuoted; break;
            case State::QuoteInQuoted:
                if (c == quote_) {
                    state_ = State::Quoted;
                } else if (c == delimiter_) {
                    state_ = State::FieldStart;
                    ++fields_;
                } else {
                    invalid = true;
                }
                break;
            }
        }
        if (open_) pending_.emplace_back(number, std::move(line));
        if (invalid && open_) return unclosed();
        if (!invalid && state_ == State::Quoted) {
            open_ = true;
            if (pending_.size() >= max_quoted_lines_) unclosed();
            return;
        }
        // A record ends here (a bad one on a single line is the reader's to reject, with its own number).
        // Only one-line records: the copy can isolate a line, not a record spanning lines (rare, left to DuckDB).
        if (!invalid && header_fields_ > 0 && pending_.empty() && state_ == State::FieldStart &&
            fields_ == header_fields_ + 1) {
            out_.trailing_field_lines.push_back(start_);
        }
        open_ = false;
        for (const auto& continued : pending_) {
            out_.non_record_lines.push_back(continued.first);
            out_.continuation_lines.push_back(continued.first);
        }
        pending_.clear();
        out_.longest_record = std::max(out_.longest_record, bytes_);
    }

    /// The record's opening line is the mistake; the lines it swallowed are read again as records.
    void unclosed() {
        out_.unclosed_quote_lines.push_back(start_);
        open_ = false;
        for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) todo_.push_front(std::move(*it));
        pending_.clear();
    }

    char delimiter_;
    char quote_;
    std::size_t max_quoted_lines_;
    std::size_t header_fields_;  ///< 0 = unknown: no field counts
    CsvFileScan& out_;
    bool open_ = false;  ///< the current record continues on the next line, inside a quoted field
    State state_ = State::FieldStart;
    std::int64_t start_ = 0;
    std::size_t bytes_ = 0;
    std::size_t fields_ = 1;  ///< of the current record, so far
    std::vector<std::pair<std::int64_t, std::string>> pending_;  ///< the record's lines after its first
    std::deque<std::pair<std::int64_t, std::string>> todo_;
};

}  // namespace

CsvFileScan scan_csv_file(const std::filesystem::path& path, char delimiter, char quote,
                          std::size_t max_quoted_lines, std::size_t header_fields) {
    CsvFileScan out;
    QuoteScanner scanner(delimiter, quote, std::max<std::size_t>(max_quoted_lines, 1), header_fields, out);
    std::size_t crlf = 0;
    std::size_t lf = 0;
    std::string carry;  // the start of a line cut by the end of a block
    const auto note_nul = [&](std::int64_t number, std::string_view line) {
        if (const auto at = line.find('\0'); at != std::string_view::npos) out.nul_lines.emplace_back(number, at + 1);
    };
    for_each_file_block(path, [&](const char* data, std::size_t n) {
        const char* p = data;
        const char* const end = data + n;
        // Lines are searched for a NUL only in the rare block that holds one: one memchr per block.
        const bool nul_in_block = std::memchr(data, '\0', n) != nullptr;
        while (const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
            const char* eol = static_cast<const char*>(hit);
            std::string_view line(p, static_cast<std::size_t>(eol - p));
            if (!carry.empty()) {
                carry.append(p, eol);
                line = carry;
            }
            (!line.empty() && line.back() == '\r' ? crlf : lf) += 1;
            if (nul_in_block || !carry.empty()) note_nul(out.lines + 1, line);
            scanner.feed(++out.lines, line);
            carry.clear();
            p = eol + 1;
        }
        carry.append(p, end);
    });
    if (!carry.empty()) {
        note_nul(out.lines + 1, carry);
        scanner.feed(++out.lines, carry);
    }
    scanner.finish();
    std::sort(out.unclosed_quote_lines.begin(), out.unclosed_quote_lines.end());
    std::sort(out.non_record_lines.begin(), out.non_record_lines.end());
    std::sort(out.continuation_lines.begin(), out.continuation_lines.end());
    std::sort(out.trailing_field_lines.begin(), out.trailing_field_lines.end());
    out.mixed_line_endings = crlf > 0 && lf > 0;
    return out;
}

std::vector<std::string> split_csv_line(std::string_view line, char delimiter, char quote) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c != quote) {
                fields.back().push_back(c);
            } else if (i + 1 < line.size() && line[i + 1] == quote) {
                fields.back().push_back(quote);
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == quote) {
            quoted = true;
        } else if (c == delimiter) {
            fields.emplace_back();
        } else {
            fields.back().push_back(c);
        }
    }
    return fields;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return i;
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return i;
        }
        i += len;
    }
    return std::nullopt;
}

}  // namespace uplift::io
