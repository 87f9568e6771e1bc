#include "uplift/report/html_escape.hpp"

#include <cstdint>

namespace uplift::report {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8.
    const std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_length(text, i);
        if (len == 0) {
            out += replacement;
            ++i;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (len == 1 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)) {
            out += replacement;
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string escape_html(std::string_view text) {
    const std::string clean = sanitize_utf8(text);
    std::string out;
    out.reserve(clean.size() + clean.size() / 8);
    for (const char c : clean) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string json_for_script(std::string_view json) {
    std::string out;
    out.reserve(json.size() + json.size() / 16);
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '<') {
            out += "\\u003c";
        } else if (c == '>') {
            out += "\\u003e";
        } else if (c == '&') {
            out += "\\u0026";
        } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
                   (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
            // Line and paragraph separators end a line in older JavaScript parsers.
            out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_markdown(std::string_view text) {
    const std::string clean = sanitize_utf8(text);
    std::string out;
    out.reserve(clean.size() + clean.size() / 4);
    for (std::size_t i = 0; i < clean.size(); ++i) {
        const char c = clean[i];
        const char next = i + 1 < clean.size() ? clean[i + 1] : '\0';
        const bool letter = (next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z');
        switch (c) {
        // Only what could open a tag or an entity needs an entity: "< 0.001" stays readable in plain text.
        case '<':
            out += letter || next == '/' || next == '!' || next == '?' ? "&lt;" : "<";
            break;
        case '&':
            out += letter || next == '#' ? "&amp;" : "&";
            break;
        case '\n':
        case '\r':
        case '\t': out += ' '; break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '|': case '~':
            out += '\\';
            out += c;
            break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace uplift::report
