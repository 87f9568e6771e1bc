// The monthly loop's blocks as HTML sections: what monthly_blocks.cpp words, escaped and laid out.

#include "uplift/report/html_context.hpp"
#include "uplift/report/monthly_blocks.hpp"

namespace uplift::report::html {

namespace {

std::string cell(const char* tag, const std::string& text, bool numeric) {
    return std::string("<") + tag + (numeric ? " class=\"num\">" : ">") + esc(text) + "</" + tag + ">";
}

std::string table_html(const TextTable& t) {
    std::string out;
    if (!t.caption.empty()) out += "<h3>" + esc(t.caption) + "</h3>";
    out += "<table class=\"data\"><thead><tr>";
    for (std::size_t i = 0; i < t.header.size(); ++i) out += cell("th", t.header[i], t.numeric[i]);
    out += "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < row.size(); ++i) out += cell("td", row[i], i < t.numeric.size() && t.numeric[i]);
        out += "</tr>";
    }
    return out + "</tbody></table>";
}

}  // namespace

std::string monthly_sections(const Context& c) {
    std::string out;
    for (const TextBlock& b : monthly_blocks(c.report())) {
        // "monthly": the print stylesheet keeps each of these blocks on one page.
        out += "<section class=\"block monthly\" id=\"" + b.id + "\"><h2>" + esc(b.title) + "</h2>";
        for (const auto& line : b.lines) out += "<p>" + esc(line) + "</p>";
        for (const auto& t : b.tables) out += table_html(t);
        for (const auto& note : b.notes) out += "<p class=\"note\">" + esc(note) + "</p>";
        out += "</section>\n";
    }
    return out;
}

}  // namespace uplift::report::html
