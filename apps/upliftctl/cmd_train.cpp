// upliftctl train: fit an uplift model, keep a stratified holdout, write the model bundle.

#include <fmt/format.h>

#include <algorithm>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/train.hpp"

namespace upliftctl {

namespace {

struct TrainCliOptions {
    std::string input;
    std::string out;
    uplift::model::TrainOptions train;
    std::string learner{uplift::model::train_params::learner.default_value};
    std::string propensity{uplift::model::train_params::propensity.default_value};
    std::string outcome_type;
    std::string criterion{uplift::model::train_params::criterion.default_value};
    std::string honest{uplift::model::train_params::honest.default_value};
    std::string select{uplift::model::train_params::select.default_value};
    std::vector<std::string> xgb;
};

void print_importance(const uplift::model::TrainResult& r) {
    constexpr std::size_t shown = 10;
    if (!r.gain.empty()) {
        fmt::print("\nfeature importance (gain share over the base models, top {})\n", std::min(shown, r.gain.size()));
        for (std::size_t i = 0; i < r.gain.size() && i < shown; ++i) {
            fmt::print("  {:<32} {:>7.1f}%\n", r.gain[i].feature, 100.0 * r.gain[i].share);
        }
    }
    if (!r.permutation.empty()) {
        fmt::print("\npermutation importance (drop in holdout Qini AUC when shuffled, top {})\n",
                   std::min(shown, r.permutation.size()));
        for (std::size_t i = 0; i < r.permutation.size() && i < shown; ++i) {
            fmt::print("  {:<32} {:>+9.4f}\n", r.permutation[i].feature, r.permutation[i].qini_auc_drop);
        }
    }
}

std::string show(const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : "n/a"; }

/// The candidates of --learner auto, simplest first, the chosen one marked.
void print_search(const uplift::artifacts::AutoSearch& search, const std::vector<uplift::model::Candidate>& candidates) {
    const bool qini = search.criterion == "qini";
    const std::string runs = search.repeats > 1 ? fmt::format(" (repeated {} times on new folds)", search.repeats) : "";
    fmt::print("\nlearner search: {}-fold cross-validated{} {} on the training rows ({}), simplest first; chosen by "
               "the one-standard-error rule\n{:>3} {:<7} {:<56} {:>9} {:>8} {:>5}\n",
               search.folds, runs, qini ? "Qini AUC" : "DR loss", qini ? "higher is better" : "lower is better", "#",
               "learner", "settings (--search)", qini ? "qini" : "dr_loss", "se", "folds");
    for (std::size_t i = 0; i < search.candidates.size(); ++i) {
        const auto& c = search.candidates[i];
        const std::string settings = uplift::model::candidate_settings(candidates.at(i));
        std::string status = c.selected ? "<- chosen" : "";
        if (c.status == "skipped") status = "skipped: " + c.reason;
        if (c.status == "over_budget") status = "not run: time budget spent";
        std::string line = fmt::format("{:>3} {:<7} {:<56} {:>9} {:>8} {:>5}  {}", i + 1, c.learner, settings,
                                       show(c.mean), show(c.se), c.per_fold.size(), status);
        line.erase(line.find_last_not_of(' ') + 1);
        fmt::print("{}\n", line);
    }
}

void run_train(TrainCliOptions o, const GlobalOptions& g) {
    o.train.seed = g.seed;
    o.train.auto_learner = o.learner == "auto";
    if (!o.train.auto_learner) o.train.learner = uplift::model::learner_from_string(o.learner);
    o.train.select = uplift::model::select_by_from_string(o.select);
    o.train.propensity = uplift::model::propensity_source_from_string(o.propensity);
    if (!o.train.propensity_column.empty()) {
        if (o.train.propensity == uplift::model::PropensitySource::Model) {
            throw uplift::UsageError("--propensity-col and --propensity model exclude each other");
        }
        o.train.propensity = uplift::model::PropensitySource::Column;
    }
    if (!o.outcome_type.empty()) o.train.outcome_type = uplift::data::outcome_type_from_string(o.outcome_type);
    o.train.gbm.threads = g.threads;
    o.train.forest.criterion = uplift::model::forest::criterion_from_string(o.criterion);
    o.train.forest.honest = o.honest == "on";
    for (const auto& kv : o.xgb) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw uplift::UsageError(fmt::format("--xgb '{}' must look like key=value (e.g. --xgb max_bin=128)", kv));
        }
        o.train.gbm.extra.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    // output_path first: "." or a folder above the working one is refused as such, before it "holds the input".
    uplift::io::check_distinct_outputs({uplift::io::output_path(o.out)}, {o.input});
    uplift::io::check_writable(o.out, g.overwrite, uplift::io::OutputShape::Folder);
    o.train.progress = progress_bar(g, "train", "model fits");
    auto result = uplift::model::train_uplift_file(o.input, o.train);

