#include "commands.hpp"
namespace upliftctl {
void register_optimize(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("optimize", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
