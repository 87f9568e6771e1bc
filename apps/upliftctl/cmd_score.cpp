// upliftctl score: uplift and outcome predictions per client from a model bundle.

#include <fmt/format.h>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/log.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/score_stream.hpp"

namespace upliftctl {

namespace {

struct ScoreOptions {
    std::string model;
    std::string input;
    std::string out;
    std::size_t chunk_rows = uplift::model::ScoreFileOptions{}.chunk_rows;
    uplift::model::ScoreOptions score;
    uplift::model::DriftThresholds drift;
};

/// Scores of rows the model was fitted on flatter it: say so, with the files that hold test scores.
void warn_fitted_rows(const uplift::artifacts::ScoresInfo& info, const ScoreOptions& o) {
    const std::string instead = fmt::format("for test figures use {}/holdout.parquet or {}/out_of_fold.parquet",
                                            o.model, o.model);
    if (info.scored_as == uplift::artifacts::ScoredAs::InSample) {
        const std::string why =
            info.fitted_rows > 0
                ? fmt::format("{} of its {} checked rows are rows the model was fitted on", info.fitted_rows,
                              info.checked_rows)
                : std::string("it is the file the model was trained on");
        uplift::log::warn("'{}': {}, so these scores are in-sample (labelled in_sample); {}", o.input, why, instead);
    } else if (info.fitted_rows > 0) {
        uplift::log::warn("'{}': {} of its {} checked rows are rows the model was fitted on (under {:.0f}%, so the "
                          "file is labelled new); their scores are in-sample",
                          o.input, info.fitted_rows, info.checked_rows, 100 * uplift::model::in_sample_share);
    }
}

void run_score(const ScoreOptions& o, const GlobalOptions& g) {
    uplift::io::format_of(o.out);  // an unknown extension: one usage error line, before any work or warning
    uplift::io::check_distinct_outputs({o.out}, {o.input, o.model});
    uplift::io::check_writable(o.out, g.overwrite, uplift::io::OutputShape::File);
    auto bundle = uplift::model::ModelBundle::load(o.model);
    bundle.set_threads(g.threads);
    uplift::io::Metadata metadata;
    uplift::data::store_roles(metadata, bundle.roles);
    uplift::artifacts::store(metadata, uplift::artifacts::provenance_of(
                                           "score", {o.input, std::filesystem::path(o.model) / "model.json"}));
    const auto stats = uplift::model::score_file(
        bundle, o.input, o.out, metadata,
        {.chunk_rows = o.chunk_rows,
         .threads = g.threads,
         .overwrite = g.overwrite,
         .score = o.score,
         .drift = o.drift,
         .progress = progress_bar(g, "score", "rows")});
    warn_fitted_rows(stats.scores_info, o);
    if (stats.drift_report) {
        for (const auto& line : uplift::model::drift_warnings(*stats.drift_report, o.drift)) {
            uplift::log::warn("drift against the training rows: {}", line);
        }
    }
    for (const auto& [column, n] : stats.unseen_levels) {
        uplift::log::warn("column '{}': {} rows have a level not seen in training (encoded as all zeros)", column, n);
    }
    if (!stats.folded_categories.empty()) {
        uplift::log::warn("{} product-mix column(s) the model never saw ({}) folded into its level_1_share___other__: "
                          "{} rows spent on them",
                          stats.folded_categories.size(), fmt::join(stats.folded_categories, ", "), stats.folded_rows);
    }
    if (!stats.zeroed_categories.empty()) {
        uplift::log::warn("{} product-mix column(s) the model knew are not in the input ({}): scored as 0",
                          stats.zeroed_categories.size(), fmt::join(stats.zeroed_categories, ", "));
    }
    if (!stats.unplaced_categories.empty()) {
        uplift::log::warn("{} product-mix column(s) the model never saw ({}) are left out: it has no "
                          "level_1_share___other__ column (trained by an older upliftctl; retrain it)",
                          stats.unplaced_categories.size(), fmt::join(stats.unplaced_categories, ", "));
    }
    if (stats.propensity_fallback_rows > 0) {
        uplift::log::warn("the input has no propensity column '{}': {} rows scored with the training treated share",
                          bundle.propensity.column(), stats.propensity_fallback_rows);
    }
    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    for (const auto& [segment, n] : stats.segments) fmt::print("uplift_segment {:<14} {:>10} rows\n", segment, n);
    fmt::print("{} rows scored, {} treated level(s) -> {}\n", stats.rows, bundle.roles.treatment_levels.size(), o.out);
}

}  // namespace

void register_score(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<ScoreOptions>();
    auto* cmd = root.add_subcommand("score", "Predict uplift per client with a trained model");
    cmd->add_option("-m,--model", o->model, "Model folder written by `upliftctl train`")->required();
    cmd->add_option("-i,--input", o->input, "Clients to score: features or raw columns (.parquet or .csv)")
        ->required();
    cmd->add_option("-o,--out", o->out,
                    "Scores: id, p__control, p__<level>, uplift__<level>, best_offer, best_uplift, uplift, "
                    "p_control, p_treatment, uplift_segment")
        ->required();
    cmd->add_option("--segment-uplift", o->score.segments.uplift,
                    "Segments (binary outcome): uplift at or above this is persuadable, at or below minus it a "
                    "sleeping dog")
        ->check(CLI::Range(0.0, 0.999))
        ->capture_default_str();
    cmd->add_option("--segment-buy", o->score.segments.buy,
                    "Segments: with little uplift, p_control at or above this is a sure thing, below a lost cause")
        ->check(CLI::Range(0.001, 0.999))
        ->capture_default_str();
    cmd->add_option("--drift-warn", o->drift.warn,
                    "Warn about each feature, and the score, whose population stability index (PSI) against the "
                    "training rows is at least this (0.1: moderate shift, 0.25: major)")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    cmd->add_option("--drift-fail", o->drift.fail,
                    "Stop with exit 6, writing no scores, when a feature's or the score's PSI is at least this "
                    "(default: never)")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--chunk-rows", o->chunk_rows,
                    "Rows scored at a time: memory is bounded by the chunk, not the input")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
        ->capture_default_str();
    add_global_options(*cmd, invocation.global, false);
    cmd->footer(help_footer("upliftctl score -m model -i features.parquet -o scores.parquet"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_score(*o, invocation.global); }; });
}

}  // namespace upliftctl
