// Progress for long stages (issue 17, cron manners): the counter the library ticks and the line the CLI draws.
#include <catch2/catch.hpp>

#include <vector>

#include "progress_bar.hpp"
#include "uplift/core/progress.hpp"

using namespace std::chrono_literals;

TEST_CASE("the progress counter reports each step against the total it was given", "[progress]") {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    const uplift::Progress record = [&](std::uint64_t done, std::uint64_t total) { seen.emplace_back(done, total); };
    uplift::ProgressCounter counter(record, 3);
    counter.step();
    counter.step();
    counter.step();
    REQUIRE(seen == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 3}, {2, 3}, {3, 3}});
    const uplift::Progress none;
    uplift::ProgressCounter silent(none, 2);
    REQUIRE_NOTHROW(silent.step());
    REQUIRE(silent.done() == 1);
}

TEST_CASE("the progress line shows the bar, the share, the counts and an ETA from the pace so far", "[progress]") {
    using upliftctl::progress_line;
    REQUIRE(progress_line("train", "model fits", 0, 8, 0ms) == "train  [--------------------]   0%  0/8 model fits  ETA --:--");
    // 2 of 8 fits in 10 s: 6 more at that pace take 30 s.
    REQUIRE(progress_line("train", "model fits", 2, 8, 10s) == "train  [#####---------------]  25%  2/8 model fits  ETA 0:30");
    REQUIRE(progress_line("score", "rows", 42693, 42693, 65s) ==
            "score  [####################] 100%  42,693/42,693 rows  took 1:05");
    // Unknown total (a CSV input): the count so far and the time.
    REQUIRE(progress_line("score", "rows", 1200000, 0, 3723s) == "score  1,200,000 rows  1:02:03");
}

TEST_CASE("no progress callback unless progress is shown, and never under -q without --progress", "[progress]") {
    upliftctl::GlobalOptions quiet;
    quiet.quiet = true;
    REQUIRE_FALSE(upliftctl::progress_bar(quiet, "train", "model fits"));
    upliftctl::GlobalOptions off;
    off.progress = false;
    REQUIRE_FALSE(upliftctl::progress_bar(off, "train", "model fits"));
    upliftctl::GlobalOptions forced;
    forced.progress = true;
    REQUIRE(upliftctl::progress_bar(forced, "train", "model fits"));
}
