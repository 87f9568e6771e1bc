// Parsing tests: command lines are parsed exactly as main does, without running anything.
#include <catch2/catch.hpp>

#include <tuple>

#include "cli_common.hpp"
#include "commands.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/train.hpp"

namespace {

struct Parsed {
    CLI::App app{"upliftctl", "upliftctl"};
    upliftctl::Invocation invocation;
    Parsed() { upliftctl::register_commands(app, invocation); }
    void parse(const std::string& line) { app.parse(line, false); }
};

}  // namespace

TEST_CASE("every subcommand parses its example and stores a run step", "[cli]") {
    const std::vector<std::string> lines = {
        "ingest -i h.csv -o d.parquet --treatment segment --control \"No E-Mail\" --outcome visit "
        "--treatment-level \"Womens E-Mail\" --drop conversion,spend --max-reject-rate 2%",
        "features -i d.parquet -o f.parquet --max-levels 5",
        "train -i f.parquet -o model --holdout 0.2 --cv 3 --seed 9 --xgb max_bin=64",
        "score -m model -i f.parquet -o s.parquet",
        "evaluate -s s.parquet --k 0.1,0.3 --bootstrap 10 --json",
    };
    for (const auto& line : lines) {
        INFO(line);
        Parsed p;
        REQUIRE_NOTHROW(p.parse(line));
        REQUIRE(p.invocation.run);
    }
    Parsed p;
    p.parse("train -i f.parquet -o model --seed 9 --threads 2 --overwrite");
    REQUIRE(p.invocation.global.seed == 9);
    REQUIRE(p.invocation.global.threads == 2);
    REQUIRE(p.invocation.global.overwrite);
}

TEST_CASE("bad command lines are parse errors", "[cli]") {
    const std::vector<std::string> lines = {
        "",                                                                  // no subcommand
        "ingest -i h.csv -o d.parquet --treatment t --control c",            // --outcome missing
        "train -i f.parquet -o m --holdout 1.5",                             // out of range
        "train -i f.parquet -o m --learner magic",                           // unknown learner
        "ingest -i h.csv -o d.parquet --treatment t --control c --outcome y --outcome-type count",
        "evaluate -s s.parquet --bins 0",
        "score -m m -i x.parquet -o y.parquet --frobnicate",
    };
    for (const auto& line : lines) {
        INFO(line);
        Parsed p;
        REQUIRE_THROWS_AS(p.parse(line), CLI::ParseError);
    }
}

TEST_CASE("fractions accept shares and percentages", "[cli]") {
    REQUIRE(upliftctl::parse_fraction("1%", "--x") == Approx(0.01));
    REQUIRE(upliftctl::parse_fraction("0.25", "--x") == 0.25);
    REQUIRE_THROWS_AS(upliftctl::parse_fraction("abc", "--x"), uplift::UsageError);
    REQUIRE_THROWS_AS(upliftctl::parse_fraction("150%", "--x"), uplift::UsageError);
    REQUIRE_THROWS_AS(upliftctl::parse_fraction("nan", "--x"), uplift::UsageError);
    // An empty item is a typo the user should see (issue 16), not a value to skip.
    REQUIRE(upliftctl::split_list("0.1,0.3", "--k") == std::vector<std::string>{"0.1", "0.3"});
    REQUIRE_THROWS_WITH(upliftctl::split_list("0.1,,0.3", "--k"), Catch::Contains("--k '0.1,,0.3' has an empty item"));
    REQUIRE_THROWS_AS(upliftctl::split_list("0.1,", "--k"), uplift::UsageError);
}

TEST_CASE("a mistyped command gets the nearest one", "[cli]") {
    CLI::App app{"upliftctl"};
    upliftctl::Invocation invocation;
    upliftctl::register_commands(app, invocation);
    CHECK(upliftctl::nearest_command(app, "evalute") == "evaluate");
    CHECK(upliftctl::nearest_command(app, "trian") == "train");
    CHECK(upliftctl::nearest_command(app, "xyzzy").empty());
}

