// Outputs that never half-exist and never replace what they must not: issue 16, items 6, 7 and 11.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/stale_temporaries.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::io::AtomicOutput;

namespace {

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_atomic", name); }

/// Changes the working folder for one scope.
struct InFolder {
    fs::path before = fs::current_path();
    explicit InFolder(const fs::path& p) { fs::current_path(p); }
    ~InFolder() { fs::current_path(before); }
};

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("a file that appeared after the run started is not replaced", "[io][atomic]") {
    const fs::path dir = fresh_dir("race");
    AtomicOutput mine(dir / "plan.csv", false);
    std::ofstream(mine.temp_path()) << "mine";
    std::ofstream(dir / "plan.csv") << "the other run's";  // a concurrent run finished first
    REQUIRE_THROWS_AS(mine.commit(), uplift::IoError);
    REQUIRE(read(dir / "plan.csv") == "the other run's");
}

TEST_CASE("with --overwrite, a file that appeared after the run started is still not replaced", "[io][atomic]") {
    const fs::path dir = fresh_dir("race_overwrite");
    AtomicOutput mine(dir / "scores.parquet", true);
    std::ofstream(mine.temp_path()) << "mine";
    std::ofstream(dir / "scores.parquet") << "the other run's";
    REQUIRE_THROWS_WITH(mine.commit(), Catch::Contains("appeared while this run was writing it"));
    REQUIRE(read(dir / "scores.parquet") == "the other run's");
}

TEST_CASE("with --overwrite, a file there from the start is replaced", "[io][atomic]") {
    const fs::path dir = fresh_dir("replace");
    std::ofstream(dir / "x.txt") << "old";
    AtomicOutput out(dir / "x.txt", true);
    std::ofstream(out.temp_path()) << "new";
    out.commit();
    REQUIRE(read(dir / "x.txt") == "new");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    REQUIRE(entries == 1);
}

TEST_CASE("a folder output replaces the old folder whole", "[io][atomic]") {
    const fs::path dir = fresh_dir("folder");
    fs::create_directories(dir / "model");
    std::ofstream(dir / "model" / "stale.json") << "{}";
    AtomicOutput out(dir / "model/", true);  // a trailing slash names the same folder
    REQUIRE(out.target() == dir / "model");
    fs::create_directories(out.temp_path());
    std::ofstream(out.temp_path() / "model.json") << "{}";
    out.commit();
    REQUIRE(fs::exists(dir / "model" / "model.json"));
    REQUIRE_FALSE(fs::exists(dir / "model" / "stale.json"));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    REQUIRE(entries == 1);
}

TEST_CASE("'.', '..' and the working folder are never an output", "[io][atomic]") {
    const fs::path dir = fresh_dir("dots");
    fs::create_directories(dir / "work");
    std::ofstream(dir / "work" / "keep.csv") << "x";
    const InFolder here(dir / "work");
    for (const char* name : {".", "..", "./", "../", "../work", "/", ""}) {
        INFO(name);
        REQUIRE_THROWS_AS(AtomicOutput(name, true), uplift::UsageError);
        REQUIRE_THROWS_AS(uplift::io::check_writable(name, true), uplift::UsageError);
    }
    REQUIRE(fs::exists(dir / "work" / "keep.csv"));
}

TEST_CASE("an output folder holding an input, or a file inside an input folder, is refused", "[io][atomic]") {
    const fs::path dir = fresh_dir("inside");
    fs::create_directories(dir / "raw");
    std::ofstream(dir / "raw" / "purchases.csv") << "x";
    fs::create_directories(dir / "model");
    std::ofstream(dir / "model" / "holdout.parquet") << "x";
    using uplift::io::check_distinct_outputs;
    REQUIRE_THROWS_WITH(check_distinct_outputs({dir / "raw"}, {dir / "raw" / "purchases.csv"}),
                        Catch::Contains("holds the input"));
    REQUIRE_THROWS_WITH(check_distinct_outputs({dir / "raw/."}, {dir / "raw"}), Catch::Contains("is the input"));
    REQUIRE_THROWS_WITH(check_distinct_outputs({dir / "model" / "holdout.parquet"}, {dir / "model"}),
                        Catch::Contains("is a file of the input"));
    REQUIRE_THROWS_WITH(check_distinct_outputs({dir / "x.parquet", dir / "./x.parquet"}, {}),
                        Catch::Contains("named twice"));
    {
        const InFolder here(dir);  // relative names of files that do not exist yet
        REQUIRE_THROWS_WITH(check_distinct_outputs({"p.csv", "./p.csv"}, {}), Catch::Contains("named twice"));
        REQUIRE_THROWS_WITH(check_distinct_outputs({"./raw/purchases.csv"}, {"raw/purchases.csv"}),
                            Catch::Contains("is the input"));
    }
    REQUIRE_NOTHROW(check_distinct_outputs({dir / "model" / "new_scores.parquet"}, {dir / "model"}));
    REQUIRE_NOTHROW(check_distinct_outputs({dir / "raw2"}, {dir / "raw" / "purchases.csv"}));
}

TEST_CASE("an output name too long for a file system is a usage error, not a crash", "[io][atomic]") {
    const fs::path dir = fresh_dir("long");
    REQUIRE_THROWS_WITH(uplift::io::check_writable(dir / std::string(300, 'a'), false), Catch::Contains("300 bytes"));
}

TEST_CASE("temporaries of killed runs older than a day are removed, fresh ones and foreign names stay",
          "[io][atomic]") {
    const fs::path dir = fresh_dir("stale");
    const auto two_days_ago = fs::file_time_type::clock::now() - std::chrono::hours(48);
    // A process id that cannot be running: above the kernel's pid_max limit (4194304).
    const fs::path dead = dir / ".model.tmp-99999999-0";
    fs::create_directories(dead / "base");
    std::ofstream(dead / "base" / "t.json") << "{}";
    fs::last_write_time(dead, two_days_ago);
    const fs::path dead_spool = dir / ".scores.parquet.spool-99999998-3.wal";
    std::ofstream(dead_spool) << "x";
    fs::last_write_time(dead_spool, two_days_ago);
    const fs::path fresh = dir / ".plan.csv.tmp-99999997-1";
    std::ofstream(fresh) << "x";
    const fs::path alive = dir / (".x.tmp-" + std::to_string(::getpid()) + "-7");
    std::ofstream(alive) << "x";
    fs::last_write_time(alive, two_days_ago);
    const fs::path foreign = dir / ".tmp-notours";
    std::ofstream(foreign) << "x";
    fs::last_write_time(foreign, two_days_ago);

    AtomicOutput out(dir / "model", false);  // opening an output in the folder clears it
    REQUIRE_FALSE(fs::exists(dead));
    REQUIRE_FALSE(fs::exists(dead_spool));
    REQUIRE(fs::exists(fresh));
    REQUIRE(fs::exists(alive));
    REQUIRE(fs::exists(foreign));
}

TEST_CASE("the owner of a temporary is read from its name", "[io][atomic]") {
    using uplift::io::temporary_owner;
    REQUIRE(temporary_owner(".model.tmp-123-0") == 123);
    REQUIRE(temporary_owner(".a.b.parquet.spool-45-2.wal") == 45);
    REQUIRE(temporary_owner(".x.tmp-12-3-old") == 12);
    REQUIRE(temporary_owner("model.tmp-123-0") == -1);
    REQUIRE(temporary_owner(".x.tmp-abc-0") == -1);
    REQUIRE(temporary_owner(".x.tmp-12") == -1);
    REQUIRE(temporary_owner(".tmp-1-2") == -1);
}
