#include "commands.hpp"
namespace upliftctl {
void register_train(CLI::App& root, Invocation& invocation) {
    auto* cmd = root.add_subcommand("train", "(not yet)");
    add_global_options(*cmd, invocation.global, false);
}
}  // namespace upliftctl
