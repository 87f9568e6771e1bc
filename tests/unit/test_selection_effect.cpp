// The measured effect of a chosen set of clients (eval/selection_effect.hpp): a hand computation, and its
// calibration on simulated randomised tests whose true individual effects are known.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/eval/selection_effect.hpp"

namespace ue = uplift::eval;

TEST_CASE("selection effect by hand: AIPW terms, standard error and the model's forecast", "[eval][selection]") {
    // Control share 0.5, offer share 0.5. ψ = (m1 − m0) + T·(y − m1)/0.5 − C·(y − m0)/0.5:
    //   row 1 treated, y 1: 0.1 + (1 − 0.3)/0.5 = 1.5
    //   row 2 control, y 0: 0.1 − (0 − 0.2)/0.5 = 0.5
    //   row 3 treated, y 0: 0.2 + (0 − 0.4)/0.5 = −0.6
    //   row 4 control, y 1: 0.2 − (1 − 0.2)/0.5 = −1.4
    // Σψ = 0; mean 0; squared deviations 2.25 + 0.25 + 0.36 + 1.96 = 4.82; se = sqrt(4 · 4.82 / 3).
    const std::vector<ue::SelectionRow> rows = {
        {1, 1, 1, 0.2, 0.3, 1}, {0, 0, 1, 0.2, 0.3, 1}, {0, 1, 1, 0.2, 0.4, 1}, {1, 0, 1, 0.2, 0.4, 1}};
    const std::vector<double> shares = {0.5, 0.5};
    const auto e = ue::selection_effect(rows, shares);
    CHECK(e.clients == 4);
    CHECK(e.treated == 2);
    CHECK(e.control == 2);
    CHECK(e.estimate == Approx(0.0).margin(1e-12));
    CHECK(e.std_error == Approx(std::sqrt(4 * 4.82 / 3)));
    CHECK(e.model_forecast == Approx(0.6));
    CHECK(e.range.high - e.range.low == Approx(2 * 1.959963984540054 * e.std_error));
    // A weight scales every term: money instead of counts.
    std::vector<ue::SelectionRow> money = rows;
    for (auto& r : money) r.weight = 10;
    CHECK(ue::selection_effect(money, shares).model_forecast == Approx(6.0));
    CHECK(ue::selection_effect(money, shares).std_error == Approx(10 * e.std_error));
    // An arm without rows cannot be measured.
    const std::vector<double> no_control = {0.0, 1.0};
    CHECK_THROWS_AS(ue::selection_effect(rows, no_control), uplift::DataError);
}

TEST_CASE("selection effect: 95% ranges cover the true sum of uplift of the chosen clients, unbiased",
          "[eval][selection][calibration]") {
    // 400 simulated campaigns of 4,000 clients with known p0, p1 per client; the "model" predicts them with
    // noise (as an out-of-fold model would: not fitted on the clients' own outcomes); the plan takes the 30%
    // with the highest predicted uplift.
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> unit(0, 1);
    std::normal_distribution<double> noise(0, 0.05);
    constexpr int runs = 400;
    int covered = 0;
    double relative_error = 0, forecast_error = 0;
    for (int run = 0; run < runs; ++run) {
        constexpr std::size_t n = 4000;
        std::vector<double> p0(n), p1(n), m0(n), m1(n);
        std::vector<int> arm(n);
        std::vector<double> y(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double x = unit(rng);
            p0[i] = 0.05 + 0.2 * x;
            p1[i] = std::min(0.95, p0[i] + 0.1 * x * x);
            m0[i] = std::clamp(p0[i] + noise(rng), 0.0, 1.0);
            m1[i] = std::clamp(p1[i] + noise(rng), 0.0, 1.0);
            arm[i] = unit(rng) < 0.5 ? 1 : 0;
            y[i] = unit(rng) < (arm[i] == 1 ? p1[i] : p0[i]) ? 1 : 0;
        }
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m1[a] - m0[a] > m1[b] - m0[b]; });
        std::vector<ue::SelectionRow> chosen;
        double truth = 0;
        double treated = 0;
        for (std::size_t i = 0; i < n; ++i) treated += arm[i];
        for (std::size_t r = 0; r < n * 3 / 10; ++r) {
            const std::size_t i = order[r];
            chosen.push_back({y[i], arm[i], 1, m0[i], m1[i], 1});
            truth += p1[i] - p0[i];
        }
        const std::vector<double> shares = {1 - treated / n, treated / n};
        const auto e = ue::selection_effect(chosen, shares);
        if (e.range.low <= truth && truth <= e.range.high) ++covered;
        relative_error += (e.estimate - truth) / truth;
        forecast_error += (e.model_forecast - truth) / truth;
    }
    const double coverage = static_cast<double>(covered) / runs;
    INFO("coverage " << coverage << ", mean relative error " << relative_error / runs << ", forecast's "
                     << forecast_error / runs);
    CHECK(coverage >= 0.92);
    CHECK(coverage <= 0.98);
    CHECK(std::fabs(relative_error / runs) < 0.03);
    // Clients chosen on noisy predictions look better to the model than they are: that is why the measured
    // estimate, not the forecast, is the plan's figure.
    CHECK(forecast_error / runs > 0.05);
}
