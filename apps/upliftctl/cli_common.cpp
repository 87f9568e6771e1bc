#include "cli_common.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <stdexcept>

#include "uplift/core/nearest_name.hpp"

namespace upliftctl {

void add_global_options(CLI::App& command, GlobalOptions& global, bool with_seed) {
    command.add_flag("-v,--verbose", global.verbose, "More detail on stderr (repeat for debug)");
    command.add_flag("-q,--quiet", global.quiet, "Nothing on success: no summary on stdout, only errors on stderr");
    command.add_flag("--overwrite", global.overwrite, "Replace existing output files");
    command.add_option("--threads", global.threads, "Worker threads (0: all cores)")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    if (with_seed) {
        command.add_option("--seed", global.seed, "Seed for every random choice (same seed, same output)")
            ->capture_default_str();
    }
    command.add_flag_callback("--progress", [&global] { global.progress = true; }, "Show progress on stderr");
    command.add_flag_callback("--no-progress", [&global] { global.progress = false; }, "Never show progress");
}

CLI::Option* add_param(CLI::App& command, const uplift::TextParam& param, std::string& target) {
    auto* option = command.add_option(std::string(param.flag), target, std::string(param.help));
    if (!param.choices.empty()) {
        option->check(CLI::IsMember(std::vector<std::string>(param.choices.begin(), param.choices.end())));
    }
    if (!param.default_value.empty()) option->default_str(std::string(param.default_value));
    return option;
}

void refuse_negative_unsigned(CLI::App& root) {
    const CLI::Validator no_minus(
        [](std::string& value) {
            const auto first = value.find_first_not_of(" \t");
            if (first != std::string::npos && value[first] == '-') {
                return fmt::format("'{}' is negative; this option takes a whole number from 0 up", value);
            }
            return std::string();
        },
        "", "not negative");
    for (CLI::Option* option : root.get_options()) {
        if (option->get_type_name().rfind("UINT", 0) == 0) option->check(no_minus);
    }
    for (CLI::App* command : root.get_subcommands([](CLI::App*) { return true; })) refuse_negative_unsigned(*command);
}

std::vector<std::string> given(const CLI::App& command, std::initializer_list<const char*> flags) {
    std::vector<std::string> out;
    for (const char* f : flags) {
        if (command.count(f) > 0) out.emplace_back(f);
    }
    return out;
}

std::string help_footer(const std::string& example) {
    return fmt::format("\nExample:\n  {}\n\nExit status: 0 success, 1 internal error, 2 usage error, 3 bad input "
                       "data,\n  4 I/O error, 5 model bundle error, 6 drift past score --drift-fail,\n"
                       "  7 challenger rejected by compare (an outcome, not an error), 130 interrupted.",
                       example);
}

std::vector<double> parse_k_list(const std::vector<std::string>& labels) {
    std::vector<double> ks;
    for (const auto& label : labels) {
        try {
            std::size_t used = 0;
            ks.push_back(std::stod(label, &used));
            if (used != label.size()) throw std::invalid_argument(label);
        } catch (const std::logic_error&) {
            throw uplift::UsageError(fmt::format("--k '{}' is not a number; give fractions like 0.1,0.3", label));
        }
    }
    return ks;
}

uplift::io::CsvDialect CsvFlags::dialect() const {
    uplift::io::CsvDialect d;
    d.delimiter = delimiter == "\\t" ? '\t' : delimiter.front();
    d.decimal = decimal.front();
    d.na_values = na_values;
    d.encoding = encoding;
    return d;
}

void add_csv_flags(CLI::App& command, CsvFlags& flags, const std::string& what) {
    command.add_option("--delimiter", flags.delimiter, what + ": the field separator, one character (\\t for a tab)")
        ->check([](const std::string& v) {
            return v.size() == 1 || v == "\\t" ? std::string() : std::string("give one character, e.g. ';' or \\t");
        })
        ->capture_default_str();
    command.add_option("--decimal", flags.decimal, what + ": the decimal mark of numbers, . or ,")
        ->check(CLI::IsMember({".", ","}))
        ->capture_default_str();
    command.add_option("--na-values", flags.na_values,
                       what + ": words that mean a missing value, besides the empty field (comma-separated, e.g. NA,n/a)")
        ->delimiter(',');
    command.add_option("--encoding", flags.encoding,
                       what + ": utf-8, or latin-1 (converted while reading); other encodings: convert first")
        ->check(CLI::IsMember({"utf-8", "latin-1"}))
        ->capture_default_str();
}

double parse_fraction(const std::string& text, const std::string& flag) {
    std::string t = text;
    const bool percent = !t.empty() && t.back() == '%';
    if (percent) t.pop_back();
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) {
        throw uplift::UsageError(fmt::format("{}: '{}' is not a number or a percentage", flag, text));
    }
    if (percent) v /= 100.0;
    // Written so that NaN fails too: a NaN limit would never be exceeded.
    if (!(v >= 0 && v <= 1)) {
        throw uplift::UsageError(fmt::format("{}: '{}' must be between 0 and 1 (or 0%..100%)", flag, text));
    }
    return v;
}

std::vector<std::string> split_list(const std::string& text, const std::string& flag) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + ",") {
        if (c == ',') {
            if (item.empty()) {
                throw uplift::UsageError(fmt::format("{} '{}' has an empty item; give values like 0.1,0.3", flag, text));
            }
            out.push_back(item);
            item.clear();
        } else {
            item.push_back(c);
        }
    }
    return out;
}

std::string nearest_command(const CLI::App& root, const std::string& typed) {
    std::vector<std::string> names;
    for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
    }
    return uplift::nearest_name(typed, names, 3);  // further than 2 edits is another word, not a typo
}

bool show_progress(const GlobalOptions& global) {
    if (global.progress) return *global.progress;
    return !global.quiet && ::isatty(STDERR_FILENO) != 0;
}

}  // namespace upliftctl
