// --learner auto: the grid and its grammar, "simplest first", what cannot run, the one-standard-error rule, the
// time budget, and the whole search through train_uplift on data where one candidate clearly wins.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/auto_search.hpp"
#include "uplift/model/dr_loss.hpp"
#include "uplift/model/train.hpp"
#include "support/experiments.hpp"

namespace um = uplift::model;
using um::Candidate;
using um::LearnerKind;

namespace {

std::string rejection(const std::string& spec) {
    try {
        (void)um::parse_search(spec);
    } catch (const uplift::UsageError& e) {
        return e.what();
    }
    return "";
}

/// A fake evaluator: fold values per candidate learner, counting calls.
struct FakeScores {
    std::map<LearnerKind, std::vector<double>> values;
    int calls = 0;
    um::ScoreCandidate function() {
        return [this](const Candidate& c) {
            ++calls;
            return values.at(c.learner);
        };
    }
};

}  // namespace

TEST_CASE("the default grid: every learner, simplest first, the forest last", "[auto]") {
    const auto grid = um::parse_search(um::default_search);
    // s, t, ct at 4 depths x 2 learning rates; x at 3 depths; dr at 2; the forest at 2.
    REQUIRE(grid.size() == 24 + 3 + 2 + 2);
    CHECK(grid.front() == Candidate{.learner = LearnerKind::S, .max_depth = 2, .num_rounds = 100,
                                    .learning_rate = 0.05, .min_samples_leaf = 0});
    CHECK(grid.back().learner == LearnerKind::Forest);
    CHECK(grid.back().max_depth == 6);
    for (std::size_t i = 1; i < grid.size(); ++i) CHECK_FALSE(um::simpler(grid[i], grid[i - 1]));
    // Shallower first, then the smaller boosting budget, then s < t < ct < x < dr.
    CHECK(um::simpler({.learner = LearnerKind::DR, .max_depth = 2}, {.learner = LearnerKind::S, .max_depth = 3}));
    CHECK(um::simpler({.learner = LearnerKind::T, .max_depth = 3, .num_rounds = 100, .learning_rate = 0.05},
                      {.learner = LearnerKind::S, .max_depth = 3, .num_rounds = 100, .learning_rate = 0.1}));
    CHECK(um::simpler({.learner = LearnerKind::CT, .max_depth = 3}, {.learner = LearnerKind::X, .max_depth = 3}));
    CHECK(um::simpler({.learner = LearnerKind::DR, .max_depth = 32}, {.learner = LearnerKind::Forest, .max_depth = 1}));
    CHECK(um::simpler({.learner = LearnerKind::Forest, .max_depth = 4, .min_samples_leaf = 800},
                      {.learner = LearnerKind::Forest, .max_depth = 4, .min_samples_leaf = 100}));
}

TEST_CASE("a search specification replaces or extends the grid, and an axis left out takes train's default", "[auto]") {
    const auto two = um::parse_search("learner=s,t;max-depth=2,3");
    REQUIRE(two.size() == 4);
    CHECK(two[0].learner == LearnerKind::S);
    CHECK(two[0].max_depth == 2);
    CHECK(two[1].learner == LearnerKind::T);
    CHECK(two[3].max_depth == 3);
    CHECK(two[0].num_rounds == um::train_params::num_rounds.default_value);
    CHECK(two[0].learning_rate == um::train_params::learning_rate.default_value);
    CHECK(two[0].early_stopping_rounds == um::train_params::early_stopping_rounds.default_value);
    // Early stopping on is simpler than off: it keeps at most as many trees.
    const auto stopping = um::parse_search("learner=t;early-stopping=0,20");
    REQUIRE(stopping.size() == 2);
    CHECK(stopping[0].early_stopping_rounds == 20);
    CHECK(stopping[1].early_stopping_rounds == 0);
    CHECK(um::candidate_params(stopping[1]).at("early_stopping_rounds") == "0");
    // The forest takes its own axes and ignores the boosting ones; duplicates collapse.
    const auto forest = um::parse_search("learner=forest;max-depth=5;rounds=10,20;min-samples-leaf=100,200|learner=forest;max-depth=5;min-samples-leaf=200");
    REQUIRE(forest.size() == 2);
    CHECK(forest[0].min_samples_leaf == 200);  // larger leaves are simpler
    const auto extended = um::parse_search("+learner=t;max-depth=8");
    CHECK(extended.size() == um::parse_search(um::default_search).size() + 1);
    CHECK(um::parse_search("learner=x").size() == 1);
}

