// Uplift metrics against scikit-uplift 0.5.1's own values (tests/data/metric_vectors.json), plus
// hand-checked cases, input validation, bootstrap reproducibility and the JSON shape.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/eval/arm_rows.hpp"
#include "uplift/eval/bootstrap.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/oracle.hpp"
#include "uplift/eval/ranking.hpp"
#include "uplift/eval/validation.hpp"

namespace ue = uplift::eval;
using nlohmann::json;

namespace {

struct MetricVector {
    std::string name;
    std::vector<double> y;
    std::vector<std::uint8_t> t;
    std::vector<double> score;
    std::vector<double> ks;
    int bins = 10;
    json expected;
};

const std::vector<MetricVector>& metric_vectors() {
    static const std::vector<MetricVector> vectors = [] {
        std::ifstream in(UPLIFT_TEST_DATA_DIR "/metric_vectors.json");
        REQUIRE(in.good());
        const json doc = json::parse(in);
        std::vector<MetricVector> out;
        for (const json& v : doc.at("vectors")) {
            MetricVector m;
            m.name = v.at("name").get<std::string>();
            m.y = v.at("y").get<std::vector<double>>();
            for (const json& t : v.at("treatment")) m.t.push_back(static_cast<std::uint8_t>(t.get<int>()));
            m.score = v.at("score").get<std::vector<double>>();
            m.ks = v.at("params").at("k").get<std::vector<double>>();
            m.bins = v.at("params").at("bins").get<int>();
            m.expected = v.at("expected");
            out.push_back(std::move(m));
        }
        return out;
    }();
    return vectors;
}

bool close(double got, double want) {
    return std::abs(got - want) <= 1e-9 + 1e-9 * std::abs(want);
}

void check_value(std::optional<double> got, const json& want, const std::string& what) {
    INFO(what << ": got " << (got ? std::to_string(*got) : "null") << ", want " << want.dump());
    if (want.is_null()) {
        CHECK_FALSE(got.has_value());
    } else {
        REQUIRE(got.has_value());
        CHECK(close(*got, want.get<double>()));
    }
}

void check_curve(const ue::Curve& got, const json& want, const std::string& what) {
    const auto x = want.at("x").get<std::vector<double>>();
    const auto y = want.at("y").get<std::vector<double>>();
    INFO(what);
    REQUIRE(got.x.size() == x.size());
    REQUIRE(got.y.size() == y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        INFO("point " << i << ": (" << got.x[i] << ", " << got.y[i] << ") vs (" << x[i] << ", " << y[i] << ")");
        CHECK(close(got.x[i], x[i]));
        CHECK(close(got.y[i], y[i]));
    }
}

void check_rows(const std::vector<ue::PercentileRow>& got, const json& want, const std::string& what) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const ue::PercentileRow& r = got[i];
        const json& w = want[i];
        const std::string where = what + " row " + std::to_string(i);
        INFO(where);
        CHECK(r.percentile == w.at("percentile").get<std::string>());
        CHECK(r.n_treatment == w.at("n_treatment").get<std::int64_t>());
        CHECK(r.n_control == w.at("n_control").get<std::int64_t>());
        check_value(r.response_rate_treatment, w.at("response_rate_treatment"), where + " response_rate_treatment");
        check_value(r.response_rate_control, w.at("response_rate_control"), where + " response_rate_control");
        check_value(r.uplift, w.at("uplift"), where + " uplift");
        for (const char* field : {"std_treatment", "std_control", "std_uplift"}) {
            const std::optional<double>& value = std::string(field) == "std_treatment" ? r.std_treatment
                                                 : std::string(field) == "std_control" ? r.std_control
                                                                                       : r.std_uplift;
            // The total row has no std columns at all.
            check_value(value, w.contains(field) ? w.at(field) : json(nullptr), where + " " + field);
        }
        const double n = static_cast<double>(r.n_treatment + r.n_control);
        if (n > 0) CHECK(close(r.treatment_share, static_cast<double>(r.n_treatment) / n));
    }
}

ue::Strategy strategy_of(const std::string& key) {
    return key == "overall" ? ue::Strategy::Overall : ue::Strategy::ByGroup;
}

}  // namespace

TEST_CASE("metric vectors: counts and every vector present", "[eval][sklift]") {
    const auto& vectors = metric_vectors();
    REQUIRE(vectors.size() >= 9);
    for (const MetricVector& v : vectors) {
        INFO(v.name);
        const ue::RankedScores ranked(v.y, v.t, v.score);
        CHECK(static_cast<std::int64_t>(ranked.size()) == v.expected.at("n").get<std::int64_t>());
        CHECK(ranked.n_treatment() == v.expected.at("n_treatment").get<std::int64_t>());
        CHECK(ranked.n_control() == v.expected.at("n_control").get<std::int64_t>());
    }
}