    auto provenance = uplift::artifacts::provenance_of("train", {o.input}, result.bundle.parameters);
    provenance.parameters["seed"] = std::to_string(g.seed);
    uplift::artifacts::store(result.holdout_scores.metadata(), provenance);
    uplift::artifacts::store(result.out_of_fold_scores.metadata(), provenance);
    uplift::StepTimer timer("train");
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    result.bundle.save(o.out, g.overwrite, [&](const std::filesystem::path& dir) {
        timer.done("model files written");
        if (result.rows_holdout > 0) uplift::io::write_table(session, result.holdout_scores, dir / "holdout.parquet");
        if (result.out_of_fold_scores.num_rows() > 0) {
            uplift::io::write_table(session, result.out_of_fold_scores, dir / "out_of_fold.parquet");
        }
        timer.done("holdout and out-of-fold scores written");
    });

    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    fmt::print("model        {}\nlearner      {}\nrows         {} train, {} holdout, {} excluded (other arms)\n", o.out,
               o.train.auto_learner ? "auto: " + uplift::model::to_string(result.bundle.learner) : o.learner,
               result.rows_train, result.rows_holdout, result.rows_excluded);
    if (result.auto_search) print_search(*result.auto_search, result.search_candidates);
    if (!result.cv.empty() && !result.auto_search) {
        fmt::print("\n{}-fold cross-validation on the training rows (mean ± std over folds)\n{:<28} {:>20} {:>20}\n",
                   o.train.cv, "treatment level", "qini_auc", "uplift@30%");
        for (const auto& c : result.cv) {
            fmt::print("{:<28} {:>11.4f} ± {:<6.4f} {:>11.4f} ± {:<6.4f}\n", c.level, c.qini_auc_mean, c.qini_auc_std,
                       c.uplift_at_30_mean, c.uplift_at_30_std);
        }
    }
    fmt::print("\nrandomisation check (treatment classifier AUC on 30% of the training rows; ~0.5 when randomised)\n");
    for (const auto& c : result.randomisation) {
        fmt::print("  {:<26} AUC {:.3f} ± {:.3f}{}\n", c.level, c.auc, 1.96 * c.auc_se,
                   c.flagged ? "  <- predictable: prefer --learner dr/x with --propensity model" : "");
    }
    print_importance(result);
    if (result.metrics.empty()) return;
    fmt::print("\nholdout      {}/holdout.parquet\n{:<28} {:>10} {:>10} {:>10} {:>12}\n", o.out, "treatment level",
               "qini_auc", "uplift_auc", "uplift@30%", "n (t / c)");
    for (const auto& m : result.metrics) {
        fmt::print("{:<28} {:>10} {:>10} {:>10} {:>6}/{}\n", m.level, show(m.qini_auc), show(m.uplift_auc),
                   show(m.uplift_at_30), m.n_treatment, m.n_control);
    }
}

}  // namespace

void register_train(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<TrainCliOptions>();
    auto* cmd = root.add_subcommand("train", "Fit an uplift model on features; measure it on a stratified holdout");
    cmd->add_option("-i,--input", o->input, "Features written by `upliftctl features` (or an ingested dataset whose features are all numbers)")
        ->required();
    cmd->add_option("-o,--out", o->out,
                    "Model folder to write (model.json, base/, holdout.parquet, out_of_fold.parquet)")->required();
    namespace p = uplift::model::train_params;
    add_param(*cmd, p::learner, o->learner);
    add_param(*cmd, p::search, o->train.search);
    add_param(*cmd, p::select, o->select);
    add_param(*cmd, p::time_budget, o->train.time_budget);
    add_param(*cmd, p::cv_repeats, o->train.cv_repeats);
    add_param(*cmd, p::propensity, o->propensity);
    add_param(*cmd, p::propensity_column, o->train.propensity_column);
    add_param(*cmd, p::outcome_type, o->outcome_type);
    add_param(*cmd, p::dr_folds, o->train.dr_folds);
    add_param(*cmd, p::permutation_repeats, o->train.permutation_repeats);
    add_param(*cmd, p::holdout, o->train.holdout);
    add_param(*cmd, p::cv, o->train.cv);
    add_param(*cmd, p::oof_folds, o->train.oof_folds);
    cmd->add_flag("--allow-leaky", o->train.allow_leaky,
                  "Do not warn about a feature that dominates the gain or is named like the outcome (still recorded "
                  "in model.json under leakage)");
    cmd->add_option("--treatment-level", o->train.treatment_levels,
                    "Train only these treated levels against control (repeatable; default: all)");
    add_param(*cmd, p::num_rounds, o->train.gbm.num_rounds);
    add_param(*cmd, p::learning_rate, o->train.gbm.learning_rate);
    add_param(*cmd, p::max_depth, o->train.gbm.max_depth);
    add_param(*cmd, p::early_stopping_rounds, o->train.gbm.early_stopping_rounds);
    add_param(*cmd, p::trees, o->train.forest.trees);
    add_param(*cmd, p::criterion, o->criterion);
    add_param(*cmd, p::min_samples_leaf, o->train.forest.min_samples_leaf);
    add_param(*cmd, p::min_samples_treatment, o->train.forest.min_samples_treatment);
    add_param(*cmd, p::n_reg, o->train.forest.n_reg);
    add_param(*cmd, p::row_subsample, o->train.forest.row_subsample);
    add_param(*cmd, p::feature_fraction, o->train.forest.feature_fraction);
    add_param(*cmd, p::honest, o->honest);
    cmd->add_option("--xgb", o->xgb, "An XGBoost parameter, key=value (repeatable; docs/train.md lists the keys), applied last");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl train -i features.parquet -o model --learner t --holdout 0.3 --seed 7"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_train(*o, invocation.global); }; });
}

}  // namespace upliftctl
