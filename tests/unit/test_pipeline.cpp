// `upliftctl run`'s pipeline file, date rules and month runs, with a fake stage runner: which stages run, which are
// reused, what the champion decision does, and what a failure leaves.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "support/experiments.hpp"
#include "uplift/artifacts/comparison.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/pipeline/date_rule.hpp"
#include "uplift/pipeline/pipeline_config.hpp"
#include "uplift/pipeline/run_files.hpp"
#include "uplift/pipeline/run_pipeline.hpp"

namespace fs = std::filesystem;
namespace up = uplift::pipeline;

namespace {

up::RunOptions on(const std::string& as_of) { return {.as_of = as_of, .say = {}, .common_args = {}}; }

up::PipelineConfig parse(const std::string& text) { return up::parse_pipeline(text, "p.toml", "/base"); }

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Stands in for the commands: writes each stage's outputs (their content: the command line), and exits with
/// the code set for the stage's command, 0 by default.
struct FakeStages {
    std::vector<std::vector<std::string>> calls;
    std::map<std::string, int> exit_codes;
    std::string salt;  ///< in every output: a new salt makes every stage that runs give new bytes

    up::StageRunner runner() {
        return [this](const up::StageCall& call) {
            calls.push_back(call.args);
            const std::string command = call.args.at(0);
            std::string joined = salt;
            for (const auto& a : call.args) joined += a + " ";
            std::string out;
            for (std::size_t i = 0; i + 1 < call.args.size(); ++i) {
                if (call.args[i] == "-o" || call.args[i] == "--out") out = call.args[i + 1];
            }
            const int code = exit_codes.count(command) ? exit_codes.at(command) : 0;
            write(call.stderr_file, code != 0 && code != 7 ? "upliftctl: error: it broke\n" : "upliftctl: warning: w\n");
            write(call.stdout_file, "");
            if (code != 0 && code != 7) return code;
            if (command == "ingest") {
                // The campaign's content goes through (the purchases' does not: see the rerun test).
                for (std::size_t i = 0; i + 1 < call.args.size(); ++i) {
                    if (call.args[i] == "--campaign") joined += read(call.args[i + 1]);
                }
                write(call.cwd / out / "clients.parquet", joined);
            } else if (command == "train") {
                write(call.cwd / out / "model.json", joined);
                write(call.cwd / out / "holdout.parquet", joined);
            } else if (command == "compare") {
                uplift::artifacts::Comparison c;
                c.decision = code == 7 ? uplift::artifacts::Decision::Reject : uplift::artifacts::Decision::Promote;
                c.reason = code == 7 ? "worse" : "not worse";
                write(call.cwd / out, uplift::artifacts::to_json(c));
            } else {
                write(call.cwd / out, joined);
                if (command == "optimize") write(call.cwd / "plan.json", joined);
            }
            return code;
        };
    }

    std::vector<std::string> commands() const {
        std::vector<std::string> out;
        for (const auto& c : calls) out.push_back(c.at(0));
        return out;
    }
};

const char* retail_pipeline = R"(
[run]
folder = "runs"
seed = 7
[data]
kind = "retail"
folder = "data/{month}"
train_cutoff = "as_of - 1 month"
[train]
max_depth = 3
[optimize]
budget = 1000
)";

/// A pipeline folder with retail inputs for the months given.
fs::path retail_setup(const std::string& name, std::initializer_list<const char*> months) {
    const fs::path dir = test_support::fresh_dir("test_pipeline", name);
    write(dir / "p.toml", retail_pipeline);
    for (const char* m : months) {
        for (const char* t : {"clients.csv", "purchases.csv", "campaign.csv"}) write(dir / "data" / m / t, std::string(m) + t);
    }
    return dir;
}

}  // namespace

TEST_CASE("a pipeline file's stage tables become the commands' own flags", "[pipeline]") {
    const auto c = parse(R"(
[data]
kind = "flat"
file = "campaign_{month}.csv"
[ingest]
treatment = "segment"
treatment_level = ["Womens E-Mail", "Mens E-Mail"]
trim_ids = true
id_type = "text"
[train]
max_depth = 3
learning_rate = 0.1
allow_leaky = false
[report]
languages = ["en", "ru"]
)");
    CHECK(c.kind == up::DataKind::Flat);
    CHECK(c.runs == fs::path("/base/runs"));
    // In key order: a command's flags do not depend on their order.
    CHECK(c.stage_flags.at("ingest") == std::vector<std::string>{"--id-type", "text", "--treatment", "segment",
                                                                 "--treatment-level", "Womens E-Mail",
                                                                 "--treatment-level", "Mens E-Mail", "--trim-ids"});
    CHECK(c.stage_flags.at("train") == std::vector<std::string>{"--learning-rate", "0.1", "--max-depth", "3"});
    CHECK(c.languages == std::vector<std::string>{"en", "ru"});
    CHECK(c.stage_flags.at("report").empty());
}

