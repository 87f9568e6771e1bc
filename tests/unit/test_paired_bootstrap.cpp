// The paired bootstrap of (challenger − champion): both rankings measured on one resample per replicate.

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/paired_bootstrap.hpp"
#include "uplift/eval/resample.hpp"

namespace ue = uplift::eval;

namespace {

// Rows whose treatment raises the response rate with a hidden signal; `signal` ranks by it, `noise` at random.
struct Campaign {
    std::vector<double> y;
    std::vector<std::uint8_t> t;
    std::vector<double> signal;
    std::vector<double> noise;
};

Campaign campaign(std::size_t n, std::uint64_t seed) {
    uplift::Rng rng(seed);
    Campaign c;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = rng.uniform01();
        const bool treated = rng.below(2) == 1;
        c.t.push_back(treated ? 1 : 0);
        c.y.push_back(rng.uniform01() < 0.1 + (treated ? 0.5 * x : 0.0) ? 1.0 : 0.0);
        c.signal.push_back(x);
        c.noise.push_back(rng.uniform01());
    }
    return c;
}

}  // namespace

TEST_CASE("identical models differ by exactly 0 in every replicate", "[eval][paired]") {
    const Campaign c = campaign(2000, 5);
    const ue::RankedScores champion(c.y, c.t, c.signal);
    const ue::RankedScores challenger(c.y, c.t, c.signal);
    const std::vector<double> ks{0.1, 0.3};
    const auto p = ue::paired_bootstrap(champion, challenger, ks, 200, 42);
    REQUIRE(p.qini_auc.has_value());
    CHECK(p.qini_auc->low == 0.0);
    CHECK(p.qini_auc->high == 0.0);
    REQUIRE(p.uplift_at_k.size() == 2);
    for (const auto& ci : p.uplift_at_k) {
        REQUIRE(ci.has_value());
        CHECK(ci->low == 0.0);
        CHECK(ci->high == 0.0);
    }
    CHECK(p.replicates == 200);
    CHECK(p.level == 0.95);
}

TEST_CASE("uplift@1 takes every row whatever the ranking: two different models differ by exactly 0", "[eval][paired]") {
    const Campaign c = campaign(500, 6);
    const ue::RankedScores champion(c.y, c.t, c.noise);
    const ue::RankedScores challenger(c.y, c.t, c.signal);
    const std::vector<double> ks{1.0};
    const auto p = ue::paired_bootstrap(champion, challenger, ks, 100, 3);
    REQUIRE(p.uplift_at_k[0].has_value());
    CHECK(p.uplift_at_k[0]->low == Approx(0.0).margin(1e-15));
    CHECK(p.uplift_at_k[0]->high == Approx(0.0).margin(1e-15));
}

TEST_CASE("one replicate is the difference of both models' metrics on the same resampled rows", "[eval][paired]") {
    // Rebuild the replicate's resample by hand (the documented draw: Rng(s_0) over the challenger's ranks,
    // treated first, then control), write it out row by row, and score both models on it with the plain metrics.
    const Campaign c = campaign(300, 8);
    const ue::RankedScores champion(c.y, c.t, c.noise);
    const ue::RankedScores challenger(c.y, c.t, c.signal);
    const std::uint64_t seed = 11;
    uplift::Rng rng(ue::detail::replicate_seeds(seed, 1)[0]);
    const ue::detail::ResampleGroups groups(challenger);
    std::vector<double> y, champion_score, challenger_score;
    std::vector<std::uint8_t> t;
    for (const auto* group : {&groups.treated, &groups.control}) {
        for (std::size_t j = 0; j < group->size(); ++j) {
            const std::size_t row = challenger.row()[(*group)[rng.below(group->size())]];
            y.push_back(c.y[row]);
            t.push_back(c.t[row]);
            champion_score.push_back(c.noise[row]);
            challenger_score.push_back(c.signal[row]);
        }
    }
    const double qini_gap = ue::qini_auc_score(y, t, challenger_score) - ue::qini_auc_score(y, t, champion_score);
    const double at_half_gap = *ue::uplift_at_k(y, t, challenger_score, 0.5, ue::Strategy::Overall) -
                               *ue::uplift_at_k(y, t, champion_score, 0.5, ue::Strategy::Overall);

    const std::vector<double> ks{0.5};
    const auto p = ue::paired_bootstrap(champion, challenger, ks, 1, seed);
    REQUIRE(p.qini_auc.has_value());
    CHECK(p.qini_auc->low == Approx(qini_gap).margin(1e-12));
    CHECK(p.qini_auc->high == Approx(qini_gap).margin(1e-12));
    REQUIRE(p.uplift_at_k[0].has_value());
    CHECK(p.uplift_at_k[0]->low == Approx(at_half_gap).margin(1e-12));
    CHECK(p.uplift_at_k[0]->high == Approx(at_half_gap).margin(1e-12));
}

TEST_CASE("a model that ranks by the signal is credibly better than one that ranks at random", "[eval][paired]") {
    const Campaign c = campaign(3000, 9);
    const ue::RankedScores random_model(c.y, c.t, c.noise);
    const ue::RankedScores signal_model(c.y, c.t, c.signal);
    const std::vector<double> ks{0.3};
    const auto better = ue::paired_bootstrap(random_model, signal_model, ks, 200, 1);
    CHECK(better.qini_auc->low > 0.0);
    CHECK(better.uplift_at_k[0]->low > 0.0);
    const auto worse = ue::paired_bootstrap(signal_model, random_model, ks, 200, 1);
    CHECK(worse.qini_auc->high < 0.0);
}

TEST_CASE("the paired bootstrap does not depend on the thread count", "[eval][paired][threads]") {
    const Campaign c = campaign(40000, 10);
    const ue::RankedScores champion(c.y, c.t, c.noise);
    const ue::RankedScores challenger(c.y, c.t, c.signal);
    const std::vector<double> ks{0.1, 0.3};
    const auto one = ue::paired_bootstrap(champion, challenger, ks, 8, 42, 0.95, 1);
    const auto four = ue::paired_bootstrap(champion, challenger, ks, 8, 42, 0.95, 4);
    CHECK(one == four);
    CHECK(ue::detail::replicate_parts(4, 2 * 40000, 8) > 1);  // the four-thread run did split the work
}

TEST_CASE("the paired bootstrap refuses rankings of different rows and bad requests", "[eval][paired]") {
    const Campaign c = campaign(100, 12);
    const Campaign d = campaign(100, 13);
    const ue::RankedScores a(c.y, c.t, c.signal);
    const ue::RankedScores b(d.y, d.t, d.signal);
    const std::vector<double> ks{0.3};
    CHECK_THROWS_AS(ue::paired_bootstrap(a, b, ks, 10, 1), uplift::InternalError);
    CHECK_THROWS_AS(ue::paired_bootstrap(a, a, ks, 0, 1), uplift::UsageError);
    const std::vector<double> bad_k{1.5};
    CHECK_THROWS_AS(ue::paired_bootstrap(a, a, bad_k, 10, 1), uplift::UsageError);
}
