// upliftctl measure: what the last plan delivered, from its clients' realised outcomes.

#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "uplift/artifacts/measurement.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/optimize/measure.hpp"

namespace upliftctl {

namespace {

struct MeasureCliOptions {
    uplift::optimize::MeasureRequest request;
    std::string out;
    std::string adjust = "auto";
};

void run_measure(MeasureCliOptions o, const GlobalOptions& g) {
    auto& r = o.request;
    r.adjustment = uplift::optimize::parse_adjustment(o.adjust);
    if (!o.out.empty()) {
        uplift::io::check_distinct_outputs({o.out}, {r.plan_json, r.outcomes, r.plan_list});
        uplift::io::check_writable(o.out, g.overwrite, uplift::io::OutputShape::File);
    }
    std::vector<std::filesystem::path> inputs{r.plan_json, r.outcomes};
    if (!r.plan_list.empty()) inputs.push_back(r.plan_list);
    r.provenance_json = uplift::artifacts::to_json(uplift::artifacts::provenance_of("measure", inputs));
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    const auto m = uplift::optimize::measure_plan(session, r);
    if (!o.out.empty()) {
        uplift::io::AtomicOutput json(o.out, g.overwrite);
        uplift::io::write_file(json.temp_path(), uplift::artifacts::to_json(m), o.out);
        json.commit();
    } else {
        fmt::print("{}", uplift::artifacts::to_json(m));  // the output itself, so -q does not silence it
        return;
    }
    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    fmt::print("measure        {} ({})\n{}", o.out, uplift::optimize::method_text(m), uplift::optimize::measure_text(m));
}

}  // namespace

void register_measure(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<MeasureCliOptions>();
    auto* cmd = root.add_subcommand("measure", "Measure what a plan with a hold-out delivered, from realised outcomes");
    cmd->add_option("--plan", o->request.plan_json, "plan.json written by `upliftctl optimize --control-share S`")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--outcomes", o->request.outcomes, "Realised outcomes (.csv or .parquet): client id and outcome")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--plan-list", o->request.plan_list,
                    "The plan's client list (default: the plan.csv that plan.json names, beside it)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--id", o->request.id_column, "Client id column in --outcomes (default: the plan's id column)");
    cmd->add_option("--outcome", o->request.outcome_column,
                    "Outcome column in --outcomes (default: the outcome role the plan's scores recorded)");
    cmd->add_option("--adjust", o->adjust,
                    "auto: when the plan list has baseline_outcome (the model's predicted outcome without an "
                    "offer), the headline is adjusted for it and the difference of means is shown beside it; "
                    "off: the difference of means only")
        ->check(CLI::IsMember({"auto", "off"}))
        ->capture_default_str();
    cmd->add_option("-o,--out", o->out, "measure.json to write (default: the JSON on stdout, no summary)");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl measure --plan plan.json --outcomes outcomes.csv --outcome target -o measure.json"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_measure(*o, invocation.global); }; });
}

}  // namespace upliftctl
