#include "uplift/model/randomisation.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

using uplift::model::check_randomisation;
using uplift::model::DenseMatrix;

TEST_CASE("the randomisation check runs on a bounded sample of a large table", "[randomisation]") {
    // 250,000 randomised rows: above the bound, so the classifier sees 200,000 and is measured on 30% of them.
    const std::size_t n = 250000;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    DenseMatrix x{n, 2, {}};
    std::vector<int> arm(n);
    for (std::size_t i = 0; i < n; ++i) {
        x.values.push_back(u(rng));
        x.values.push_back(u(rng));
        arm[i] = u(rng) < 0.5f ? 1 : 0;
    }
    const auto checks = check_randomisation(x, arm, {"offer"}, 42, 2);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].n_eval >= 59999);
    CHECK(checks[0].n_eval <= 60001);
    CHECK_FALSE(checks[0].flagged);
}