TEST_CASE("a --search that does not parse is refused naming --search and the problem", "[auto]") {
    CHECK_THAT(rejection("learner=q"), Catch::Contains("--search") && Catch::Contains("unknown learner 'q'"));
    CHECK_THAT(rejection("depth=3"), Catch::Contains("unknown key 'depth'"));
    CHECK_THAT(rejection("max-depth=0"), Catch::Contains("--max-depth must be in [1, 32], got 0"));
    CHECK_THAT(rejection("max-depth=3.5"), Catch::Contains("'3.5' is not a value of max-depth"));
    CHECK_THAT(rejection("learner=t;learner=s"), Catch::Contains("given twice"));
    CHECK_THAT(rejection("learner=auto"), Catch::Contains("'auto' is not a candidate"));
    CHECK_THAT(rejection("learner=t|"), Catch::Contains("a block is empty"));
    CHECK_THAT(rejection("max-depth"), Catch::Contains("has no '='"));
    CHECK_THAT(rejection(""), Catch::Contains("empty"));
}

TEST_CASE("candidates that cannot run on the data say why", "[auto]") {
    const Candidate ct{.learner = LearnerKind::CT};
    CHECK(um::cannot_run(ct, {}).empty());
    CHECK(um::cannot_run(ct, {.binary = false}) == "ct needs a binary outcome");
    CHECK_THAT(um::cannot_run(ct, {.propensity = um::PropensitySource::Model}), Catch::Contains("--propensity share"));
    CHECK_THAT(um::cannot_run(ct, {.randomisation_flagged = true}), Catch::Contains("randomisation check"));
    Candidate forest{.learner = LearnerKind::Forest};
    forest.criterion = um::forest_criterion_for(uplift::model::forest::Criterion::KL, false);
    CHECK(forest.criterion == uplift::model::forest::Criterion::MSE);
    CHECK(um::cannot_run(forest, {.binary = false}).empty());
    forest.criterion = uplift::model::forest::Criterion::DDP;
    CHECK_THAT(um::cannot_run(forest, {.n_treated = 2}), Catch::Contains("one treated level"));
    CHECK(um::cannot_run({.learner = LearnerKind::DR}, {.binary = false, .n_treated = 3}).empty());
}

TEST_CASE("the one-standard-error rule picks the simplest candidate within one SE of the best", "[auto]") {
    using S = std::optional<um::FoldSummary>;
    const std::vector<LearnerKind> one_learner(4, LearnerKind::T);
    // The best (index 2) has mean 0.08 and SE 0.01: index 1 (0.075) is within, index 0 (0.06) is not.
    std::vector<S> s{um::FoldSummary{0.06, 0.01, true}, um::FoldSummary{0.075, 0.02, true},
                     um::FoldSummary{0.08, 0.01, true}, std::nullopt};
    CHECK(um::one_se_choice(s, one_learner, true) == 1);
    s[2]->se = 0.001;  // a sure best: nothing else is within its SE
    CHECK(um::one_se_choice(s, one_learner, true) == 2);
    // Lower is better (the DR loss): the best is 1.00 ± 0.05, so 1.04 qualifies and 1.2 does not.
    std::vector<S> loss{um::FoldSummary{1.2, 0.1, true}, um::FoldSummary{1.04, 0.1, true}, um::FoldSummary{1.0, 0.05, true}};
    CHECK(um::one_se_choice(loss, one_learner, false) == 1);
    CHECK_FALSE(um::one_se_choice(std::vector<S>{std::nullopt, um::FoldSummary{}}, one_learner, true));
}

