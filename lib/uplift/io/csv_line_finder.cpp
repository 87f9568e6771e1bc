#include "uplift/io/csv_line_finder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_blocks.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

/// Up to 8 bytes of `s` starting at `from`, as a number (missing bytes are zero).
std::uint64_t load8(std::string_view s, std::size_t from) {
    std::uint64_t v = 0;
    if (from >= s.size()) return v;
    std::memcpy(&v, s.data() + from, std::min<std::size_t>(8, s.size() - from));
    return v;
}

/// A cheap hash of a line from its length and its first and last 8 bytes: retail lines differ there
/// (ids at the start, amounts at the end), and it costs the same for any line length.
std::size_t fingerprint(std::string_view s, std::size_t buckets) {
    const std::uint64_t head = load8(s, 0);
    const std::uint64_t tail = s.size() > 8 ? load8(s, s.size() - 8) : 0;
    std::uint64_t h = (s.size() + 1) * 0x9E3779B97F4A7C15ull;
    h = (h ^ head) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ tail) * 0x94D049BB133111EBull;
    return static_cast<std::size_t>(h >> 32) & (buckets - 1);
}

bool has_odd_quotes(std::string_view line) { return std::count(line.begin(), line.end(), '"') % 2 != 0; }

}  // namespace

std::optional<std::string> unquoted_csv_line(const std::vector<std::optional<std::string>>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) line += ',';
        if (!fields[i]) continue;
        if (fields[i]->find_first_of("\",\r\n") != std::string::npos) return std::nullopt;
        line += *fields[i];
    }
    return line;
}

std::string first_csv_line(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read '{}'", path.string()));
    std::string line;
    std::getline(in, line);
    if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // DuckDB skips a UTF-8 BOM too
    if (line.ends_with('\r')) line.pop_back();
    return line;
}

bool CsvLineFinder::add(std::string text, std::size_t id) {
    if (text.find_first_of("\r\n") != std::string::npos || ids_.contains(text)) return false;
    texts_.push_back(std::move(text));
    ids_.emplace(texts_.back(), id);
    fingerprints_[fingerprint(texts_.back(), fingerprints_.size())] = true;
    return true;
}

bool CsvLineFinder::maybe_added(std::string_view line) const noexcept {
    return fingerprints_[fingerprint(line, fingerprints_.size())];
}

/// One physical line (its number already counted in `out.lines`), without its LF.
void CsvLineFinder::scan_line(std::string_view line, bool may_hold_quotes, CsvLineScan& out) const {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files
    if (may_hold_quotes && has_odd_quotes(line)) out.quote_spans_lines = true;
    if (out.lines == 1 || !maybe_added(line)) return;
    const auto it = ids_.find(line);
    if (it != ids_.end()) out.matches.push_back({out.lines, it->second});
}

CsvLineScan CsvLineFinder::scan(const fs::path& path) const {
    CsvLineScan out;
    std::string carry;  // the start of a line cut by the end of a block
    for_each_file_block(path, [&](const char* data, std::size_t n) {
        // Quotes are rare in the files this is for: a block without any skips counting them per line.
        const bool quotes = std::memchr(data, '"', n) != nullptr;
        const char* p = data;
        const char* const end = data + n;
        while (const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
            const char* eol = static_cast<const char*>(hit);
            ++out.lines;
            if (carry.empty()) {
                scan_line({p, static_cast<std::size_t>(eol - p)}, quotes, out);
            } else {
                carry.append(p, eol);
                scan_line(carry, true, out);
                carry.clear();
            }
            p = eol + 1;
        }
        carry.append(p, end);
    });
    if (!carry.empty()) {  // a last line without LF
        ++out.lines;
        scan_line(carry, true, out);
    }
    return out;
}

}  // namespace uplift::io
