#include "uplift/io/sql.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::io {

namespace {

/// The text with control bytes written as \xNN, for a message.
std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7f) {
            out += fmt::format("\\x{:02x}", b);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string quote_with(std::string_view text, char q, const char* what) {
    // DuckDB takes SQL as a NUL-terminated string: a NUL inside a name would cut the statement short, and
    // DuckDB's parse error would then read as a bug in our SQL (exit 1). It comes from the user's data.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        throw DataError(fmt::format("{} '{}' holds a NUL byte (byte {}); is the file UTF-8 text?", what,
                                    printable(text), nul + 1));
    }
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back(q);
    for (char c : text) {
        if (c == q) out.push_back(q);
        out.push_back(c);
    }
    out.push_back(q);
    return out;
}

}  // namespace

std::string quote_identifier(std::string_view name) { return quote_with(name, '"', "column name"); }
std::string quote_literal(std::string_view text) { return quote_with(text, '\'', "text"); }

}  // namespace uplift::io
