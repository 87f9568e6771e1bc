// Parsing tests: command lines are parsed exactly as main does, without running anything.
#include <catch2/catch.hpp>

#include "cli_common.hpp"
#include "commands.hpp"

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
    REQUIRE_THROWS_AS(upliftctl::parse_fraction("abc", "--x"), CLI::ValidationError);
    REQUIRE_THROWS_AS(upliftctl::parse_fraction("150%", "--x"), CLI::ValidationError);
    REQUIRE(upliftctl::split_list("0.1,,0.3") == std::vector<std::string>{"0.1", "0.3"});
}
