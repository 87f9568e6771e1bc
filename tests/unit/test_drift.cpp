// Drift between training and scoring (issue 17): reference distributions, PSI, the counter and the gate.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>
#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/eval/drift.hpp"
#include "uplift/model/drift_check.hpp"

using uplift::eval::distribution_reference;
using uplift::eval::DriftCounter;
using uplift::eval::population_stability_index;

namespace {

std::vector<double> normal_sample(std::size_t n, double mean, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> d(mean, 1.0);
    std::vector<double> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

/// A one-feature reference and the PSI of `scored` against it.
uplift::artifacts::DriftReport drift_of(const std::vector<double>& train, const std::vector<double>& scored) {
    static uplift::artifacts::DriftReference reference;  // the counter keeps a reference to it
    reference = {};
    reference.rows = static_cast<std::int64_t>(train.size());
    reference.features.push_back(distribution_reference("x", train));
    DriftCounter counter(reference);
    std::vector<float> values(scored.begin(), scored.end());
    counter.add_features(values, values.size());
    return counter.report();
}

}  // namespace

TEST_CASE("PSI matches a hand computation", "[drift]") {
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
    const double expected = -0.25 * std::log(0.5) + 0.25 * std::log(1.5);
    const std::vector<double> e{0.5, 0.5}, a{0.25, 0.75};
    REQUIRE(population_stability_index(e, a) == Approx(expected).epsilon(1e-12));
    REQUIRE(population_stability_index(e, e) == 0.0);
}

TEST_CASE("a reference has quantile bins for a continuous input and values for an indicator", "[drift]") {
    const auto continuous = distribution_reference("history", normal_sample(10000, 0, 1));
    REQUIRE(continuous.kind == "bins");
    REQUIRE(continuous.cuts.size() == 9);
    double total = 0;
    for (double s : continuous.shares) {
        total += s;
        REQUIRE(s == Approx(0.1).margin(0.002));
    }
    REQUIRE(total == Approx(1.0));
    const std::vector<double> indicator{0, 1, 1, 0, 0, 0, NAN, 1};
    const auto one_hot = distribution_reference("channel=Web", indicator);
    REQUIRE(one_hot.kind == "values");
    REQUIRE(one_hot.cuts == std::vector<double>{0, 1});
    REQUIRE(one_hot.shares[0] == Approx(4.0 / 7));
    REQUIRE(one_hot.missing_share == Approx(1.0 / 8));
}

TEST_CASE("the same population is stable, a shifted one is a major shift with values outside the range", "[drift]") {
    const auto train = normal_sample(20000, 0, 1);
    const auto same = drift_of(train, normal_sample(20000, 0, 2));
    REQUIRE(same.features.front().psi < 0.01);
    REQUIRE(same.features.front().outside_share < 0.001);
    const auto shifted = drift_of(train, normal_sample(20000, 3.0, 3));  // 3 sd: ~18% beyond the training max
    REQUIRE(shifted.features.front().psi > uplift::eval::psi_major);
    REQUIRE(shifted.features.front().outside_share > 0.05);
    // Half the values missing where training had none: missing is a bin of its own.
    auto holes = normal_sample(20000, 0, 4);
    for (std::size_t i = 0; i < holes.size(); i += 2) holes[i] = NAN;
    const auto missing = drift_of(train, holes);
    REQUIRE(missing.features.front().missing_share == Approx(0.5));
    REQUIRE(missing.features.front().psi > uplift::eval::psi_major);
}

TEST_CASE("an indicator value never seen in training counts as outside the range", "[drift]") {
    const auto report = drift_of(std::vector<double>{0, 1, 0, 1}, std::vector<double>{0, 1, 2, 2});
    REQUIRE(report.features.front().outside_share == Approx(0.5));
    REQUIRE(report.features.front().psi > uplift::eval::psi_major);
}

TEST_CASE("drift warns at --drift-warn and stops with exit 6 at --drift-fail", "[drift]") {
    uplift::artifacts::DriftReport report;
    report.rows = 100;
    report.reference_rows = 1000;
    report.features = {{"recency", 0.4, 0.2, 0, 0}, {"history", 0.05, 0, 0, 0}};
    report.score = uplift::artifacts::InputDrift{"uplift", 0.3, 0.01, 0, 0};
    uplift::model::DriftThresholds thresholds;
    const auto lines = uplift::model::drift_warnings(report, thresholds);
    REQUIRE(lines.size() == 2);
    REQUIRE_THAT(lines[0], Catch::StartsWith("score 'uplift': PSI 0.300 (major shift)"));
    REQUIRE_THAT(lines[1], Catch::StartsWith("feature 'recency': PSI 0.400 (major shift), 20.0% outside"));
    REQUIRE_NOTHROW(uplift::model::check_drift(report, thresholds));
    thresholds.fail = 0.35;
    REQUIRE_THROWS_AS(uplift::model::check_drift(report, thresholds), uplift::DriftError);
    REQUIRE_THROWS_WITH(uplift::model::check_drift(report, thresholds),
                        Catch::StartsWith("1 of the model's inputs drifted past --drift-fail 0.35 (PSI: 'recency' 0.400)"));
    REQUIRE(uplift::exit_code_of(uplift::ErrorKind::Drift) == 6);
}

TEST_CASE("drift reference and report survive JSON", "[drift][artifacts]") {
    uplift::artifacts::DriftReport report;
    report.rows = 12;
    report.reference_rows = 34;
    report.features = {{"a", 0.5, 0.25, 0.125, 0}};
    const auto back = uplift::artifacts::drift_report_from_json(uplift::artifacts::to_json(report), "r.json");
    REQUIRE(back == report);
    uplift::artifacts::DriftReference reference;
    reference.rows = 3;
    reference.score_rows = "holdout";
    const std::vector<double> values{1.0, 2.0, 3.0};
    reference.features.push_back(distribution_reference("x", values));
    const auto j = uplift::artifacts::to_json_value(reference);
    REQUIRE(uplift::artifacts::drift_reference_from(uplift::artifacts::json_fields::Reader(j, "m.json")) == reference);
}

namespace {

/// The reference by its definition, the slow way: sort every value, take the distinct ones from a set.
uplift::artifacts::DistributionReference sorted_reference(std::vector<double> values) {
    uplift::artifacts::DistributionReference d;
    std::vector<double> present;
    for (double v : values) {
        if (!std::isnan(v)) present.push_back(v);
    }
    d.missing_share = 1.0 - static_cast<double>(present.size()) / static_cast<double>(values.size());
    std::sort(present.begin(), present.end());
    d.min = present.front();
    d.max = present.back();
    const std::set<double> distinct(present.begin(), present.end());
    const auto n = static_cast<double>(present.size());
    if (distinct.size() <= static_cast<std::size_t>(uplift::eval::drift_bins)) {
        d.kind = "values";
        d.cuts.assign(distinct.begin(), distinct.end());
        for (double c : d.cuts) {
            const auto [lo, hi] = std::equal_range(present.begin(), present.end(), c);
            d.shares.push_back(static_cast<double>(hi - lo) / n);
        }
        return d;
    }
    d.kind = "bins";
    for (int q = 1; q < uplift::eval::drift_bins; ++q) {
        const double cut = present[static_cast<std::size_t>(std::floor(q * (n - 1) / uplift::eval::drift_bins))];
        if (cut < d.max && (d.cuts.empty() || cut > d.cuts.back())) d.cuts.push_back(cut);
    }
    d.shares.assign(d.cuts.size() + 1, 0.0);
    for (double v : present) {
        d.shares[static_cast<std::size_t>(std::lower_bound(d.cuts.begin(), d.cuts.end(), v) - d.cuts.begin())] += 1.0 / n;
    }
    return d;
}

}  // namespace

TEST_CASE("the drift reference is exactly the sorted column's, without sorting it", "[drift]") {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(0, 1);
    // Continuous values, heavy ties, exactly drift_bins and one more distinct values, a few rows, missing values.
    for (const int distinct : {0, 3, 10, 11, 40}) {
        for (const std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{20}, std::size_t{5001}}) {
            std::vector<double> values(n);
            for (double& v : values) {
                v = distinct == 0 ? u(rng) : std::floor(u(rng) * distinct);
                if (u(rng) < 0.05) v = std::nan("");
            }
            values[0] = 0.5;  // at least one value present
            const auto fast = distribution_reference("x", values);
            const auto slow = sorted_reference(values);
            INFO("distinct " << distinct << ", n " << n);
            CHECK(fast.kind == slow.kind);
            CHECK(fast.cuts == slow.cuts);
            CHECK(fast.shares == slow.shares);  // exactly, not approximately
            CHECK(fast.min == slow.min);
            CHECK(fast.max == slow.max);
            CHECK(fast.missing_share == slow.missing_share);
        }
    }
}
