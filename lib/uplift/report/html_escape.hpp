#pragma once
/// Escaping for every string that comes from data (ids, column names, levels, file names) before it
/// enters a report. A report is opened by people who never look at its source, so a level named
/// `<script>…` must show as text and never run.

#include <string>
#include <string_view>

namespace uplift::report {

/// Text safe in HTML element content and in quoted attribute values (& < > " ' escaped). Invalid UTF-8 and
/// control characters other than tab and newline become U+FFFD, so a broken byte cannot confuse the parser.
std::string escape_html(std::string_view text);

/// JSON text safe inside a <script> element: <, >, & and U+2028/U+2029 become \u escapes, which JSON.parse
/// reads back unchanged, so "</script>" or "<!--" in a string cannot end or alter the element.
std::string json_for_script(std::string_view json);

/// Text for a Markdown table cell or paragraph: emphasis, link, code and table punctuation backslash-escaped,
/// "<" and "&" as entities where they could open a tag or an entity (Markdown renderers pass raw HTML
/// through), line breaks as spaces.
std::string escape_markdown(std::string_view text);

/// `text` with invalid UTF-8 sequences and control characters (except tab and newline) replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

}  // namespace uplift::report