namespace {

/// What the library says about `options`: the UsageError's message, or "" when train_uplift gets past its
/// parameter checks (it then fails on the empty table, which has no roles).
std::string library_verdict(const uplift::model::TrainOptions& options) {
    try {
        uplift::model::train_uplift(uplift::io::Table{}, "f.parquet", options);
    } catch (const uplift::UsageError& e) {
        return e.what();
    } catch (const uplift::Error&) {
    }
    return "";
}

/// What the CLI says about `flag value`: the parse error's message, or "" when it parses.
std::string cli_verdict(const std::string& flag, const std::string& value,
                        const std::string& command = "train -i f.parquet -o m") {
    Parsed p;
    try {
        p.parse(command + " " + flag + " " + value);
    } catch (const CLI::ParseError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("train's CLI and library accept and refuse the same values, with the same message", "[cli][params]") {
    using Set = void (*)(uplift::model::TrainOptions&, double);
    struct Case {
        std::string flag, value;
        Set set;
        double v;
        bool accepted;
    };
    const std::vector<Case> cases = {
        {"--holdout", "0.95", [](auto& o, double v) { o.holdout = v; }, 0.95, false},
        {"--holdout", "0.9", [](auto& o, double v) { o.holdout = v; }, 0.9, true},
        {"--holdout", "0", [](auto& o, double v) { o.holdout = v; }, 0, true},
        {"--holdout", "-0.1", [](auto& o, double v) { o.holdout = v; }, -0.1, false},
        {"--max-depth", "0", [](auto& o, double v) { o.gbm.max_depth = static_cast<int>(v); }, 0, false},
        {"--max-depth", "1", [](auto& o, double v) { o.gbm.max_depth = static_cast<int>(v); }, 1, true},
        {"--max-depth", "32", [](auto& o, double v) { o.gbm.max_depth = static_cast<int>(v); }, 32, true},
        {"--max-depth", "33", [](auto& o, double v) { o.gbm.max_depth = static_cast<int>(v); }, 33, false},
        {"--cv", "1", [](auto& o, double v) { o.cv = static_cast<int>(v); }, 1, false},
        {"--cv", "0", [](auto& o, double v) { o.cv = static_cast<int>(v); }, 0, true},
        {"--cv", "2", [](auto& o, double v) { o.cv = static_cast<int>(v); }, 2, true},
        {"--dr-folds", "1", [](auto& o, double v) { o.dr_folds = static_cast<int>(v); }, 1, false},
        {"--dr-folds", "21", [](auto& o, double v) { o.dr_folds = static_cast<int>(v); }, 21, false},
        {"--permutation-repeats", "-1", [](auto& o, double v) { o.permutation_repeats = static_cast<int>(v); }, -1, false},
        {"--rounds", "0", [](auto& o, double v) { o.gbm.num_rounds = static_cast<int>(v); }, 0, false},
        {"--learning-rate", "1.5", [](auto& o, double v) { o.gbm.learning_rate = v; }, 1.5, false},
        {"--learning-rate", "1", [](auto& o, double v) { o.gbm.learning_rate = v; }, 1, true},
        {"--early-stopping", "-1", [](auto& o, double v) { o.gbm.early_stopping_rounds = static_cast<int>(v); }, -1, false},
    };
    for (const auto& c : cases) {
        INFO(c.flag << " " << c.value);
        uplift::model::TrainOptions options;
        c.set(options, c.v);
        const std::string library = library_verdict(options);
        const std::string cli = cli_verdict(c.flag, c.value);
        if (c.accepted) {
            REQUIRE(library.empty());
            REQUIRE(cli.empty());
        } else {
            REQUIRE(library.rfind(c.flag + " must be ", 0) == 0);
            REQUIRE(library.find(", got " + c.value) != std::string::npos);
            REQUIRE_THAT(cli, Catch::Contains(library));
        }
    }
}

TEST_CASE("train --help shows each option's declared default and range", "[cli][params]") {
    Parsed p;
    const std::string help = p.app.get_subcommand("train")->help();
    REQUIRE_THAT(help, Catch::Contains("--holdout") && Catch::Contains("[0, 0.9]") && Catch::Contains("[1, 32]") &&
                           Catch::Contains("0 or [2, 100]"));
}

TEST_CASE("evaluate's CLI and library refuse the same --bins and --bootstrap, with the same message", "[cli][params]") {
    const std::vector<double> y{0, 1, 0, 1, 1, 0}, s{0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const std::vector<std::uint8_t> t{0, 0, 1, 1, 1, 0};
    const std::string command = "evaluate -s s.parquet";
    for (const auto& [flag, value, bins, bootstrap] :
         std::vector<std::tuple<std::string, std::string, int, int>>{{"--bins", "0", 0, 0},
                                                                     {"--bins", "1001", 1001, 0},
                                                                     {"--bootstrap", "-1", 10, -1},
                                                                     {"--bootstrap", "100001", 10, 100001}}) {
        INFO(flag << " " << value);
        uplift::eval::EvaluationOptions options;
        options.bins = bins;
        options.bootstrap = bootstrap;
        std::string library;
        try {
            uplift::eval::evaluate(y, t, s, options);
        } catch (const uplift::UsageError& e) {
            library = e.what();
        }
        REQUIRE(library == flag + " must be in " + (flag == "--bins" ? "[1, 1000]" : "[0, 100000]") + ", got " + value);
        REQUIRE_THAT(cli_verdict(flag, value, command), Catch::Contains(library));
    }
    REQUIRE(cli_verdict("--bins", "1000", command).empty());
    REQUIRE(cli_verdict("--bootstrap", "100000", command).empty());
}