TEST_CASE("metric vectors: uplift_at_k, both strategies", "[eval][sklift]") {
    for (const MetricVector& v : metric_vectors()) {
        const ue::RankedScores ranked(v.y, v.t, v.score);
        for (const auto& [strategy, values] : v.expected.at("uplift_at_k").items()) {
            for (const double k : v.ks) {
                const std::string key = ue::format_k(k);
                REQUIRE(values.contains(key));
                const std::string what = v.name + " uplift_at_k " + strategy + " k=" + key;
                check_value(ue::uplift_at_k(ranked, k, strategy_of(strategy)), values.at(key), what);
                check_value(ue::uplift_at_k(v.y, v.t, v.score, k, strategy_of(strategy)), values.at(key), what);
            }
        }
    }
}

TEST_CASE("metric vectors: qini_auc_score and uplift_auc_score", "[eval][sklift]") {
    for (const MetricVector& v : metric_vectors()) {
        INFO(v.name);
        const json& e = v.expected;
        check_value(ue::qini_auc_score(v.y, v.t, v.score), e.at("qini_auc_score"), v.name + " qini_auc_score");
        check_value(ue::uplift_auc_score(v.y, v.t, v.score), e.at("uplift_auc_score"), v.name + " uplift_auc_score");

        const ue::RankedScores ranked(v.y, v.t, v.score);
        check_value(ue::qini_auc_score(ranked), e.at("qini_auc_score"), v.name + " qini_auc_score(ranked)");
        check_value(ue::uplift_auc_score(ranked), e.at("uplift_auc_score"), v.name + " uplift_auc_score(ranked)");

        const json& no_negative = e.at("qini_auc_score_negative_effect_false");
        if (no_negative.is_null()) {
            CHECK_THROWS_AS(ue::qini_auc_score(v.y, v.t, v.score, false), uplift::DataError);
            CHECK_THROWS_AS(ue::qini_auc_score(ranked, false), uplift::DataError);
        } else {
            check_value(ue::qini_auc_score(v.y, v.t, v.score, false), no_negative,
                        v.name + " qini_auc_score negative_effect=false");
            check_value(ue::qini_auc_score(ranked, false), no_negative,
                        v.name + " qini_auc_score(ranked) negative_effect=false");
        }
    }
}

TEST_CASE("metric vectors: uplift_by_percentile and weighted_average_uplift", "[eval][sklift]") {
    for (const MetricVector& v : metric_vectors()) {
        const ue::RankedScores ranked(v.y, v.t, v.score);
        for (const auto& [strategy, rows] : v.expected.at("uplift_by_percentile").items()) {
            check_rows(ue::uplift_by_percentile(ranked, v.bins, strategy_of(strategy)), rows,
                       v.name + " uplift_by_percentile " + strategy);
            check_rows(ue::uplift_by_percentile(v.y, v.t, v.score, v.bins, strategy_of(strategy)), rows,
                       v.name + " uplift_by_percentile(spans) " + strategy);
        }
        for (const auto& [strategy, value] : v.expected.at("weighted_average_uplift").items()) {
            check_value(ue::weighted_average_uplift(v.y, v.t, v.score, v.bins, strategy_of(strategy)), value,
                        v.name + " weighted_average_uplift " + strategy);
        }
    }
}

TEST_CASE("metric vectors: curves and perfect curves", "[eval][sklift]") {
    int checked = 0;
    for (const MetricVector& v : metric_vectors()) {
        const json& e = v.expected;
        if (!e.contains("qini_curve")) continue;
        ++checked;
        check_curve(ue::qini_curve(v.y, v.t, v.score), e.at("qini_curve"), v.name + " qini_curve");
        check_curve(ue::uplift_curve(v.y, v.t, v.score), e.at("uplift_curve"), v.name + " uplift_curve");
        check_curve(ue::perfect_qini_curve(v.y, v.t), e.at("perfect_qini_curve"), v.name + " perfect_qini_curve");
        check_curve(ue::perfect_uplift_curve(v.y, v.t), e.at("perfect_uplift_curve"),
                    v.name + " perfect_uplift_curve");
        // The same through explicit perfect rankings.
        check_curve(ue::perfect_qini_curve(ue::rank_perfect_qini(v.y, v.t)), e.at("perfect_qini_curve"),
                    v.name + " perfect_qini_curve(ranked)");
        check_curve(ue::perfect_uplift_curve(ue::rank_perfect_uplift(v.y, v.t)), e.at("perfect_uplift_curve"),
                    v.name + " perfect_uplift_curve(ranked)");
    }
    CHECK(checked >= 8);
}

