// upliftctl compare: champion and challenger on the challenger's holdout rows; exit 7 when it is rejected.

#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "uplift/artifacts/comparison.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/model/compare.hpp"

namespace upliftctl {

namespace {

struct CompareCliOptions {
    uplift::model::CompareRequest request;
    std::string k = "0.1,0.3";
    std::string out;
};

/// compare.json's provenance: both models' manifests (the champion's when it exists) and the rows' file.
std::string provenance_json(const uplift::model::CompareRequest& r) {
    std::vector<std::filesystem::path> inputs{r.challenger / "model.json", r.features};
    if (!r.champion.empty() && std::filesystem::exists(r.champion / "model.json")) {
        inputs.insert(inputs.begin(), r.champion / "model.json");
    }
    return uplift::artifacts::to_json(uplift::artifacts::provenance_of("compare", inputs));
}

void run_compare(CompareCliOptions o, Invocation& invocation) {
    const auto& g = invocation.global;
    auto& r = o.request;
    if (!o.out.empty()) {
        uplift::io::check_distinct_outputs({o.out}, {r.features, r.challenger, r.champion});
        uplift::io::check_writable(o.out, g.overwrite, uplift::io::OutputShape::File);
    }
    r.options.k_labels = split_list(o.k, "--k");
    r.options.ks = parse_k_list(r.options.k_labels);
    r.options.seed = g.seed;
    r.options.threads = g.threads;
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    r.provenance_json = provenance_json(r);
    const auto c = uplift::model::compare_models(session, r);
    const bool rejected = c.decision == uplift::artifacts::Decision::Reject;
    if (rejected) invocation.exit_code = uplift::exit_code::rejected;
    if (o.out.empty()) {
        fmt::print("{}", uplift::artifacts::to_json(c));  // the output itself, so -q does not silence it
    } else {
        uplift::io::AtomicOutput json(o.out, g.overwrite);
        uplift::io::write_file(json.temp_path(), uplift::artifacts::to_json(c), o.out);
        json.commit();
        if (!g.quiet) fmt::print("compare    {} -> {}\n{}", r.challenger.string(), o.out, uplift::model::comparison_text(c));
    }
    // Not an error, so no "error:" prefix; but the one line that explains exit 7 is always there.
    if (rejected) fmt::print(stderr, "upliftctl: challenger rejected (exit 7): {}\n", c.reason);
}

}  // namespace

void register_compare(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<CompareCliOptions>();
    auto* cmd = root.add_subcommand(
        "compare", "Compare a newly trained model with the production one on its holdout; promote or reject it");
    cmd->add_option("--champion", o->request.champion,
                    "The production model folder (leave out on a first run: the challenger is promoted)");
    cmd->add_flag("--first-run-ok", o->request.first_run_ok,
                  "A --champion folder that does not exist means no champion yet (promote), not an error");
    cmd->add_option("--challenger", o->request.challenger, "The newly trained model folder (with holdout.parquet)")
        ->required();
    cmd->add_option("--features", o->request.features,
                    "The features the challenger was trained on (.parquet or .csv, with treatment and outcome)")
        ->required();
    add_param(*cmd, uplift::model::compare_params::margin, o->request.options.margin);
    add_param(*cmd, uplift::model::compare_params::metric, o->request.options.metric);
    cmd->add_option("--k", o->k, "Fractions for uplift@k, comma-separated, each in (0, 1]")->capture_default_str();
    add_param(*cmd, uplift::model::compare_params::bootstrap, o->request.options.bootstrap);
    cmd->add_option("-o,--out", o->out, "compare.json to write (default: the JSON on stdout, no table)");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl compare --champion prod/model --challenger new/model --features features.parquet "
                            "-o compare.json"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_compare(*o, invocation); }; });
}

}  // namespace upliftctl
