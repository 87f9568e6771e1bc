// compare.json through its one owner: every field survives a round trip, nulls included.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/core/errors.hpp"

namespace ua = uplift::artifacts;

namespace {

ua::Comparison full_comparison() {
    ua::Comparison c;
    c.champion = "prod/model";
    c.challenger = "new/model";
    c.features = "features.parquet";
    c.metric = "uplift_at_30";
    c.margin = 0.01;
    c.bootstrap = 500;
    c.seed = 9;
    c.ks = {0.1, 0.3};
    c.k_labels = {"0.10", "0.3"};
    c.rows = 30;
    c.n_treatment = 18;
    c.n_control = 12;
    ua::LevelComparison l;
    l.level = "email";
    l.n_treatment = 18;
    l.n_control = 12;
    l.champion = ua::ComparedMetrics{0.2, {0.05, std::nullopt}};
    l.challenger = ua::ComparedMetrics{std::nullopt, {0.07, 0.04}};
    l.qini_auc = ua::MetricDifference{std::nullopt, std::nullopt};
    l.uplift_at_k = {{0.02, ua::ConfidenceInterval{-0.01, 0.05}}, {std::nullopt, std::nullopt}};
    c.levels.push_back(l);
    c.decision = ua::Decision::Reject;
    c.reason = "challenger credibly worse on uplift_at_30";
    return c;
}

}  // namespace

TEST_CASE("compare.json keeps every field through a round trip", "[artifacts][compare]") {
    const auto c = full_comparison();
    const std::string text = ua::to_json(c);
    CHECK(ua::comparison_from_json(text, "compare.json") == c);
    const auto doc = nlohmann::json::parse(text);
    CHECK(doc.at("decision") == "reject");
    CHECK(doc.at("rows").at("n_treatment") == 18);
    CHECK(doc.at("levels")[0].at("difference").at("uplift_at_k").at("0.10").at("low") == -0.01);
    CHECK(doc.at("levels")[0].at("champion").at("uplift_at_k").at("0.3").is_null());
}

TEST_CASE("compare.json without a champion has nulls where the champion's figures would be", "[artifacts][compare]") {
    ua::Comparison c = full_comparison();
    c.champion.clear();
    c.levels[0].champion.reset();
    c.levels[0].qini_auc.reset();
    c.levels[0].uplift_at_k.clear();
    c.decision = ua::Decision::Promote;
    c.reason = "no champion";
    const std::string text = ua::to_json(c);
    const auto doc = nlohmann::json::parse(text);
    CHECK(doc.at("champion").is_null());
    CHECK(doc.at("levels")[0].at("champion").is_null());
    CHECK(doc.at("levels")[0].at("difference").is_null());
    CHECK(ua::comparison_from_json(text, "compare.json") == c);
}

TEST_CASE("compare.json of another format version or decision is refused, naming the file", "[artifacts][compare]") {
    auto doc = nlohmann::json::parse(ua::to_json(full_comparison()));
    doc["format_version"] = 2;
    CHECK_THROWS_WITH(ua::comparison_from_json(doc.dump(), "c.json"),
                      Catch::Contains("'c.json'") && Catch::Contains("format version 1"));
    doc["format_version"] = 1;
    doc["decision"] = "maybe";
    CHECK_THROWS_AS(ua::comparison_from_json(doc.dump(), "c.json"), uplift::DataError);
}
