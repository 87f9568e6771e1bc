// The champion/challenger decision rule (docs/compare.md, "Decision rule") on hand-made figures.

#include <catch2/catch.hpp>

#include "uplift/model/compare.hpp"

namespace ua = uplift::artifacts;
namespace um = uplift::model;

namespace {

/// A comparison with one level per upper end of the Qini difference's interval (and of uplift@0.3's).
ua::Comparison with_levels(std::initializer_list<double> qini_highs, double margin = 0.0) {
    ua::Comparison c;
    c.champion = "prod";
    c.metric = "qini_auc";
    c.margin = margin;
    c.ks = {0.1, 0.3};
    c.k_labels = {"0.1", "0.3"};
    int n = 0;
    for (const double high : qini_highs) {
        ua::LevelComparison l;
        l.level = "offer" + std::to_string(++n);
        l.champion = ua::ComparedMetrics{0.3, {0.1, 0.1}};
        l.qini_auc = ua::MetricDifference{high - 0.05, ua::ConfidenceInterval{high - 0.1, high}};
        // uplift@0.3 says the opposite of the Qini, so a test sees which one decided.
        l.uplift_at_k = {{0.0, ua::ConfidenceInterval{-0.1, 0.1}}, {-high, ua::ConfidenceInterval{-high - 0.1, -high}}};
        c.levels.push_back(l);
    }
    return c;
}

}  // namespace

TEST_CASE("a challenger is rejected only when the interval's upper end is below -margin", "[compare]") {
    auto worse = with_levels({-0.02});
    um::decide(worse);
    CHECK(worse.decision == ua::Decision::Reject);
    CHECK(worse.reason.starts_with("challenger credibly worse on qini_auc: challenger - champion -0.0700, 95% "
                                   "interval [-0.1200, -0.0200], upper end below -margin"));

    auto tolerated = with_levels({-0.02}, 0.03);
    um::decide(tolerated);
    CHECK(tolerated.decision == ua::Decision::Promote);
    CHECK(tolerated.reason.starts_with("challenger not credibly worse on qini_auc"));

    auto on_the_edge = with_levels({-0.03}, 0.03);  // not below: promoted
    um::decide(on_the_edge);
    CHECK(on_the_edge.decision == ua::Decision::Promote);

    auto unclear = with_levels({0.04});  // the interval holds 0: no evidence either way
    um::decide(unclear);
    CHECK(unclear.decision == ua::Decision::Promote);
}

TEST_CASE("the uplift_at_30 metric decides on uplift@0.3's interval", "[compare]") {
    auto c = with_levels({0.05});  // Qini better, uplift@0.3 credibly worse
    c.metric = "uplift_at_30";
    um::decide(c);
    CHECK(c.decision == ua::Decision::Reject);
    CHECK(c.reason.starts_with("challenger credibly worse on uplift_at_30"));
}

TEST_CASE("with several treated levels the worst one decides and the reason names it", "[compare]") {
    auto c = with_levels({0.02, -0.04, -0.01});
    um::decide(c);
    CHECK(c.decision == ua::Decision::Reject);
    CHECK(c.reason.starts_with("challenger credibly worse on qini_auc for 'offer2'"));
}

TEST_CASE("no champion promotes, an undefined difference is no evidence against the challenger", "[compare]") {
    auto first = with_levels({-0.5});
    first.champion.clear();
    um::decide(first);
    CHECK(first.decision == ua::Decision::Promote);
    CHECK(first.reason == "no champion");

    auto undefined = with_levels({-0.5});
    undefined.levels[0].qini_auc->interval.reset();
    um::decide(undefined);
    CHECK(undefined.decision == ua::Decision::Promote);
    CHECK(undefined.reason.starts_with("qini_auc of challenger - champion is undefined"));
}
