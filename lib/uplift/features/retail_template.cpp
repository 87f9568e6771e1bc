#include "uplift/features/retail_template.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "uplift/core/errors.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::features {

namespace {

using Vars = std::map<std::string, std::string>;

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

std::string substitute(std::string line, const Vars& vars) {
    for (const auto& [name, value] : vars) {
        const std::string token = "{" + name + "}";
        for (auto at = line.find(token); at != std::string::npos; at = line.find(token, at + value.size())) {
            line.replace(at, token.size(), value);
        }
    }
    return line;
}

class Expander {
public:
    Expander(std::string_view family, const RecipeContext& context) : family_(family), context_(context) {}

    ExpandedRecipe run(std::string_view text) {
        std::vector<std::string> lines;
        for (std::size_t begin = 0; begin < text.size();) {
            auto end = text.find('\n', begin);
            if (end == std::string_view::npos) end = text.size();
            lines.emplace_back(text.substr(begin, end - begin));
            begin = end + 1;
        }
        Vars vars{{"cutoff", context_.cutoff}, {"cutoff_date", context_.cutoff_date}};
        expand(lines, 0, lines.size(), vars, "");
        return std::move(out_);
    }

private:
    /// The index of the --@end closing the block opened at `open`.
    std::size_t block_end(const std::vector<std::string>& lines, std::size_t open, std::size_t end) const {
        int depth = 0;
        for (std::size_t i = open; i < end; ++i) {
            const std::string t = trim(lines[i]);
            if (t.starts_with("--@each") || t.starts_with("--@if")) ++depth;
            if (t == "--@end" && --depth == 0) return i;
        }
        throw InternalError(fmt::format("feature recipe '{}': block opened at line {} has no --@end", family_, open + 1));
    }

    void expand(const std::vector<std::string>& lines, std::size_t begin, std::size_t end, const Vars& vars,
                const std::string& block_window) {
        for (std::size_t i = begin; i < end; ++i) {
            const std::string t = trim(lines[i]);
            if (t.starts_with("--@window")) {
                window_ = trim(std::string_view(t).substr(9));
                continue;
            }
            if (t.starts_with("--@if")) {
                const std::size_t close = block_end(lines, i, end);
                const std::string what = trim(std::string_view(t).substr(5));
                if (what != "products" && what != "outcomes") {
                    throw InternalError(fmt::format("feature recipe '{}': unknown condition '{}'", family_, what));
                }
                if (what == "products" ? context_.products : context_.outcomes) expand(lines, i + 1, close, vars, block_window);
                i = close;
                continue;
            }
            if (t.starts_with("--@each")) {
                const std::size_t close = block_end(lines, i, end);
                const std::string what = trim(std::string_view(t).substr(7));
                const int wmax = context_.windows.back();
                if (what == "window" || what == "shorter_window") {
                    for (int w : context_.windows) {
                        if (what == "shorter_window" && w == wmax) continue;
                        Vars v = vars;
                        v["w"] = std::to_string(w);
                        v["wmax"] = std::to_string(wmax);
                        const std::string label = what == "window" ? fmt::format("{}d", w) : fmt::format("{}d/{}d", w, wmax);
                        expand(lines, i + 1, close, v, label);
                    }
                } else if (what == "level_1") {
                    for (const auto& level : context_.level_1) {
                        Vars v = vars;
                        v["level"] = io::quote_literal(level.value);
                        v["key"] = level.key;
                        std::string text = level.value;  // lands in a comment: no line breaks
                        for (char& c : text) c = static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
                        v["level_text"] = text;
                        expand(lines, i + 1, close, v, block_window);
                    }
                } else {
                    throw InternalError(fmt::format("feature recipe '{}': unknown list '{}'", family_, what));
                }
                i = close;
                continue;
            }
            if (t == "--@end") throw InternalError(fmt::format("feature recipe '{}': stray --@end", family_));
            const std::string line = substitute(lines[i], vars);
            declare(line, block_window.empty() ? window_ : block_window);
            out_.sql += line;
            out_.sql += '\n';
        }
    }

    void declare(const std::string& line, const std::string& window) {
        static const std::regex feature(R"(\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*--\s*(.*\S)\s*$)");
        std::smatch m;
        if (!std::regex_search(line, m, feature)) return;
        out_.features.push_back({m[1].str(), family_, window, m[2].str()});
    }

    std::string family_;
    const RecipeContext& context_;
    std::string window_;
    ExpandedRecipe out_;
};

}  // namespace

ExpandedRecipe expand_recipe(std::string_view family, std::string_view text, const RecipeContext& context) {
    if (context.windows.empty()) throw InternalError("feature recipes need at least one window");
    return Expander(family, context).run(text);
}

std::vector<CategoryLevel> category_levels(const std::vector<std::string>& values) {
    std::vector<CategoryLevel> out;
    // The fold-in key is never a category's: a category named "__other__" gets "__other___2".
    std::set<std::string> used{category_other_key};
    for (const auto& value : values) {
        std::string key;
        for (unsigned char c : value) {
            if (key.size() == 40) break;
            key += std::isalnum(c) != 0 && c < 128 ? static_cast<char>(std::tolower(c)) : '_';
        }
        if (key.empty()) key = "blank";
        std::string unique = key;
        for (int n = 2; used.contains(unique); ++n) unique = fmt::format("{}_{}", key, n);
        used.insert(unique);
        out.push_back({value, unique});
    }
    return out;
}

}  // namespace uplift::features
