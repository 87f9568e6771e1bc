#pragma once
// Every subcommand, registered in one place.

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace upliftctl {

void register_ingest(CLI::App& root, Invocation& invocation);
void register_features(CLI::App& root, Invocation& invocation);
void register_train(CLI::App& root, Invocation& invocation);
void register_score(CLI::App& root, Invocation& invocation);
void register_evaluate(CLI::App& root, Invocation& invocation);
void register_optimize(CLI::App& root, Invocation& invocation);
void register_report(CLI::App& root, Invocation& invocation);
void register_measure(CLI::App& root, Invocation& invocation);
void register_compare(CLI::App& root, Invocation& invocation);
void register_segments(CLI::App& root, Invocation& invocation);
void register_simulate(CLI::App& root, Invocation& invocation);
void register_run(CLI::App& root, Invocation& invocation);

/// Registers every subcommand, the version flag, and requires exactly one subcommand.
void register_commands(CLI::App& root, Invocation& invocation);

}  // namespace upliftctl
