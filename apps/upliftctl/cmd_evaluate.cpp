// upliftctl evaluate: uplift metrics (scikit-uplift conventions) of a scored table with outcomes.

#include <fmt/format.h>

#include "commands.hpp"
#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/eval/oracle.hpp"
#include "uplift/eval/scored_table.hpp"
#include "uplift/io/table_io.hpp"

namespace upliftctl {

namespace {

struct EvaluateOptions {
    std::string scores;
    uplift::eval::ScoredColumns columns;
    std::string k = "0.1,0.2,0.3";
    int bins = uplift::eval::evaluate_params::bins.default_value;
    int bootstrap = uplift::eval::evaluate_params::bootstrap.default_value;
    bool json = false;
    std::string truth;
    std::string truth_col = "uplift";
    std::string id;
    CsvFlags csv;
};

void run_evaluate(const EvaluateOptions& o, const GlobalOptions& g) {
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    const auto table = uplift::io::read_table(session, o.scores, o.csv.dialect());
    const auto input = uplift::eval::select_scored_input(table, o.scores, o.columns);
    uplift::eval::EvaluationOptions options;
    options.k_labels = split_list(o.k, "--k");
    options.ks = parse_k_list(options.k_labels);
    options.bins = o.bins;
    options.bootstrap = o.bootstrap;
    options.seed = g.seed;
    const auto evaluation = uplift::eval::evaluate(input, o.scores, options);
    // How the scores were made says what these figures are worth: in-sample ones flatter the model.
    const auto info = uplift::artifacts::load_scores_info(table.metadata(), o.scores);
    const std::string origin = info ? std::string(uplift::artifacts::to_string(info->scored_as)) : "origin not recorded";
    if (info && info->scored_as == uplift::artifacts::ScoredAs::InSample) {
        uplift::log::warn("'{}' holds in-sample scores (the model was fitted on these rows): these figures flatter the "
                          "model; evaluate the model folder's holdout.parquet or out_of_fold.parquet",
                          o.scores);
    }
    std::optional<uplift::eval::OracleCheck> oracle;
    if (!o.truth.empty()) {
        const auto truth = uplift::io::read_table(session, o.truth, o.csv.dialect());
        oracle = uplift::eval::check_against_truth(table, o.scores, input.rows, input.score, o.id, truth, o.truth, o.truth_col,
                                                   options.ks, options.k_labels);
    }
    if (o.json) {
        const auto json = uplift::artifacts::to_json(evaluation);
        fmt::print("{}\n", oracle ? uplift::eval::add_oracle_json(json, *oracle) : json);
        return;
    }
    fmt::print("scores     {} ({})\ntreatment  {} = '{}' vs '{}'   score {}   outcome {}\n\n{}", o.scores, origin,
               input.resolved.treatment, input.resolved.treatment_level, input.resolved.control, input.resolved.score,
               input.resolved.outcome, uplift::eval::to_text_table(evaluation));
    if (oracle) {
        fmt::print("\nagainst the true uplift in {} ({} rows): share of the oracle's top-k uplift captured\n", o.truth,
                   oracle->matched);
        for (const auto& [k, v] : oracle->capture) fmt::print("  capture@{:<6} {:.4f}\n", k, v);
    }
}

}  // namespace

void register_evaluate(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<EvaluateOptions>();
    auto* cmd = root.add_subcommand("evaluate", "Uplift metrics of scores with known treatment and outcome");
    cmd->add_option("-s,--scores", o->scores, "Scored table with treatment and outcome (e.g. model/holdout.parquet)")
        ->required();
    cmd->add_option("--score", o->columns.score, "Score column (default: uplift__<level>, else uplift)");
    cmd->add_option("--treatment", o->columns.treatment, "Treatment column (default: from the file's roles)");
    cmd->add_option("--control", o->columns.control, "Control level (default: from the file's roles)");
    cmd->add_option("--treatment-level", o->columns.treatment_level,
                    "Treated level to compare with control (default: the only one)");
    cmd->add_option("--outcome", o->columns.outcome, "Outcome column (default: from the file's roles)");
    cmd->add_option("--k", o->k, "Fractions for uplift@k, comma-separated, each in (0, 1]")->capture_default_str();
    add_param(*cmd, uplift::eval::evaluate_params::bins, o->bins);
    add_param(*cmd, uplift::eval::evaluate_params::bootstrap, o->bootstrap);
    cmd->add_flag("--json", o->json, "Print JSON instead of a table");
    cmd->add_option("--truth", o->truth,
                    "Known true uplift per client (e.g. simulate's truth.csv): adds capture@k, the share of the "
                    "oracle's top-k true uplift that the scores' top k holds");
    cmd->add_option("--truth-col", o->truth_col, "True-uplift column of --truth")->capture_default_str();
    cmd->add_option("--id", o->id, "Id column joining scores and truth (default: from the scores' roles)");
    add_csv_flags(*cmd, o->csv, "CSV --scores and --truth");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl evaluate -s model/holdout.parquet --k 0.1,0.3 --bootstrap 200 --json"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_evaluate(*o, invocation.global); }; });
}

}  // namespace upliftctl
