#include "commands.hpp"
namespace upliftctl {
void register_features(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("features", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
