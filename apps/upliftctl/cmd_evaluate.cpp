#include "commands.hpp"
namespace upliftctl {
void register_evaluate(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("evaluate", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