TEST_CASE("metric vectors: evaluate() agrees with the single metrics", "[eval][sklift]") {
    for (const MetricVector& v : metric_vectors()) {
        INFO(v.name);
        ue::EvaluationOptions options;
        options.ks = v.ks;
        options.bins = v.bins;
        const ue::Evaluation e = ue::evaluate(v.y, v.t, v.score, options);
        const json& want = v.expected;
        CHECK(e.n == want.at("n").get<std::int64_t>());
        CHECK(e.n_treatment == want.at("n_treatment").get<std::int64_t>());
        CHECK(e.n_control == want.at("n_control").get<std::int64_t>());
        check_value(e.qini_auc, want.at("qini_auc_score"), v.name + " evaluate qini_auc");
        check_value(e.uplift_auc, want.at("uplift_auc_score"), v.name + " evaluate uplift_auc");
        check_value(e.weighted_average_uplift.overall, want.at("weighted_average_uplift").at("overall"),
                    v.name + " evaluate wau overall");
        check_value(e.weighted_average_uplift.by_group, want.at("weighted_average_uplift").at("by_group"),
                    v.name + " evaluate wau by_group");
        REQUIRE(e.uplift_at_k.size() == v.ks.size());
        for (const ue::UpliftAtK& entry : e.uplift_at_k) {
            check_value(entry.value.overall, want.at("uplift_at_k").at("overall").at(entry.label), v.name + " @k");
            check_value(entry.value.by_group, want.at("uplift_at_k").at("by_group").at(entry.label), v.name + " @k");
        }
        check_rows(e.uplift_by_percentile, want.at("uplift_by_percentile").at("overall"), v.name + " evaluate");
        check_rows(e.uplift_by_percentile_by_group, want.at("uplift_by_percentile").at("by_group"),
                   v.name + " evaluate by_group");
        if (want.contains("qini_curve") && want.at("qini_curve").at("x").size() <= ue::max_curve_points) {
            // Short curves are kept whole.
            check_curve(e.qini_curve, want.at("qini_curve"), v.name + " evaluate qini curve");
            check_curve(e.perfect_uplift_curve, want.at("perfect_uplift_curve"), v.name + " evaluate perfect uplift");
        }
        CHECK(e.qini_curve.x.size() <= ue::max_curve_points);
        CHECK(e.uplift_curve.x.size() <= ue::max_curve_points);
        CHECK(e.qini_curve.x.front() == 0.0);
        CHECK(e.qini_curve.x.back() == static_cast<double>(e.n));
        CHECK(e.random_qini_curve.x == std::vector<double>{0.0, static_cast<double>(e.n)});
    }
}

// Expected values written by scikit-uplift's authors in their own test suite
// (github.com/maks-sh/scikit-uplift, sklift/tests/test_metrics.py: test_qini_auc_score, test_uplift_auc_score),
// checked there to 6 decimals (assert_array_almost_equal). Inputs independent of metric_vectors.json.
TEST_CASE("scikit-uplift's own test expectations for the normalised AUCs", "[eval][sklift]") {
    struct Case {
        std::vector<double> y;
        std::vector<double> score;
        std::vector<std::uint8_t> t;
        double qini;
        double uplift;
    };
    const std::vector<Case> cases{
        {{1, 1}, {0.1, 0.3}, {0, 1}, 1.0, 1.0},
        {{1, 1}, {0.1, 0.3}, {1, 0}, 0.0, -1.0},
        {{0, 1}, {0.1, 0.3}, {1, 0}, 1.0, 0.0},
        {{1, 0}, {0.1, 0.3}, {0, 1}, 1.0, 1.0},
        {{0, 1, 2}, {0.1, 0.3, 0.9}, {0, 1, 0}, -0.5, -1.333333},
        {{0, 1, 2}, {0.1, 0.3, 0.9}, {1, 0, 1}, 0.75, 1.333333},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i);
        const auto& c = cases[i];
        CHECK(ue::qini_auc_score(c.y, c.t, c.score) == Approx(c.qini).margin(1.5e-6));
        CHECK(ue::uplift_auc_score(c.y, c.t, c.score) == Approx(c.uplift).margin(1.5e-6));
    }
}

