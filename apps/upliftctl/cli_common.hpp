#pragma once
// Options every command shares, and the plumbing between CLI11 and `main`: a command's callback only
// stores what to run; `main` runs it inside its single try block after parsing.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

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
};

/// Adds -v/-q/--overwrite/--threads/--seed/--progress to a subcommand, bound to `global`.
void add_global_options(CLI::App& command, GlobalOptions& global, bool with_seed);

/// Footer text for a command's --help: an example, then the exit codes every command shares.
std::string help_footer(const std::string& example);

/// "1%" → 0.01, "0.01" → 0.01; throws CLI::ValidationError otherwise.
double parse_fraction(const std::string& text, const std::string& flag);

/// "a,b,c" → {"a","b","c"} with empty items removed.
std::vector<std::string> split_list(const std::string& text);

/// Whether progress should be shown, from --progress/--no-progress or stderr being a terminal.
bool show_progress(const GlobalOptions& global);

}  // namespace upliftctl
