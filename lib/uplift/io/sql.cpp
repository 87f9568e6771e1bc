#include "uplift/io/sql.hpp"

namespace uplift::io {

namespace {
std::string quote_with(std::string_view text, char q) {
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

std::string quote_identifier(std::string_view name) { return quote_with(name, '"'); }
std::string quote_literal(std::string_view text) { return quote_with(text, '\''); }

}  // namespace uplift::io