TEST_CASE("hand-computed six-row case", "[eval]") {
    // Rank order is the row order (distinct descending scores).
    const std::vector<double> y{1, 0, 1, 0, 1, 0};
    const std::vector<std::uint8_t> t{1, 1, 0, 0, 1, 0};
    const std::vector<double> score{0.9, 0.8, 0.7, 0.6, 0.5, 0.4};

    const ue::Curve qini = ue::qini_curve(y, t, score);
    CHECK(qini.x == std::vector<double>{0, 1, 2, 3, 4, 5, 6});
    CHECK(qini.y == std::vector<double>{0, 1, 1, -1, 0, 0.5, 1});

    const ue::Curve uplift = ue::uplift_curve(y, t, score);
    REQUIRE(uplift.y.size() == 7);
    CHECK(uplift.y[3] == Approx(-1.5));
    CHECK(uplift.y[5] == Approx(5.0 / 6.0));
    CHECK(uplift.y[6] == Approx(2.0));

    // Perfect scores 1, 0, -1, 0, 1, 0: rows {4, 0}, then {5, 3, 1}, then {2}.
    const ue::Curve perfect = ue::perfect_qini_curve(y, t);
    CHECK(perfect.x == std::vector<double>{0, 2, 5, 6});
    CHECK(perfect.y == std::vector<double>{0, 2, 2, 1});
    // Areas: actual 2, perfect 9.5, random 3.
    CHECK(ue::qini_auc_score(y, t, score) == Approx((2.0 - 3.0) / (9.5 - 3.0)).epsilon(1e-12));

    CHECK(*ue::uplift_at_k(y, t, score, 0.5, ue::Strategy::Overall) == Approx(-0.5));
    CHECK(*ue::uplift_at_k(y, t, score, 0.5, ue::Strategy::ByGroup) == Approx(0.0));
    CHECK(*ue::uplift_at_k(y, t, score, 1.0, ue::Strategy::Overall) == Approx(1.0 / 3.0));
    CHECK_FALSE(ue::uplift_at_k(y, t, score, 0.2, ue::Strategy::Overall).has_value());  // one treated row only

    const auto rows = ue::uplift_by_percentile(y, t, score, 2);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].percentile == "0-50");
    CHECK(rows[1].percentile == "50-100");
    CHECK(rows[2].percentile == "total");
    CHECK(rows[0].n_treatment == 2);
    CHECK(rows[0].n_control == 1);
    CHECK(*rows[0].uplift == Approx(-0.5));
    CHECK(*rows[0].std_treatment == Approx(std::sqrt(0.125)));
    CHECK(*rows[0].std_control == 0.0);
    CHECK(rows[0].treatment_share == Approx(2.0 / 3.0));
    CHECK(*rows[1].uplift == Approx(1.0));
    CHECK(*rows[2].response_rate_treatment == Approx(2.0 / 3.0));
    CHECK_FALSE(rows[2].std_uplift.has_value());
    CHECK(*ue::weighted_average_uplift(y, t, score, 2) == Approx(0.0).margin(1e-15));
}

TEST_CASE("ties: equal scores share a curve point, -0.0 ties with 0.0, larger row first", "[eval]") {
    const std::vector<double> y{1, 0, 0, 1};
    const std::vector<std::uint8_t> t{1, 0, 1, 0};
    const std::vector<double> score{0.0, -0.0, 0.0, 0.0};
    const ue::Curve qini = ue::qini_curve(y, t, score);
    CHECK(qini.x == std::vector<double>{0, 4});

    const ue::RankedScores ranked(y, t, score);
    CHECK(std::vector<std::size_t>(ranked.row().begin(), ranked.row().end()) == std::vector<std::size_t>{3, 2, 1, 0});
    // Top half is rows 3 (control, y=1) and 2 (treated, y=0).
    CHECK(*ue::uplift_at_k(ranked, 0.5, ue::Strategy::Overall) == Approx(-1.0));

    const std::vector<double> mixed{-1.5, 2.0, -1.5, 3.0, 2.0};
    const ue::RankedScores r2(std::vector<double>{0, 1, 0, 1, 0}, std::vector<std::uint8_t>{1, 0, 0, 1, 1}, mixed);
    CHECK(std::vector<std::size_t>(r2.row().begin(), r2.row().end()) == std::vector<std::size_t>{3, 4, 1, 2, 0});
    CHECK(std::vector<double>(r2.score().begin(), r2.score().end()) == std::vector<double>{3.0, 2.0, 2.0, -1.5, -1.5});
    CHECK(r2.is_tie_end(0));
    CHECK_FALSE(r2.is_tie_end(1));
    CHECK(r2.is_tie_end(2));
    CHECK_FALSE(r2.is_tie_end(3));
    CHECK(r2.is_tie_end(4));
}

