#pragma once
/// `train --learner auto`: which candidates (learners and their settings) are compared, the grammar of
/// `--search`, the order "simplest first", what cannot run on the data, and the one-standard-error choice.
/// Fitting and scoring the folds is train's: train.cpp hands run_search a function that cross-validates one
/// candidate, so everything here can be tested without fitting a model. docs/train.md, "Model selection".

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/model/forest/forest.hpp"
#include "uplift/model/learner.hpp"
#include "uplift/model/propensity.hpp"

namespace uplift::model {

/// What a candidate is judged by: cross-validated Qini AUC (higher is better) or the doubly robust loss of
/// dr_loss.hpp (lower is better).
enum class SelectBy { Qini, DrLoss };

/// "qini" or "dr-loss" (the --select values).
std::string to_string(SelectBy by);
/// UsageError naming --select otherwise.
SelectBy select_by_from_string(const std::string& text);

/// One point of the grid: a learner and the settings the search varies; every other setting is train's.
struct Candidate {
    LearnerKind learner = LearnerKind::T;
    int max_depth = 3;
    int num_rounds = 100;        ///< XGBoost learners only
    double learning_rate = 0.1;  ///< XGBoost learners only
    int early_stopping_rounds = 0;  ///< XGBoost learners only (0: off, every round kept)
    int min_samples_leaf = 400;  ///< forest only
    forest::Criterion criterion = forest::Criterion::KL;  ///< forest only; set from the data, not searched

    bool operator==(const Candidate&) const = default;
};

/// The default grid, in the --search grammar (docs/train.md explains the choice).
inline constexpr std::string_view default_search =
    "learner=s,t,ct;max-depth=2,3,4,6;rounds=100;learning-rate=0.05,0.1;early-stopping=0"
    "|learner=x;max-depth=2,3,4;rounds=100;learning-rate=0.1;early-stopping=0"
    "|learner=dr;max-depth=2,3;rounds=100;learning-rate=0.1;early-stopping=0"
    "|learner=forest;max-depth=3,6;min-samples-leaf=400";

/// Folds of the search when --cv is 0.
inline constexpr int default_search_folds = 5;

/// The candidates of a --search specification, simplest first, without duplicates. Grammar: blocks joined by
/// '|', each a ';'-separated list of `key=value,value,...` with keys learner, max-depth, rounds, learning-rate,
/// early-stopping and min-samples-leaf; a block stands for every combination of its values that applies to each of its
/// learners, and an axis it leaves out takes train's default (learner: all six). A specification starting with
/// '+' adds its blocks to default_search; otherwise it replaces it. UsageError naming --search for anything else.
std::vector<Candidate> parse_search(std::string_view spec);

/// The documented order "simpler than": every XGBoost learner before the forest; then shallower trees; then, for
/// XGBoost, the smaller boosting budget (rounds × learning rate), the learner (s < t < ct < x < dr, by the
/// number and kind of models it fits), fewer rounds and early stopping on before off; for the forest, larger
/// leaves.
bool simpler(const Candidate& a, const Candidate& b);

/// The settings of a candidate as model.json's `parameters` names them ("max_depth" → "3", ...).
std::map<std::string, std::string> candidate_params(const Candidate& c);
/// The same in the --search grammar, for the table ("max-depth=3;rounds=100;learning-rate=0.1").
std::string candidate_settings(const Candidate& c);

/// What decides whether a candidate can run at all on the training data.
struct SearchData {
    bool binary = true;
    int n_treated = 1;
    PropensitySource propensity = PropensitySource::Share;
    bool randomisation_flagged = false;  ///< the features predict the arm (ct refuses such data)
};

/// Why `c` cannot run on `data` (the table's reason), or empty when it can. The forest's criterion must
/// already suit the outcome (forest_criterion_for).
std::string cannot_run(const Candidate& c, const SearchData& data);

/// The criterion a forest candidate uses: `chosen` (--criterion), or mse when `chosen` needs a binary outcome
/// and the outcome is continuous.
forest::Criterion forest_criterion_for(forest::Criterion chosen, bool binary);

/// The criterion over the folds: mean and standard error of the finite values.
struct FoldSummary {
    double mean = 0;
    double se = 0;
    bool defined = false;  ///< at least one finite fold value
};
/// `per_fold` holds `repeats` K-fold runs one after the other. SE = sample std / sqrt(n / repeats) for n finite
/// values: the standard error of one K-fold run's mean. Repeats on new fold assignments make the mean less
/// dependent on one assignment, but they reuse the same rows, so they do not shrink the data's own noise; dividing
/// by sqrt(n) would claim they do.
FoldSummary summarise_folds(std::span<const double> per_fold, int repeats = 1);

/// The one-standard-error rule over candidates in simplicity order (nullopt: not run or undefined), `learners[i]`
/// being candidate i's learner. The bound is the best mean less the best's SE (plus it, for a loss). Simplicity is
/// ordered within a learner only (depth, boosting budget, leaf size): for each learner its first candidate that
/// reaches the bound stands for it, and the one of those with the best mean is chosen (the earlier on a tie).
/// nullopt when none is defined.
std::optional<std::size_t> one_se_choice(std::span<const std::optional<FoldSummary>> summaries,
                                         std::span<const LearnerKind> learners, bool higher_is_better);

struct SearchSettings {
    SelectBy select = SelectBy::Qini;
    int folds = default_search_folds;
    int repeats = 1;           ///< K-fold runs per candidate, each on its own folds (--cv-repeats)
    std::string grid;          ///< the specification, as recorded
    double time_budget = 0;    ///< seconds; 0 = none
};

/// What the search found: the record for model.json and the candidate it chose.
struct SearchOutcome {
    artifacts::AutoSearch record;
    std::vector<Candidate> candidates;  ///< in the record's order
    std::size_t chosen = 0;
};

/// Cross-validates one candidate: the criterion on each fold of each repeat, repeat by repeat.
using ScoreCandidate = std::function<std::vector<double>(const Candidate&)>;
/// Seconds since the search began (a steady clock; tests pass their own).
using Elapsed = std::function<double()>;

/// Runs the candidates in order. Those that cannot run are recorded as skipped; once `elapsed` reaches the
/// budget, the rest as over_budget (the first runnable candidate always runs). The choice is made among the
/// finished ones: given the same finished candidates and fold values it is always the same. UsageError when no
/// candidate can run on the data.
SearchOutcome run_search(const std::vector<Candidate>& candidates, const SearchData& data,
                         const SearchSettings& settings, const ScoreCandidate& score, const Elapsed& elapsed);

}  // namespace uplift::model
