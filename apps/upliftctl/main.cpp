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

int main(int argc, char** argv) {
    CLI::App app{"upliftctl: whom to give the discount. Uplift models, budget plans and reports for retail offers.",
                 "upliftctl"};
    upliftctl::Invocation invocation;
    upliftctl::register_commands(app, invocation);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints help, the version, or the parse error
        return code == 0 ? 0 : uplift::exit_code::usage;
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
        return uplift::exit_code::success;
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
