#include "commands.hpp"
namespace upliftctl {
void register_report(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("report", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