TEST_CASE("the one-standard-error rule orders simplicity within a learner and lets the means decide across learners",
          "[auto]") {
    using S = std::optional<um::FoldSummary>;
    // Bound 0.08 - 0.01 = 0.07. s's simplest within it is index 1 (0.075); the forest's is index 2 (0.08): the
    // forest wins on its mean, though s comes first in the table.
    const std::vector<S> s{um::FoldSummary{0.06, 0.01, true}, um::FoldSummary{0.075, 0.02, true},
                           um::FoldSummary{0.08, 0.01, true}};
    CHECK(um::one_se_choice(s, std::vector{LearnerKind::S, LearnerKind::S, LearnerKind::Forest}, true) == 2);
    // Each learner is represented by its simplest candidate within the bound, not by its best: t's depth-2 fit
    // (0.075) stands for t, its better depth-4 fit (0.08) does not, and s at 0.078 beats 0.075.
    const std::vector<S> t{um::FoldSummary{0.075, 0.01, true}, um::FoldSummary{0.08, 0.01, true},
                           um::FoldSummary{0.078, 0.01, true}};
    CHECK(um::one_se_choice(t, std::vector{LearnerKind::T, LearnerKind::T, LearnerKind::S}, true) == 2);
    // A tie between the learners' representatives goes to the earlier one.
    const std::vector<S> tie{um::FoldSummary{0.075, 0.01, true}, um::FoldSummary{0.075, 0.01, true}};
    CHECK(um::one_se_choice(tie, std::vector{LearnerKind::X, LearnerKind::DR}, true) == 0);
    // A loss: the lowest representative wins.
    const std::vector<S> loss{um::FoldSummary{1.04, 0.1, true}, um::FoldSummary{1.0, 0.05, true},
                              um::FoldSummary{1.02, 0.1, true}};
    CHECK(um::one_se_choice(loss, std::vector{LearnerKind::S, LearnerKind::S, LearnerKind::X}, false) == 2);
}

TEST_CASE("fold summaries skip undefined folds", "[auto]") {
    const auto summary = um::summarise_folds(std::vector<double>{0.1, 0.2, std::nan(""), 0.3});
    CHECK(summary.mean == Approx(0.2));
    CHECK(summary.se == Approx(0.1 / std::sqrt(3.0)));
}

TEST_CASE("fold summaries of repeated K-fold runs: the mean over all and the SE of one run", "[auto]") {
    // Two 3-fold runs: the mean is over the six values, the SE divides their std by sqrt(3), not sqrt(6).
    const std::vector<double> two_runs{0.1, 0.2, 0.3, 0.2, 0.3, 0.4};
    const auto summary = um::summarise_folds(two_runs, 2);
    CHECK(summary.mean == Approx(0.25));
    double ss = 0;
    for (double v : two_runs) ss += (v - 0.25) * (v - 0.25);
    CHECK(summary.se == Approx(std::sqrt(ss / 5) / std::sqrt(3.0)));
    // One undefined fold: 5 finite values over 2 runs count as 2.5 folds per run.
    const auto gap = um::summarise_folds(std::vector<double>{0.1, std::nan(""), 0.3, 0.2, 0.3, 0.4}, 2);
    CHECK(gap.mean == Approx(0.26));
    double gap_ss = 0;
    for (double v : {0.1, 0.3, 0.2, 0.3, 0.4}) gap_ss += (v - 0.26) * (v - 0.26);
    CHECK(gap.se == Approx(std::sqrt(gap_ss / 4) / std::sqrt(2.5)));
    // One repeat is the plain K-fold summary.
    CHECK(um::summarise_folds(two_runs, 1).se == Approx(std::sqrt(ss / 5) / std::sqrt(6.0)));
}

