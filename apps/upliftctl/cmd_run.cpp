// upliftctl run: one month of the loop (ingest → features → train → compare → score → optimize → report) from a
// pipeline file, into a dated run folder.

#include <fmt/format.h>

#include "child_process.hpp"
#include "commands.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/pipeline/pipeline_config.hpp"
#include "uplift/pipeline/run_pipeline.hpp"

namespace upliftctl {

namespace {

struct RunCliOptions {
    std::string pipeline;
    std::string as_of;
    std::string runs;
};

/// The kind of error a stage's exit code stands for, so `run` exits as the stage did.
uplift::ErrorKind kind_of_exit(int code) {
    switch (code) {
    case uplift::exit_code::usage: return uplift::ErrorKind::Usage;
    case uplift::exit_code::data: return uplift::ErrorKind::Data;
    case uplift::exit_code::io: return uplift::ErrorKind::Io;
    case uplift::exit_code::model: return uplift::ErrorKind::Model;
    case uplift::exit_code::drift: return uplift::ErrorKind::Drift;
    default: return uplift::ErrorKind::Internal;
    }
}

/// Every flag of the pipeline file's stage tables must be one its command has: checked against the commands'
/// own option tables before anything runs, at the flag's line.
void check_stage_flags(const uplift::pipeline::PipelineConfig& config) {
    CLI::App root;
    Invocation scratch;
    register_commands(root, scratch);
    for (const auto& [stage, sources] : config.flag_sources) {
        // A named copy: clang 14 (the sanitizer build's) cannot capture a structured binding.
        const std::string& stage_name = stage;
        const auto named = root.get_subcommands([&](CLI::App* sub) { return sub->get_name() == stage_name; });
        const CLI::App* command = named.empty() ? nullptr : named.front();
        for (const auto& [flag, where] : sources) {
            if (command == nullptr || command->get_option_no_throw(flag) == nullptr) {
                throw uplift::UsageError(fmt::format("{}: [{}] {}: `upliftctl {}` has no option {}", where, stage,
                                                     flag.substr(2), stage, flag));
            }
        }
    }
}

void run_run(const RunCliOptions& o, const GlobalOptions& g, int& exit_code) {
    auto config = uplift::pipeline::load_pipeline(o.pipeline);
    check_stage_flags(config);
    if (!o.runs.empty()) config.runs = std::filesystem::absolute(o.runs);
    uplift::pipeline::RunOptions options;
    options.as_of = o.as_of;
    if (g.threads != 0) options.common_args = {"--threads", std::to_string(g.threads)};
    if (!g.quiet) options.say = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    const auto result = uplift::pipeline::run_pipeline(config, options, run_self);
    const auto& r = result.record;
    if (r.status == "failed") {
        uplift::throw_error(kind_of_exit(result.exit_code),
                            fmt::format("stage {} failed with exit {}: {} (logs in {}/logs/, record in {}/run.json)",
                                        r.failed_stage, result.exit_code, result.error, result.folder.string(),
                                        result.folder.string()));
    }
    exit_code = result.exit_code;
    if (g.quiet) return;  // -q: nothing on success, a rejected challenger included (run.json has it)
    fmt::print("run            {} (as of {})\n", result.folder.string(), r.as_of);
    if (r.champion) {
        fmt::print("champion       {}: {} (production model {})\n", r.champion->decision, r.champion->reason,
                   r.champion->production_model);
    }
    fmt::print("plan           {}/plan.csv\nreport         {}/report.html\n", result.folder.string(),
               result.folder.string());
}

}  // namespace

void register_run(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<RunCliOptions>();
    auto* cmd = root.add_subcommand(
        "run", "Run one month of the loop from a pipeline file: ingest, features, train, compare with the champion, "
               "score the base, optimize, report");
    cmd->add_option("pipeline", o->pipeline, "The pipeline file (TOML; see docs/run.md, examples/pipeline_flat.toml and examples/pipeline_retail.toml)")
        ->required();
    cmd->add_option("--as-of", o->as_of,
                    "The run's date, YYYY-MM-DD (default: today, UTC): names the run folder and drives the cutoffs");
    cmd->add_option("--runs", o->runs, "The runs folder, instead of the pipeline file's [run] folder");
    add_global_options(*cmd, invocation.global, false);
    cmd->footer(help_footer("upliftctl run examples/pipeline.toml --as-of 2026-12-01 -q"));
    cmd->callback([o, &invocation] {
        invocation.run = [o, &invocation] { run_run(*o, invocation.global, invocation.exit_code); };
    });
}

}  // namespace upliftctl
