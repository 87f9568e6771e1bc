#pragma once
// Options every command shares, and the plumbing between CLI11 and `main`: a command's callback only
// stores what to run; `main` runs it inside its single try block after parsing.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/params.hpp"
#include "uplift/io/csv_dialect.hpp"

namespace upliftctl {

struct GlobalOptions {
    int verbose = 0;
    bool quiet = false;
    bool overwrite = false;
    int threads = 0;          // 0: all cores
    std::uint64_t seed = 42;
    std::optional<bool> progress;  // unset: only when stderr is a terminal
};

/// What `main` runs after a successful parse.
struct Invocation {
    GlobalOptions global;
    std::function<void()> run;
    /// What `main` returns when run() completes: success, or an outcome with a code of its own that is not an
    /// error (a rejected challenger, exit 7, from `compare` and from `run`).
    int exit_code = uplift::exit_code::success;
};

/// Adds -v/-q/--overwrite/--threads/--seed/--progress to a subcommand, bound to `global`.
void add_global_options(CLI::App& command, GlobalOptions& global, bool with_seed);

/// Adds the option a declaration describes (uplift/core/params.hpp), bound to `target`: its help, its
/// default, and a check that refuses exactly what the library refuses, with the library's message.
template <class T>
CLI::Option* add_param(CLI::App& command, const uplift::Param<T>& param, T& target) {
    CLI::Validator bounds(
        [&param](std::string& text) -> std::string {
            T value{};
            if (!CLI::detail::lexical_cast(text, value)) {
                // A whole number too big for the option's type fails to convert too: say which it is.
                const auto digits = text.find_first_not_of("+-") == std::string::npos ? std::string::npos
                                                                                       : text.find_first_not_of("+-");
                if (std::is_integral_v<T> && digits != std::string::npos && digits <= 1 &&
                    text.find_first_not_of("0123456789", digits) == std::string::npos) {
                    const std::string range = param.range_text();
                    return range.empty() ? fmt::format("'{}' is too large", text)
                                         : fmt::format("'{}' is out of range: it must be {}{}", text,
                                                       range.front() == '[' ? "in " : "", range);
                }
                return fmt::format("'{}' is not a number", text);
            }
            return param.violation(value).value_or("");
        },
        param.range_text());
    return command.add_option(std::string(param.flag), target, std::string(param.help))
        ->check(bounds)
        ->default_str(uplift::param_text(param.default_value));
}

/// The same for a text parameter: one of its choices, when it has any.
CLI::Option* add_param(CLI::App& command, const uplift::TextParam& param, std::string& target);

/// The CSV dialect flags as typed (--delimiter, --decimal, --na-values, --encoding).
struct CsvFlags {
    std::string delimiter = ",";
    std::string decimal = ".";
    std::vector<std::string> na_values;
    std::string encoding = "utf-8";
    uplift::io::CsvDialect dialect() const;
};

/// Adds the CSV dialect flags to a command; `what` names the inputs they apply to in the help.
void add_csv_flags(CLI::App& command, CsvFlags& flags, const std::string& what);

/// Footer text for a command's --help: an example, then the exit codes every command shares.
std::string help_footer(const std::string& example);

/// Those of `flags` given on the command line: a command whose mode follows from its flags checks they do not mix.
std::vector<std::string> given(const CLI::App& command, std::initializer_list<const char*> flags);

/// "1%" → 0.01, "0.01" → 0.01; anything else, NaN or a value outside [0, 1] is a UsageError naming `flag`
/// (it runs after parsing, where only uplift::Error maps to exit 2).
double parse_fraction(const std::string& text, const std::string& flag);

/// "a,b,c" → {"a","b","c"}. An empty item ("0.1,,0.3", a trailing comma) is a UsageError naming `flag`: it is
/// a typo, not a value to skip.
std::vector<std::string> split_list(const std::string& text, const std::string& flag);

/// The fractions of a --k list as typed ("0.1", "0.3"): a UsageError for an item that is not a number (the
/// range (0, 1] is the library's check).
std::vector<double> parse_k_list(const std::vector<std::string>& labels);

/// The registered subcommand nearest to `typed` (edit distance at most 2), or "" — for "did you mean …".
std::string nearest_command(const CLI::App& root, const std::string& typed);

/// CLI11 reads "-1" into an unsigned option as 18446744073709551615. Every unsigned option of every command
/// under `root` refuses a minus sign instead, with one line naming the option.
void refuse_negative_unsigned(CLI::App& root);

/// Whether progress should be shown, from --progress/--no-progress or stderr being a terminal.
bool show_progress(const GlobalOptions& global);

}  // namespace upliftctl