TEST_CASE("the DR loss is the mean squared distance from the pseudo-outcomes of each level's rows", "[auto]") {
    um::DrTargets t;
    // Level 1 scores rows 0 and 2 (row 1 is of level 2), level 2 rows 1 and 2.
    t.psi = {{1.0, std::nan(""), 3.0}, {std::nan(""), 2.0, -1.0}};
    const std::vector<std::vector<double>> uplift{{0.0, 5.0, 1.0}, {0.0, 2.0, 1.0}};
    // Level 1: ((1 − 0)² + (3 − 1)²) / 2 = 2.5; level 2: (0² + (−1 − 1)²) / 2 = 2; their mean 2.25.
    CHECK(um::dr_loss(t, uplift) == Approx(2.25));
    CHECK_THROWS_AS(um::dr_loss(t, {{0.0, 1.0, 2.0}}), uplift::InternalError);
}

TEST_CASE("run_search: skipped and over-budget candidates, and a clear winner chosen", "[auto]") {
    const std::vector<Candidate> grid = um::parse_search("learner=s,t,ct,dr;max-depth=3");
    FakeScores fake;
    fake.values = {{LearnerKind::S, {0.01, 0.02, 0.0}},
                   {LearnerKind::T, {0.09, 0.10, 0.11}},  // clearly the best: far beyond one SE of the others
                   {LearnerKind::CT, {0.5, 0.5, 0.5}},    // would win, but cannot run on a continuous outcome
                   {LearnerKind::DR, {0.03, 0.02, 0.04}}};
    const um::SearchSettings settings{.select = um::SelectBy::Qini, .folds = 3, .grid = "g", .time_budget = 0};
    const auto out = um::run_search(grid, {.binary = false}, settings, fake.function(), [] { return 0.0; });
    REQUIRE(out.record.candidates.size() == 4);
    CHECK(fake.calls == 3);
    CHECK(out.candidates[out.chosen].learner == LearnerKind::T);
    CHECK(out.record.candidates[out.chosen].selected);
    CHECK(out.record.candidates[2].status == "skipped");
    CHECK(out.record.candidates[2].reason == "ct needs a binary outcome");
    CHECK(out.record.candidates[1].mean == Approx(0.1));
    CHECK(out.record.criterion == "qini");

    // A budget spent after the first candidate: the rest are not run, and the choice is among those that ran.
    FakeScores cut;
    cut.values = fake.values;
    double clock = 0;
    const um::SearchSettings budget{.select = um::SelectBy::Qini, .folds = 3, .grid = "g", .time_budget = 5};
    const auto short_run = um::run_search(grid, {.binary = false}, budget, [&](const Candidate& c) {
        clock += 10;  // every candidate takes 10 s
        return cut.values.at(c.learner);
    }, [&] { return clock; });
    CHECK(short_run.record.candidates[0].status == "done");
    CHECK(short_run.record.candidates[1].status == "over_budget");
    CHECK(short_run.record.candidates[3].status == "over_budget");
    CHECK(short_run.chosen == 0);
    CHECK(short_run.record.time_budget == 5);

    // Nothing can run: a usage error, not an empty choice.
    CHECK_THROWS_AS(um::run_search(um::parse_search("learner=ct"), {.binary = false}, settings, fake.function(),
                                   [] { return 0.0; }),
                    uplift::UsageError);
}