TEST_CASE("a pipeline file's mistakes name the file, the line and the key", "[pipeline]") {
    const auto message = [](const std::string& text) {
        try {
            parse(text);
        } catch (const uplift::UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = \"d\"\n[train]\nout = \"m\"\n"),
               Catch::Contains("p.toml:5:1: [train] out is set by `upliftctl run` itself"));
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = \"d\"\nfoldr = \"x\"\n"),
               Catch::Contains("p.toml:4:1: [data] has no key 'foldr'"));
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = 3\n"), Catch::Contains("p.toml:3:10: [data] folder must be a string"));
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = \"d\"\n[trian]\n"), Catch::Contains("unknown table [trian]"));
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = \"d\n"), Catch::Contains("p.toml:3:"));
    CHECK_THAT(message("[run]\nseed = 1\n"), Catch::Contains("has no [data] table"));
    CHECK_THAT(message("[data]\nkind = \"csv\"\nfile = \"x\"\n"), Catch::Contains("kind 'csv' is not retail or flat"));
    CHECK_THAT(message("[data]\nkind = \"flat\"\n"), Catch::Contains("needs file"));
    CHECK_THAT(message("[data]\nkind = \"retail\"\nfolder = \"d\"\n[champion]\nmargin = -1\n"), Catch::Contains("margin must be"));
}

TEST_CASE("templates and date rules", "[pipeline]") {
    CHECK(up::expand("data/{month}/x-{as_of}-{year}", "2026-12-01") == "data/2026-12/x-2026-12-01-2026");
    CHECK_THROWS_AS(up::expand("data/{day}", "2026-12-01"), uplift::UsageError);
    CHECK(up::apply_date_rule("as_of", "2026-12-01", "r") == "2026-12-01");
    CHECK(up::apply_date_rule("as_of - 1 month", "2026-12-01", "r") == "2026-11-01");
    CHECK(up::apply_date_rule("as_of-12 months", "2026-12-15", "r") == "2025-12-15");
    CHECK(up::apply_date_rule("as_of - 1 month", "2026-03-31", "r") == "2026-02-28");
    CHECK(up::apply_date_rule("as_of - 30 days", "2026-03-01", "r") == "2026-01-30");
    CHECK(up::apply_date_rule("2019-03-18", "2026-12-01", "r") == "2019-03-18");
    CHECK_THROWS_AS(up::apply_date_rule("last month", "2026-12-01", "r"), uplift::UsageError);
    CHECK_THROWS_AS(up::apply_date_rule("2026-02-30", "2026-12-01", "r"), uplift::UsageError);
    CHECK(up::today_utc().size() == 10);
}

TEST_CASE("a month runs every stage once, a rerun reuses them all, changed data reruns from ingest", "[pipeline]") {
    const auto dir = retail_setup("rerun", {"2026-12"});
    const auto config = up::load_pipeline(dir / "p.toml");
    FakeStages fake;
    const auto first = up::run_pipeline(config, on("2026-12-01"), fake.runner());
    CHECK(first.exit_code == 0);
    CHECK(first.record.status == "ok");
    // No champion yet: no comparison, the model goes to production.
    CHECK(fake.commands() == std::vector<std::string>{"ingest", "features", "train", "features", "score", "optimize", "report"});
    REQUIRE(first.record.champion);
    CHECK(first.record.champion->decision == "promote");
    CHECK(first.record.cutoffs.at("train") == "2026-11-01");
    CHECK(first.record.cutoffs.at("score") == "2026-12-01");
    CHECK(fs::read_symlink(dir / "runs" / "latest") == "2026-12");
    CHECK(fs::read_symlink(dir / "runs" / "champion") == fs::path("2026-12/model"));
    CHECK(fs::exists(dir / "runs" / "2026-12" / "run.json"));
    CHECK(fs::exists(dir / "runs" / "2026-12" / "logs" / "train.err"));
    // The seed and the file's flags reach the stages; the base is scored with the production model's columns.
    CHECK(fake.calls[2] == std::vector<std::string>{"train", "-i", "features.parquet", "-o", "model", "--seed", "7", "--max-depth", "3"});
    CHECK(fake.calls[3] == std::vector<std::string>{"features", "--data", "data", "--cutoff", "2026-12-01", "--population",
                                                    "all", "--like", "model", "-o", "base_features.parquet"});
    // --threads reaches every stage but not the stages' keys: the same outputs at any thread count.
    fake.calls.clear();
    const auto threads = up::run_pipeline(config, {.as_of = "2026-12-01", .say = {}, .common_args = {"--threads", "1"}},
                                          fake.runner());
    CHECK(threads.exit_code == 0);
    CHECK(fake.calls.empty());

    fake.calls.clear();
    const auto again = up::run_pipeline(config, on("2026-12-01"), fake.runner());
    CHECK(fake.calls.empty());
    for (const auto& s : again.record.stages) CHECK(s.status == "skipped");
    CHECK(read(dir / "runs" / "2026-12" / "plan.csv") == read(dir / "runs" / "2026-12" / "plan.csv"));
    CHECK(fs::exists(dir / "runs" / "2026-12" / "model" / "model.json"));

    write(dir / "data" / "2026-12" / "purchases.csv", "one more purchase");
    fake.calls.clear();
    up::run_pipeline(config, on("2026-12-01"), fake.runner());
    // The fake's outputs name their command line, not their inputs, so from features on they equal last run's
    // and the later stages are reused: reuse follows content, not timestamps.
    CHECK(fake.commands() == std::vector<std::string>{"ingest"});
}

