#include "commands.hpp"
namespace upliftctl {
void register_score(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("score", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