TEST_CASE("train --learner auto chooses the candidate that clearly wins, refits it and records the search", "[auto]") {
    // The offer helps only where x0 > 0: three depth-2 T-learners of a few thousand rows find that; a model
    // boosted for one round at a vanishing learning rate ranks nobody (its Qini AUC is about 0).
    const auto t = test_support::offer_helps_x0(6000, 11);
    const auto dir = test_support::fresh_dir("test_auto_search", "clear_winner");
    uplift::io::write_table(t, dir / "train.parquet");
    um::TrainOptions o;
    o.auto_learner = true;
    o.search = "learner=s;max-depth=1;rounds=1;learning-rate=0.000001|learner=t;max-depth=2;rounds=60;learning-rate=0.1";
    o.cv = 3;
    o.oof_folds = 0;
    o.permutation_repeats = 0;
    o.seed = 4;
    const auto r = um::train_uplift(t, dir / "train.parquet", o);
    REQUIRE(r.auto_search);
    const auto& search = *r.auto_search;
    REQUIRE(search.candidates.size() == 2);
    CHECK(search.folds == 3);
    CHECK(search.candidates[0].learner == "s");  // the simpler one first
    CHECK_FALSE(search.candidates[0].selected);
    CHECK(search.candidates[1].selected);
    CHECK(*search.candidates[1].mean > *search.candidates[0].mean + 3 * *search.candidates[1].se);
    // The refit is the chosen candidate, on every training row, with its settings recorded.
    CHECK(r.bundle.learner == LearnerKind::T);
    CHECK(r.bundle.parameters.at("max_depth") == "2");
    CHECK(r.bundle.parameters.at("num_rounds") == "60");
    CHECK(r.bundle.parameters.at("search") == o.search);
    REQUIRE(r.cv.size() == 1);
    CHECK(r.cv[0].qini_auc_mean == Approx(*search.candidates[1].mean));
    REQUIRE(r.bundle.holdout_metrics);
    CHECK(*r.metrics[0].qini_auc > 0.02);

    // The DR loss (lower is better) ranks them the same way: on the same folds, against the same pseudo-outcomes,
    // the model that found the effect is nearer to it than the one that predicts no effect anywhere.
    o.select = um::SelectBy::DrLoss;
    const auto dr = um::train_uplift(t, dir / "train.parquet", o);
    REQUIRE(dr.auto_search);
    CHECK(dr.auto_search->criterion == "dr_loss");
    CHECK(*dr.auto_search->candidates[1].mean < *dr.auto_search->candidates[0].mean);
    CHECK(dr.bundle.parameters.at("select") == "dr-loss");

    // Repeated: each candidate runs 2 x 3 folds; the first repeat's folds are the ones above (and --cv's).
    o.select = um::SelectBy::Qini;
    o.cv_repeats = 2;
    const auto twice = um::train_uplift(t, dir / "train.parquet", o);
    REQUIRE(twice.auto_search);
    CHECK(twice.auto_search->repeats == 2);
    const auto& runs = twice.auto_search->candidates;
    REQUIRE(runs[1].per_fold.size() == 6);
    for (std::size_t f = 0; f < 3; ++f) CHECK(runs[1].per_fold[f] == search.candidates[1].per_fold[f]);
    CHECK(runs[1].per_fold[3] != runs[1].per_fold[0]);  // new folds, new values
    CHECK(*runs[1].mean == Approx(um::summarise_folds(runs[1].per_fold, 2).mean));
    CHECK(runs[1].selected);
    CHECK(twice.bundle.parameters.at("cv_repeats") == "2");
    REQUIRE(twice.cv.size() == 1);
    CHECK(twice.cv[0].qini_auc.size() == 3);
    CHECK(twice.cv[0].qini_auc_mean == Approx(r.cv[0].qini_auc_mean));
}

TEST_CASE("auto refuses the flags it searches, and its flags need it", "[auto]") {
    um::TrainOptions o;
    o.auto_learner = true;
    o.gbm.max_depth = 5;
    CHECK_THROWS_WITH(um::train_uplift(uplift::io::Table{}, "f.parquet", o),
                      Catch::Contains("--max-depth is searched by --learner auto") && Catch::Contains("--search"));
    um::TrainOptions plain;
    plain.time_budget = 10;
    CHECK_THROWS_WITH(um::train_uplift(uplift::io::Table{}, "f.parquet", plain),
                      Catch::Contains("--time-budget applies to --learner auto only"));
    um::TrainOptions repeated;
    repeated.cv_repeats = 3;
    CHECK_THROWS_WITH(um::train_uplift(uplift::io::Table{}, "f.parquet", repeated),
                      Catch::Contains("--cv-repeats applies to --learner auto only"));
    um::TrainOptions bad;
    bad.auto_learner = true;
    bad.search = "learner=zz";
    CHECK_THROWS_WITH(um::train_uplift(uplift::io::Table{}, "f.parquet", bad), Catch::Contains("unknown learner 'zz'"));
}