TEST_CASE("ranking equals numpy's reversed stable argsort on awkward doubles", "[eval]") {
    std::mt19937_64 rng(5);
    const std::vector<double> pool{0.0, -0.0, 1.0, -1.0, 1e-310, -1e-310, 1e300, -1e300, 0.5, 0.25, 3.0, -7.5};
    const std::size_t n = 20000;
    std::vector<double> score(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t r = rng();
        // Half from a small pool (many ties), half spread over magnitudes and signs.
        score[i] = (r & 1u) != 0 ? pool[(r >> 1) % pool.size()]
                                 : std::ldexp(static_cast<double>(r >> 11) * 0x1.0p-53, static_cast<int>(r % 64) - 32) *
                                       ((r & 2u) != 0 ? 1.0 : -1.0);
    }
    std::vector<std::size_t> want(n);
    for (std::size_t i = 0; i < n; ++i) want[i] = i;
    std::stable_sort(want.begin(), want.end(), [&score](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    std::reverse(want.begin(), want.end());

    std::vector<std::uint8_t> t(n, 0);
    t[0] = 1;
    const ue::RankedScores ranked(std::vector<double>(n, 0.0), t, score);
    REQUIRE(ranked.row().size() == n);
    CHECK(std::equal(want.begin(), want.end(), ranked.row().begin()));
    std::size_t wrong_tie_ends = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        wrong_tie_ends += ranked.is_tie_end(i) != (score[want[i]] != score[want[i + 1]]) ? 1 : 0;
    }
    CHECK(wrong_tie_ends == 0);
    CHECK(ranked.is_tie_end(n - 1));
}

TEST_CASE("percentile labels round half to even, like Python", "[eval]") {
    std::vector<double> y(20, 0.0);
    std::vector<std::uint8_t> t(20, 0);
    std::vector<double> score(20);
    for (std::size_t i = 0; i < 20; ++i) {
        y[i] = static_cast<double>(i % 3 == 0);
        t[i] = static_cast<std::uint8_t>(i % 2);
        score[i] = static_cast<double>(i);
    }
    const auto rows = ue::uplift_by_percentile(y, t, score, 8);
    // 12.5 -> 12, 37.5 -> 38, 62.5 -> 62, 87.5 -> 88
    const std::vector<std::string> want{"0-12", "12-25", "25-38", "38-50", "50-62", "62-75", "75-88", "88-100", "total"};
    REQUIRE(rows.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(rows[i].percentile == want[i]);
    // array_split of 20 into 8: four bins of 3, then four of 2.
    CHECK(rows[3].n_treatment + rows[3].n_control == 3);
    CHECK(rows[4].n_treatment + rows[4].n_control == 2);
}

TEST_CASE("continuous outcomes are accepted", "[eval]") {
    const std::vector<double> y{10.0, 2.5, 4.0, 0.0, 7.5, 1.0};
    const std::vector<std::uint8_t> t{1, 0, 1, 0, 1, 0};
    const std::vector<double> score{6, 5, 4, 3, 2, 1};
    CHECK(*ue::uplift_at_k(y, t, score, 0.5, ue::Strategy::Overall) == Approx((10.0 + 4.0) / 2.0 - 2.5));
    const ue::Curve qini = ue::qini_curve(y, t, score);
    CHECK(qini.y.back() == Approx(21.5 - 3.5));
    CHECK_NOTHROW(ue::evaluate(y, t, score, ue::EvaluationOptions{{0.5}, {}, 3, 0, 1, 0.9}));

    // Many-valued outcomes take the general path for perfect curves (ranking, not grouping),
    // in the metrics and in the bootstrap.
    std::mt19937_64 rng(17);
    std::vector<double> yc;
    std::vector<std::uint8_t> tc;
    std::vector<double> sc;
    for (int i = 0; i < 3000; ++i) {
        const double s = static_cast<double>(rng() % 1000) / 1000.0;
        const bool treated = (rng() & 1u) != 0;
        sc.push_back(s);
        tc.push_back(treated ? 1 : 0);
        yc.push_back(static_cast<double>(rng() % 100) / 10.0 + (treated ? 5.0 * s : 0.0));
    }
    const ue::Curve perfect = ue::perfect_qini_curve(yc, tc);
    const ue::Curve perfect_ranked = ue::perfect_qini_curve(ue::rank_perfect_qini(yc, tc));
    CHECK(perfect.x == perfect_ranked.x);
    CHECK(perfect.y == perfect_ranked.y);
    ue::EvaluationOptions options;
    options.bootstrap = 50;
    options.threads = 1;
    const ue::Evaluation serial = ue::evaluate(yc, tc, sc, options);
    options.threads = 2;
    const ue::Evaluation parallel = ue::evaluate(yc, tc, sc, options);
    REQUIRE(serial.ci.has_value());
    REQUIRE(serial.ci->qini_auc.has_value());
    CHECK(uplift::artifacts::to_json(serial) == uplift::artifacts::to_json(parallel));
    CHECK(serial.ci->qini_auc->low <= *serial.qini_auc);
    CHECK(*serial.qini_auc <= serial.ci->qini_auc->high);
}

TEST_CASE("bad input is rejected with the right error kind", "[eval]") {
    const std::vector<double> y{1, 0, 1, 0};
    const std::vector<std::uint8_t> t{1, 0, 1, 0};
    const std::vector<double> s{0.4, 0.3, 0.2, 0.1};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    CHECK_THROWS_AS(ue::qini_auc_score(std::vector<double>{1, 0, 1}, t, s), uplift::DataError);
    CHECK_THROWS_AS(ue::qini_auc_score(y, t, std::vector<double>{1, 2, 3}), uplift::DataError);
    CHECK_THROWS_AS(ue::qini_auc_score(std::vector<double>{}, std::vector<std::uint8_t>{}, std::vector<double>{}),
                    uplift::DataError);
    CHECK_THROWS_WITH(ue::qini_auc_score(y, std::vector<std::uint8_t>{1, 1, 1, 1}, s),
                      Catch::Contains("no control rows"));
    CHECK_THROWS_WITH(ue::qini_auc_score(y, std::vector<std::uint8_t>{0, 0, 0, 0}, s),
                      Catch::Contains("no treated rows"));
    CHECK_THROWS_WITH(ue::qini_auc_score(y, std::vector<std::uint8_t>{1, 0, 2, 0}, s),
                      Catch::Contains("treatment column has value 2 at row 2"));
    CHECK_THROWS_WITH(ue::uplift_auc_score(y, t, std::vector<double>{0.1, 0.2, nan, 0.3}),
                      Catch::Contains("score column has NaN at row 2"));
    CHECK_THROWS_WITH(ue::uplift_auc_score(std::vector<double>{1, inf, 0, 1}, t, s),
                      Catch::Contains("outcome column has infinity at row 1"));
    CHECK_THROWS_AS(ue::perfect_qini_curve(std::vector<double>{1, nan, 0, 0}, t), uplift::DataError);

    CHECK_THROWS_AS(ue::uplift_at_k(y, t, s, 0.0, ue::Strategy::Overall), uplift::UsageError);
    CHECK_THROWS_AS(ue::uplift_at_k(y, t, s, -0.1, ue::Strategy::Overall), uplift::UsageError);
    CHECK_THROWS_AS(ue::uplift_at_k(y, t, s, 1.5, ue::Strategy::ByGroup), uplift::UsageError);
    CHECK_THROWS_AS(ue::uplift_at_k(y, t, s, nan, ue::Strategy::ByGroup), uplift::UsageError);
    CHECK_NOTHROW(ue::uplift_at_k(y, t, s, 1.0, ue::Strategy::Overall));

    CHECK_THROWS_AS(ue::uplift_by_percentile(y, t, s, 0), uplift::UsageError);
    CHECK_THROWS_AS(ue::uplift_by_percentile(y, t, s, 5), uplift::UsageError);
    CHECK_NOTHROW(ue::uplift_by_percentile(y, t, s, 4));
    CHECK_THROWS_AS(ue::weighted_average_uplift(y, t, s, -3), uplift::UsageError);

    // Treated respond less than control overall: without negative effects the score is undefined.
    const std::vector<double> y_neg{0, 1, 0, 1};
    CHECK_THROWS_WITH(ue::qini_auc_score(y_neg, t, s, false), Catch::Contains("overall effect is negative"));
    // No outcome anywhere: nothing to rank, so the normalised areas are undefined.
    const std::vector<double> zeros(4, 0.0);
    CHECK_THROWS_AS(ue::qini_auc_score(zeros, t, s), uplift::DataError);
    CHECK_THROWS_AS(ue::uplift_auc_score(zeros, t, s), uplift::DataError);
    const ue::Evaluation e = ue::evaluate(zeros, t, s, ue::EvaluationOptions{{0.5}, {}, 2, 0, 1, 0.9});
    CHECK_FALSE(e.qini_auc.has_value());

    ue::EvaluationOptions options;
    options.bootstrap = -1;
    CHECK_THROWS_AS(ue::evaluate(y, t, s, options), uplift::UsageError);
    options = {};
    options.ci_level = 1.0;
    CHECK_THROWS_AS(ue::evaluate(y, t, s, options), uplift::UsageError);
    options = {};
    options.k_labels = {"a"};
    CHECK_THROWS_AS(ue::evaluate(y, t, s, options), uplift::UsageError);
    options = {};
    options.bins = 5;
    CHECK_THROWS_AS(ue::evaluate(y, t, s, options), uplift::UsageError);
    options = {};
    options.ks = {0.5, 2.0};
    CHECK_THROWS_AS(ue::evaluate(y, t, s, options), uplift::UsageError);
}

namespace {

struct Synthetic {
    std::vector<double> y;
    std::vector<std::uint8_t> t;
    std::vector<double> score;
};

// Treatment raises the response rate in proportion to the score: a strongly informative model.
Synthetic strong_signal(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const auto unit = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    Synthetic s;
    for (std::size_t i = 0; i < n; ++i) {
        const double score = unit();
        const bool treated = (rng() & 1u) != 0;
        const double rate = 0.1 + (treated ? 0.6 * score : 0.0);
        s.score.push_back(score);
        s.t.push_back(treated ? 1 : 0);
        s.y.push_back(unit() < rate ? 1.0 : 0.0);
    }
    return s;
}

}  // namespace

TEST_CASE("bootstrap intervals are reproducible and cover the estimate", "[eval][bootstrap]") {
    const Synthetic s = strong_signal(4000, 2024);
    ue::EvaluationOptions options;
    options.ks = {0.1, 0.3};
    options.bootstrap = 200;
    options.seed = 7;
    const ue::Evaluation a = ue::evaluate(s.y, s.t, s.score, options);
    const ue::Evaluation b = ue::evaluate(s.y, s.t, s.score, options);
    REQUIRE(a.ci.has_value());
    REQUIRE(b.ci.has_value());
    REQUIRE(a.ci->qini_auc.has_value());
    REQUIRE(a.ci->uplift_auc.has_value());
    CHECK(a.ci->qini_auc->low == b.ci->qini_auc->low);
    CHECK(a.ci->qini_auc->high == b.ci->qini_auc->high);
    CHECK(a.ci->uplift_auc->low == b.ci->uplift_auc->low);
    CHECK(a.ci->uplift_auc->high == b.ci->uplift_auc->high);
    REQUIRE(a.ci->uplift_at_k.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        REQUIRE(a.ci->uplift_at_k[i].has_value());
        CHECK(a.ci->uplift_at_k[i]->low == b.ci->uplift_at_k[i]->low);
        CHECK(a.ci->uplift_at_k[i]->high == b.ci->uplift_at_k[i]->high);
        const double estimate = *a.uplift_at_k[i].value.overall;
        CHECK(a.ci->uplift_at_k[i]->low <= estimate);
        CHECK(estimate <= a.ci->uplift_at_k[i]->high);
        CHECK(a.ci->uplift_at_k[i]->low > 0.0);
    }
    CHECK(a.ci->qini_auc->low <= *a.qini_auc);
    CHECK(*a.qini_auc <= a.ci->qini_auc->high);
    CHECK(a.ci->qini_auc->low > 0.0);
    CHECK(a.ci->uplift_auc->low <= *a.uplift_auc);
    CHECK(*a.uplift_auc <= a.ci->uplift_auc->high);
    CHECK(a.ci->level == 0.95);
    CHECK(a.ci->replicates == 200);

    options.seed = 8;
    const ue::Evaluation c = ue::evaluate(s.y, s.t, s.score, options);
    CHECK(c.ci->qini_auc->low != a.ci->qini_auc->low);
}

TEST_CASE("results do not depend on the thread count", "[eval][threads]") {
    const Synthetic s = strong_signal(300000, 11);
    ue::EvaluationOptions options;
    options.bootstrap = 6;
    options.threads = 1;
    const std::string one = uplift::artifacts::to_json(ue::evaluate(s.y, s.t, s.score, options));
    options.threads = 3;
    const std::string three = uplift::artifacts::to_json(ue::evaluate(s.y, s.t, s.score, options));
    CHECK(one == three);

    const ue::RankedScores serial(s.y, s.t, s.score, 1);
    const ue::RankedScores parallel(s.y, s.t, s.score, 4);
    CHECK(std::equal(serial.row().begin(), serial.row().end(), parallel.row().begin(), parallel.row().end()));
    CHECK(serial.n_treatment() == parallel.n_treatment());
}

TEST_CASE("percentile intervals interpolate linearly and skip NaN", "[eval][bootstrap]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto ci = ue::percentile_interval({4, nan, 0, 1, 2, 3}, 0.5);
    REQUIRE(ci.has_value());
    CHECK(ci->low == Approx(1.0));
    CHECK(ci->high == Approx(3.0));
    CHECK_FALSE(ue::percentile_interval({nan, nan}, 0.9).has_value());
}

TEST_CASE("to_json has the documented keys", "[eval][json]") {
    const Synthetic s = strong_signal(500, 99);
    ue::EvaluationOptions options;
    options.ks = {0.1, 0.3};
    options.k_labels = {"0.10", "0.3"};
    options.bins = 5;
    options.bootstrap = 20;
    const json doc = json::parse(uplift::artifacts::to_json(ue::evaluate(s.y, s.t, s.score, options)));
    for (const char* key : {"n", "n_treatment", "n_control", "qini_auc", "uplift_auc", "weighted_average_uplift",
                            "uplift_at_k", "uplift_by_percentile", "curves", "params", "ci"}) {
        INFO(key);
        CHECK(doc.contains(key));
    }
    CHECK(doc.at("n").get<int>() == 500);
    CHECK(doc.at("weighted_average_uplift").contains("overall"));
    CHECK(doc.at("weighted_average_uplift").contains("by_group"));
    CHECK(doc.at("uplift_at_k").contains("0.10"));
    CHECK(doc.at("uplift_at_k").at("0.3").contains("overall"));
    CHECK(doc.at("uplift_at_k").at("0.3").contains("by_group"));
    const json& rows = doc.at("uplift_by_percentile");
    REQUIRE(rows.size() == 6);
    for (const char* key : {"percentile", "n_treatment", "n_control", "response_rate_treatment",
                            "response_rate_control", "uplift", "std_treatment", "std_control", "std_uplift",
                            "treatment_share"}) {
        INFO(key);
        CHECK(rows[0].contains(key));
    }
    CHECK(rows[5].at("percentile") == "total");
    CHECK(rows[5].at("std_uplift").is_null());
    for (const char* key : {"qini", "uplift", "perfect_qini", "perfect_uplift", "random"}) {
        INFO(key);
        REQUIRE(doc.at("curves").contains(key));
        CHECK(doc.at("curves").at(key).at("x").size() == doc.at("curves").at(key).at("y").size());
        CHECK(doc.at("curves").at(key).at("x").size() <= ue::max_curve_points);
    }
    for (const char* key : {"ks", "bins", "bootstrap", "seed"}) {
        INFO(key);
        CHECK(doc.at("params").contains(key));
    }
    CHECK(doc.at("params").at("seed").get<std::uint64_t>() == 42);
    const json& ci = doc.at("ci");
    CHECK(ci.at("level").get<double>() == 0.95);
    CHECK(ci.at("qini_auc").contains("low"));
    CHECK(ci.at("uplift_auc").contains("high"));
    CHECK(ci.at("uplift_at_k").contains("0.3"));

    // NaN metrics are null, and no "ci" without bootstrap.
    const std::vector<double> y{1, 0, 1, 0, 1, 0};
    const std::vector<std::uint8_t> t{1, 1, 1, 0, 0, 0};
    const std::vector<double> score{6, 5, 4, 3, 2, 1};
    const json small = json::parse(uplift::artifacts::to_json(ue::evaluate(y, t, score, ue::EvaluationOptions{{0.3}, {}, 2, 0, 1, 0.9})));
    CHECK(small.at("uplift_at_k").at("0.3").at("overall").is_null());
    CHECK_FALSE(small.contains("ci"));

    const std::string table = ue::to_text_table(ue::evaluate(s.y, s.t, s.score, options));
    CHECK_THAT(table, Catch::Contains("qini_auc"));
    CHECK_THAT(table, Catch::Contains("uplift@0.10 (overall)"));
    CHECK_THAT(table, Catch::Contains("total"));
}

TEST_CASE("oracle capture: hand-computed, tie order, and joins on the id", "[eval][oracle]") {
    const std::vector<double> truth{0.3, 0.1, -0.1, 0.2, 0.0};
    const std::vector<double> score{0.9, 0.8, 0.1, 0.2, 0.5};
    // top 2 by truth: rows 0, 3 (0.5); by score: rows 0, 1 (0.4).
    CHECK(uplift::eval::oracle_capture(score, truth, 0.4) == Approx(0.8));
    CHECK(uplift::eval::oracle_capture(truth, truth, 0.4) == Approx(1.0));
    // Equal scores keep row order: rows 0 and 1 win the tie.
    CHECK(uplift::eval::oracle_capture(std::vector<double>(5, 1.0), truth, 0.4) == Approx(0.8));
    REQUIRE_THROWS_AS(uplift::eval::oracle_capture(score, std::vector<double>(5, -1.0), 0.4), uplift::DataError);
    REQUIRE_THROWS_AS(uplift::eval::oracle_capture(score, truth, 0.0), uplift::UsageError);

    using uplift::io::Column;
    const uplift::io::Table scores({Column::strings("id", {"a", "b", "c"}), Column::doubles("s", {1, 2, 3})});
    const uplift::io::Table truth_table({Column::strings("id", {"c", "a", "b"}), Column::doubles("uplift", {0.3, 0.1, 0.2})});
    const std::vector<std::size_t> rows{0, 2};
    CHECK(uplift::eval::join_truth(scores, "s.csv", rows, "id", truth_table, "t.csv", "uplift") == std::vector<double>{0.1, 0.3});
    const uplift::io::Table partial({Column::strings("id", {"a"}), Column::doubles("uplift", {0.1})});
    REQUIRE_THROWS_WITH(uplift::eval::join_truth(scores, "s.csv", rows, "id", partial, "t.csv", "uplift"),
                        Catch::Contains("'s.csv', row 3: id 'c' is not in 't.csv'"));
    const uplift::io::Table twice({Column::strings("id", {"a", "a"}), Column::doubles("uplift", {0.1, 0.2})});
    REQUIRE_THROWS_WITH(uplift::eval::join_truth(scores, "s.csv", rows, "id", twice, "t.csv", "uplift"), Catch::Contains("twice"));
}

TEST_CASE("rows_of_arm keeps control and one treated level, in order", "[eval]") {
    const std::vector<double> y = {1, 0, 1, 1, 0, 1};
    const std::vector<int> arm = {0, 1, 2, 0, 1, -1};  // -1: a level that was not selected
    const std::vector<double> score = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const auto one = uplift::eval::rows_of_arm(y, arm, 1, score);
    CHECK(one.y == std::vector<double>{1, 0, 1, 0});
    CHECK(one.treatment == std::vector<std::uint8_t>{0, 1, 0, 1});
    CHECK(one.score == std::vector<double>{0.1, 0.2, 0.4, 0.5});
    CHECK(one.n_treated() == 2);
    CHECK(one.n_control() == 2);
    const auto two = uplift::eval::rows_of_arm(y, arm, 2, score);
    CHECK(two.score == std::vector<double>{0.1, 0.3, 0.4});
    CHECK(two.n_treated() == 1);
    const auto none = uplift::eval::rows_of_arm(y, arm, 3, score);
    CHECK(none.n_treated() == 0);
    CHECK(none.n_control() == 2);
}
