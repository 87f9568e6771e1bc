// upliftctl: parse, run one command, map errors to documented exit codes. Nothing else lives here.

#include <fmt/format.h>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <new>

#include "cli_common.hpp"
#include "commands.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"

namespace {

/// Ctrl-C or a cron timeout: remove half-written outputs and exit 130, as ninja does.
extern "C" void on_interrupt(int) {
    uplift::io::remove_pending_outputs();
    constexpr char message[] = "upliftctl: interrupted\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, message, sizeof(message) - 1);
    ::_exit(uplift::exit_code::interrupted);
}

}  // namespace

namespace {

/// "train " when a subcommand was parsed, "" otherwise: where a parse error's "see … --help" points.
std::string command_of(const CLI::App& app) {
    const auto commands = app.get_subcommands();
    return commands.empty() ? std::string() : commands.front()->get_name() + " ";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"upliftctl: whom to give the discount. Uplift models, budget plans and reports for retail offers.",
                 "upliftctl"};
    upliftctl::Invocation invocation;
    upliftctl::register_commands(app, invocation);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help or --version
        // One line, like every other error; a mistyped command gets the nearest one.
        const std::string typed = argc > 1 ? argv[1] : "";
        const std::string nearest =
            !typed.empty() && typed[0] != '-' && app.get_subcommands().empty() ? upliftctl::nearest_command(app, typed)
                                                                               : std::string();
        if (!typed.empty() && typed[0] != '-' && app.get_subcommands().empty()) {
            fmt::print(stderr, "upliftctl: error: unknown command '{}'{}; see upliftctl --help\n", typed,
                       nearest.empty() ? "" : fmt::format(" (did you mean '{}'?)", nearest));
        } else {
            fmt::print(stderr, "upliftctl: error: {} (see upliftctl {}--help)\n", e.what(), command_of(app));
        }
        return uplift::exit_code::usage;
    } catch (const uplift::Error& e) {  // a value checked while parsing (e.g. --max-reject-rate 150%)
        fmt::print(stderr, "upliftctl: error: {} (see upliftctl {}--help)\n", e.what(), command_of(app));
        return uplift::exit_code_of(e.kind());
    }
    const auto& g = invocation.global;
    uplift::log::configure(g.quiet ? uplift::log::Level::Error
                           : g.verbose > 1 ? uplift::log::Level::Debug
                           : g.verbose == 1 ? uplift::log::Level::Info
                                            : uplift::log::Level::Warn);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    try {
        invocation.run();
        return invocation.exit_code;
    } catch (const uplift::Error& e) {
        fmt::print(stderr, "upliftctl: error: {}\n", e.what());
        return uplift::exit_code_of(e.kind());
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "upliftctl: error: out of memory; try a smaller input or fewer --threads\n");
        return uplift::exit_code::internal;
    } catch (const std::exception& e) {
        fmt::print(stderr, "upliftctl: error: internal error (a bug, please report it): {}\n", e.what());
        return uplift::exit_code::internal;
    }
}
