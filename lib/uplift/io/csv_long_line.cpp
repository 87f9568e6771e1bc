#include "uplift/io/csv_long_line.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace uplift::io {

namespace fs = std::filesystem;

std::optional<LongLine> first_line_longer_than(const fs::path& path, std::uint64_t limit) {
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw IoError(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
    std::vector<char> block(std::size_t{1} << 20);
    std::int64_t line = 1;
    std::uint64_t length = 0;  // of the current line so far, CR included
    bool cr = false;           // the last byte of the current line so far is a CR
    const auto too_long = [&] { return length - (cr ? 1 : 0) > limit; };
    for (std::size_t n; (n = std::fread(block.data(), 1, block.size(), file.get())) > 0;) {
        const char* p = block.data();
        const char* end = p + n;
        while (p < end) {
            const char* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char* stop = lf != nullptr ? lf : end;
            if (stop > p) {
                length += static_cast<std::uint64_t>(stop - p);
                cr = stop[-1] == '\r';
            }
            if (lf == nullptr) break;
            if (too_long()) return LongLine{line, length - (cr ? 1 : 0)};
            ++line;
            length = 0;
            cr = false;
            p = lf + 1;
        }
    }
    if (std::ferror(file.get())) throw IoError(fmt::format("cannot read '{}'", path.string()));
    if (too_long()) return LongLine{line, length - (cr ? 1 : 0)};
    return std::nullopt;
}

void throw_if_line_too_long(const Error& error, const fs::path& scanned, const fs::path& original) {
    static const std::regex pattern("Maximum line size of ([0-9]+) bytes exceeded");
    std::cmatch m;
    if (!std::regex_search(error.what(), m, pattern)) return;
    const std::uint64_t limit = std::stoull(m[1].str());
    const auto found = first_line_longer_than(scanned, limit);
    if (!found) {  // a record of several lines (quoted line breaks) is too long: DuckDB's words, first line
        const std::string what = error.what();
        throw DataError(fmt::format("'{}': {}", original.string(), what.substr(0, what.find('\n'))));
    }
    throw DataError(fmt::format("'{}', line {}: the line is {} bytes long, over the {} bytes a CSV line may hold "
                                "(a field that size is a broken export: fix or remove the line)",
                                original.string(), found->line, found->bytes, limit));
}

}  // namespace uplift::io
