// The evaluation JSON (evaluate --json, embedded in report.json) through its one owner.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/core/errors.hpp"

namespace ua = uplift::artifacts;

namespace {

ua::Evaluation full_evaluation(bool with_ci) {
    ua::Evaluation e;
    e.n = 10;
    e.n_treatment = 6;
    e.n_control = 4;
    e.qini_auc = 0.25;
    e.uplift_auc = std::nullopt;
    e.weighted_average_uplift = {0.1, std::nullopt};
    e.options.ks = {0.1, 0.3};
    e.options.k_labels = {"10%", "0.3"};
    e.options.bins = 2;
    e.options.bootstrap = with_ci ? 50 : 0;
    e.options.seed = 9;
    e.options.ci_level = 0.9;
    e.uplift_at_k = {{0.1, "10%", {0.5, 0.4}}, {0.3, "0.3", {std::nullopt, 0.2}}};
    e.uplift_by_percentile = {{"0-50", 3, 2, 0.6, 0.5, 0.1, 0.2, 0.3, 0.4, 0.6},
                              {"total", 6, 4, 0.5, 0.25, 0.25, std::nullopt, std::nullopt, std::nullopt, 0.6}};
    e.uplift_by_percentile_by_group = e.uplift_by_percentile;
    e.qini_curve = {{0, 5, 10}, {0, 1.5, 2}};
    e.uplift_curve = {{0, 10}, {0, 1}};
    e.perfect_qini_curve = {{0, 10}, {0, 3}};
    e.perfect_uplift_curve = {{0, 10}, {0, 4}};
    e.random_qini_curve = {{0, 10}, {0, 2}};
    e.random_uplift_curve = {{0, 10}, {0, 1}};
    if (with_ci) e.ci = ua::BootstrapIntervals{0.9, 50, ua::ConfidenceInterval{0.1, 0.4}, std::nullopt,
                                               {ua::ConfidenceInterval{0.2, 0.6}, std::nullopt}};
    return e;
}

}  // namespace

TEST_CASE("evaluation: written and read back equal, with and without intervals", "[artifacts]") {
    for (const bool ci : {false, true}) {
        const auto e = full_evaluation(ci);
        const std::string text = ua::to_json(e);
        const auto back = ua::evaluation_from_json(text, "evaluation.json");
        CHECK(back == e);
        CHECK(ua::to_json(back) == text);
        CHECK(nlohmann::json::parse(text).contains("ci") == ci);
    }
}

TEST_CASE("evaluation: keys in today's order, undefined values as null", "[artifacts]") {
    const auto j = nlohmann::ordered_json::parse(ua::to_json(full_evaluation(true)));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"n", "n_treatment", "n_control", "qini_auc", "uplift_auc",
                                           "weighted_average_uplift", "uplift_at_k", "uplift_by_percentile",
                                           "uplift_by_percentile_by_group", "curves", "params", "ci"});
    CHECK(j["uplift_auc"].is_null());
    CHECK(j["uplift_at_k"]["0.3"]["overall"].is_null());
    CHECK(j["ci"]["uplift_auc"].is_null());
    CHECK(j["ci"]["method"] == "percentile, resampled within treatment groups");
}

TEST_CASE("evaluation: a wrong type names the key", "[artifacts]") {
    auto j = nlohmann::ordered_json::parse(ua::to_json(full_evaluation(false)));
    j["params"]["bins"] = "two";
    CHECK_THROWS_AS(ua::evaluation_from_json(j.dump(), "e.json"), uplift::DataError);
    CHECK_THROWS_WITH(ua::evaluation_from_json(j.dump(), "e.json"), Catch::Contains("'bins'") && Catch::Contains("e.json"));
    j = nlohmann::ordered_json::parse(ua::to_json(full_evaluation(false)));
    j.erase("curves");
    CHECK_THROWS_WITH(ua::evaluation_from_json(j.dump(), "e.json"), Catch::Contains("'curves'"));
}
