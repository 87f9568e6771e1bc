#include "commands.hpp"

#include "uplift/core/version.hpp"

namespace upliftctl {

void register_commands(CLI::App& root, Invocation& invocation) {
    root.set_version_flag("--version", std::string("upliftctl ") + uplift::version());
    root.require_subcommand(1);
    root.footer("\nPipeline: ingest -> features -> train -> score -> evaluate -> optimize -> report;\n"
                "next month: measure (what the plan delivered, from its hold-out); compare (a newly trained model\n"
                "against the production one, before it replaces it); segments (client portraits: clusters, their\n"
                "best offer).\n"
                "Run `upliftctl <command> --help` for a command's options and an example.");
    register_ingest(root, invocation);
    register_features(root, invocation);
    register_train(root, invocation);
    register_score(root, invocation);
    register_evaluate(root, invocation);
    register_optimize(root, invocation);
    register_report(root, invocation);
    register_measure(root, invocation);
    register_compare(root, invocation);
    register_segments(root, invocation);
    register_simulate(root, invocation);
    register_run(root, invocation);
    refuse_negative_unsigned(root);
}

}  // namespace upliftctl
