// upliftctl report: the director's report (self-contained HTML), or Markdown / JSON, from scores, a plan and a model.

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "commands.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/report/render.hpp"
#include "uplift/report/report_sources.hpp"

namespace upliftctl {

namespace {

struct ReportCliOptions {
    uplift::report::ReportPaths paths;
    std::vector<std::string> out;
    std::string lang = "en";
    int bootstrap = 200;
    std::string currency;
    std::string title;
    bool in_sample = false;
    std::string outcome_label;
};

void run_report(ReportCliOptions o, const GlobalOptions& g) {
    namespace rep = uplift::report;
    std::vector<rep::OutputFormat> formats;
    uplift::io::check_distinct_outputs({o.out.begin(), o.out.end()},
                                       {o.paths.scores, o.paths.holdout, o.paths.plan, o.paths.model, o.paths.compare,
                                        o.paths.drift, o.paths.measure, o.paths.portraits});
    for (const auto& path : o.out) {
        formats.push_back(rep::output_format_of(path));
        uplift::io::check_writable(path, g.overwrite, uplift::io::OutputShape::File);
    }
    rep::ReportOptions options;
    options.lang = rep::parse_lang(o.lang);
    options.bootstrap = o.bootstrap;
    options.seed = g.seed;
    options.currency = o.currency;
    options.title = o.title;
    options.threads = g.threads;
    options.allow_in_sample = o.in_sample;
    options.outcome_label = o.outcome_label;
    o.paths.threads = g.threads;

    const auto sources = rep::load_report_sources(o.paths);
    const auto report = rep::compute_report(sources, options);
    // Every format is written before any appears, so a full disk leaves none of them half there.
    std::vector<std::unique_ptr<uplift::io::AtomicOutput>> outputs;
    for (std::size_t i = 0; i < o.out.size(); ++i) {
        outputs.push_back(std::make_unique<uplift::io::AtomicOutput>(o.out[i], g.overwrite));
        uplift::io::write_file(outputs.back()->temp_path(), rep::render(report, formats[i]), o.out[i]);
    }
    for (std::size_t i = 0; i < o.out.size(); ++i) {
        outputs[i]->commit();
        if (!g.quiet) fmt::print("report       {}\n", o.out[i]);
    }
}

}  // namespace

void register_report(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<ReportCliOptions>();
    auto* cmd = root.add_subcommand("report", "The director's report: self-contained HTML (or Markdown / JSON)");
    cmd->add_option("-s,--scores", o->paths.scores, "Scores from `upliftctl score` (or a holdout written by train)")
        ->required();
    cmd->add_option("-o,--out", o->out,
                    "Report file; format by extension: .html, .md, .json (repeatable: one run, several formats)")
        ->required();
    cmd->add_option("--plan", o->paths.plan, "plan.json from `upliftctl optimize`: money figures and the budget slider");
    cmd->add_option("--model", o->paths.model, "Model folder: holdout metrics and feature importance");
    cmd->add_option("--holdout", o->paths.holdout,
                    "Scored rows with treatment and outcome to evaluate on (default: the scores, else <model>/holdout.parquet)");
    cmd->add_option("--compare", o->paths.compare,
                    "compare.json written by upliftctl compare: a champion-and-challenger block (decision, reason, "
                    "each model's Qini AUC and uplift@k, the difference with its interval)");
    cmd->add_option("--drift", o->paths.drift,
                    "A scores file written by upliftctl score: a drift block (the score's PSI, the 5 largest "
                    "feature PSIs, what to do)");
    cmd->add_option("--measure", o->paths.measure,
                    "measure.json written by upliftctl measure: a block of promised vs realised incremental "
                    "conversions (and revenue) of the last plan");
    cmd->add_option("--portraits", o->paths.portraits,
                    "portraits.json written by upliftctl segments: a block of client portraits (each cluster's name, "
                    "size and the offer it should get)");
    cmd->add_option("--outcome-label", o->outcome_label,
                    "What one unit of the outcome is called, plural, in the report's language (e.g. \"site visits\"); "
                    "default: from the outcome's name (visit -> visits, purchase/order/target -> orders)");
    cmd->add_flag("--in-sample", o->in_sample,
                  "Show model-quality figures from in-sample scores (rows the model was fitted on) under an in-sample "
                  "warning; without it they are refused");
    cmd->add_option("--lang", o->lang, "Report language")->check(CLI::IsMember({"en", "ru"}))->capture_default_str();
    cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap replicates for uncertainty ranges (0: none)")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    cmd->add_option("--treatment-level", o->paths.columns.treatment_level,
                    "Treated level to compare with control (default: the only one)");
    cmd->add_option("--score", o->paths.columns.score, "Score column (default: uplift__<level>, else uplift)");
    cmd->add_option("--treatment", o->paths.columns.treatment, "Treatment column (default: from the file's roles)");
    cmd->add_option("--control", o->paths.columns.control, "Control level (default: from the file's roles)");
    cmd->add_option("--outcome", o->paths.columns.outcome, "Outcome column (default: from the file's roles)");
    cmd->add_option("--check-col", o->paths.check_column,
                    "Column of the evaluated rows with each buyer's purchase amount: the A/B readout's average check "
                    "for a 0/1 outcome (a spend outcome is its own amount)");
    cmd->add_option("--currency", o->currency, "Currency shown after money amounts (e.g. USD, RUB)");
    cmd->add_option("--title", o->title, "Report title (default: \"Whom to give the discount\")");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer(
        "upliftctl report -s model/holdout.parquet --model model --plan plan.json -o report.html -o report.md --currency USD\n"
        "  upliftctl report -s model/holdout.parquet --plan plan.json --compare compare.json --drift scores.parquet "
        "--measure measure.json -o report.html\n"
        "  upliftctl report -s model/holdout.parquet --portraits portraits.json -o report.html --lang ru"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_report(*o, invocation.global); }; });
}

}  // namespace upliftctl