TEST_CASE("a rejected challenger leaves the champion in production and exits 7", "[pipeline]") {
    const auto dir = retail_setup("champion", {"2026-12", "2027-01"});
    const auto config = up::load_pipeline(dir / "p.toml");
    FakeStages fake;
    REQUIRE(up::run_pipeline(config, on("2026-12-01"), fake.runner()).exit_code == 0);

    fake.calls.clear();
    fake.exit_codes["compare"] = up::challenger_rejected_exit;
    const auto next = up::run_pipeline(config, on("2027-01-01"), fake.runner());
    CHECK(next.exit_code == up::challenger_rejected_exit);
    CHECK(next.record.status == "challenger_rejected");
    REQUIRE(next.record.champion);
    CHECK(next.record.champion->decision == "reject");
    CHECK(next.record.champion->reason == "worse");
    CHECK(next.record.champion->production_model == "2026-12/model");
    CHECK(next.record.champion_before == "2026-12");
    const std::string champion = fs::absolute(dir / "runs" / "2026-12" / "model").string();
    bool scored_by_champion = false;
    for (const auto& c : fake.calls) {
        if (c[0] == "score") scored_by_champion = c[2] == champion;
    }
    CHECK(scored_by_champion);
    CHECK(fs::read_symlink(dir / "runs" / "champion") == fs::path("2026-12/model"));
    CHECK(fs::read_symlink(dir / "runs" / "latest") == "2027-01");

    // An unchanged rerun reuses the decision; with new campaign outcomes the month is redone, and its new
    // challenger, now found not worse, competes with the same champion, not with itself.
    CHECK(up::run_pipeline(config, on("2027-01-01"), fake.runner()).exit_code == 7);
    write(dir / "data" / "2027-01" / "campaign.csv", "corrected outcomes");
    fake.exit_codes.clear();
    fake.salt = "new outcomes ";
    const auto rerun = up::run_pipeline(config, on("2027-01-01"), fake.runner());
    CHECK(rerun.record.champion_before == "2026-12");
    CHECK(rerun.exit_code == 0);
    CHECK(fs::read_symlink(dir / "runs" / "champion") == fs::path("2027-01/model"));
}

TEST_CASE("a failed stage stops the month, keeps its record and moves no link", "[pipeline]") {
    const auto dir = retail_setup("failure", {"2026-12", "2027-01"});
    const auto config = up::load_pipeline(dir / "p.toml");
    FakeStages fake;
    REQUIRE(up::run_pipeline(config, on("2026-12-01"), fake.runner()).exit_code == 0);
    fake.calls.clear();
    fake.exit_codes["train"] = 3;
    std::vector<std::string> said;
    const auto failed = up::run_pipeline(config, {.as_of = "2027-01-01", .say = [&](const std::string& l) { said.push_back(l); }, .common_args = {}},
                                         fake.runner());
    CHECK(failed.exit_code == 3);
    CHECK(failed.record.status == "failed");
    CHECK(failed.record.failed_stage == "train");
    CHECK(failed.error == "it broke");
    CHECK(fake.commands() == std::vector<std::string>{"ingest", "features", "train"});
    CHECK(fs::read_symlink(dir / "runs" / "latest") == "2026-12");
    CHECK(fs::exists(dir / "runs" / "2027-01" / "run.json"));
    REQUIRE(said.size() >= 3);
    CHECK_THAT(said.back(), Catch::Contains("stage train") && Catch::Contains("failed with exit 3"));
    CHECK_THAT(said[0], Catch::Contains("stage ingest") && Catch::Contains("ran in"));
    CHECK_THAT(said[1], Catch::Contains("ingest: warning: w"));
    CHECK(failed.record.stages[0].warnings == std::vector<std::string>{"w"});
}

TEST_CASE("two runs on one runs folder: the second is refused", "[pipeline]") {
    const auto dir = retail_setup("lock", {"2026-12"});
    const auto config = up::load_pipeline(dir / "p.toml");
    fs::create_directories(dir / "runs");
    const up::RunLock held(dir / "runs" / ".lock");
    FakeStages fake;
    CHECK_THROWS_AS(up::run_pipeline(config, on("2026-12-01"), fake.runner()), uplift::IoError);
    CHECK(fake.calls.empty());
}

TEST_CASE("folder fingerprints follow content and names, not place", "[pipeline]") {
    const auto dir = test_support::fresh_dir("test_pipeline", "fingerprint");
    write(dir / "a" / "x.txt", "1");
    write(dir / "a" / "sub" / "y.txt", "2");
    up::link_or_copy(dir / "a", dir / "b");
    CHECK(up::path_fingerprint(dir / "a") == up::path_fingerprint(dir / "b"));
    write(dir / "b" / "sub" / "z.txt", "");
    CHECK(up::path_fingerprint(dir / "a") != up::path_fingerprint(dir / "b"));
    CHECK_THROWS_AS(up::path_fingerprint(dir / "none"), uplift::IoError);
}
