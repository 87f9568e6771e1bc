// model.json through its one owner: every field written and read back, optional keys, wrong types and the
// format version refusal.

#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/core/errors.hpp"

namespace ua = uplift::artifacts;

namespace {

ua::ModelManifest full_manifest() {
    ua::ModelManifest m;
    m.tool_version = "1.2.3";
    m.learner = "x";
    m.roles = {"id", "arm", "control", {"a", "b"}, "y", ua::OutcomeType::Binary, {"age", "city=Oslo"}};
    m.features = m.roles.features;
    m.feature_types = {{"age", "DOUBLE"}, {"city=Oslo", "DOUBLE"}};
    m.treatment_levels = m.roles.treatment_levels;
    ua::FeatureSpec spec;
    spec.numeric = {"age"};
    spec.categorical = {{"city", {"Oslo"}, true}};
    spec.manifest = {{"age", "numeric", "age", "age as a number"}, {"city=Oslo", "one_hot", "city", "city is Oslo"}};
    m.encoding = spec;
    m.parameters = {{"holdout", "0.3"}, {"max_depth", "4"}};
    m.seed = 7;
    m.training_data_fingerprint = "00ff00ff00ff00ff";
    m.holdout_metrics = std::vector<ua::ArmMetrics>{{"a", 100, 90, 0.12, 0.05, 0.031}, {"b", 80, 90, std::nullopt, -0.5, std::nullopt}};
    m.cross_validation = std::vector<ua::CvMetrics>{{"a", {0.1, 0.2}, {0.01, 0.03}, 0.15, 0.07, 0.02, 0.014}};
    ua::AutoSearch search;
    search.criterion = "qini";
    search.folds = 2;
    search.repeats = 3;
    search.grid = "learner=s,t;max-depth=2,3";
    search.time_budget = 60;
    search.candidates = {{"s", {{"max_depth", "2"}}, "done", "", {0.05, 0.07}, 0.06, 0.01, true},
                         {"ct", {{"max_depth", "2"}}, "skipped", "needs a binary outcome", {}, std::nullopt, std::nullopt, false},
                         {"t", {{"max_depth", "3"}}, "done", "", {0.04, 0.05}, 0.045, std::nullopt, false},
                         {"t", {{"max_depth", "6"}}, "over_budget", "", {}, std::nullopt, std::nullopt, false}};
    m.auto_search = search;
    m.feature_importance = ua::FeatureImportance{{{"age", 12.5, 0.75}, {"city", 4.25, 0.25}},
                                                 {{"age", 0.04, {{"a", 0.05}, {"b", 0.03}}}}};
    m.randomisation_check = std::vector<ua::RandomisationCheck>{{"a", 0.51, 0.01, 300, false}, {"b", 0.7, 0.02, 250, true}};
    m.propensity = {"model", "", 0.01, {0.5, 0.4}, {{0.1, {1, 2}, {3, 4}, {5, 6}}, {-0.2, {0.5, 0.25}, {0, 1}, {1, 2}}}};
    m.base_models = {{"outcome_control", "base/outcome_control.json", "0123456789abcdef", 40},
                     {"outcome_a", "base/outcome_a.json", "fedcba9876543210", 35}};
    return m;
}

std::string with(const std::string& text, const std::string& from, const std::string& to) {
    std::string out = text;
    const auto at = out.find(from);
    REQUIRE(at != std::string::npos);
    out.replace(at, from.size(), to);
    return out;
}

}  // namespace

TEST_CASE("model manifest: every field is written and read back equal", "[artifacts]") {
    const auto m = full_manifest();
    const std::string text = ua::to_json(m);
    const auto back = ua::model_manifest_from_json(text, "model.json");
    CHECK(back == m);
    CHECK(ua::to_json(back) == text);
    CHECK(nlohmann::json::parse(text)["auto_search"]["candidates"][1]["reason"] == "needs a binary outcome");
    CHECK_FALSE(nlohmann::json::parse(text)["auto_search"]["candidates"][0].contains("reason"));
    CHECK(text.back() == '\n');
}

TEST_CASE("model manifest: keys in today's order, undefined values as null", "[artifacts]") {
    auto m = full_manifest();
    m.cross_validation->front().qini_auc_std = std::nan("");
    m.auto_search->candidates[2].per_fold[1] = std::nan("");
    const auto j = nlohmann::ordered_json::parse(ua::to_json(m));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"format_version", "tool", "tool_version", "learner", "roles", "features",
                                           "feature_types", "treatment_levels", "encoding", "parameters", "seed",
                                           "training_data_fingerprint", "holdout_metrics", "cross_validation",
                                           "auto_search", "feature_importance", "randomisation_check", "propensity", "base_models"});
    std::vector<std::string> metric_keys;
    for (const auto& [k, v] : j["holdout_metrics"]["b"].items()) metric_keys.push_back(k);
    // The counts, then every metric of the field list in its order; today's three come first.
    std::vector<std::string> expected{"n_treatment", "n_control"};
    for (const auto& f : ua::arm_metric_fields) expected.push_back(f.key);
    CHECK(metric_keys == expected);
    REQUIRE(expected.size() >= 5);
    CHECK(std::vector<std::string>(expected.begin(), expected.begin() + 5) ==
          std::vector<std::string>{"n_treatment", "n_control", "qini_auc", "uplift_auc", "uplift_at_30"});
    CHECK(j["holdout_metrics"]["b"]["qini_auc"].is_null());
    CHECK(j["cross_validation"]["a"]["qini_auc_std"].is_null());
    CHECK(j["auto_search"]["candidates"][2]["per_fold"][1].is_null());
    CHECK(j["auto_search"]["candidates"][2]["se"].is_null());
    CHECK(std::isnan(ua::model_manifest_from_json(j.dump(2), "model.json").auto_search->candidates[2].per_fold[1]));
    CHECK(j["format_version"] == 2);
    const auto back = ua::model_manifest_from_json(ua::to_json(m), "model.json");
    CHECK(std::isnan(back.cross_validation->front().qini_auc_std));
}

TEST_CASE("model manifest: a model without holdout, cv and encoding writes null and reads back", "[artifacts]") {
    auto m = full_manifest();
    m.holdout_metrics.reset();
    m.cross_validation.reset();
    m.encoding.reset();
    m.propensity = {"share", "", 0.01, {0.5, 0.5}, {}};
    const std::string text = ua::to_json(m);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["holdout_metrics"].is_null());
    CHECK(j["cross_validation"].is_null());
    CHECK(j["encoding"].is_null());
    CHECK_FALSE(j["propensity"].contains("logistic"));
    CHECK(ua::model_manifest_from_json(text, "model.json") == m);
}

TEST_CASE("model manifest: keys added later may be absent, as in older version-2 files", "[artifacts]") {
    auto j = nlohmann::ordered_json::parse(ua::to_json(full_manifest()));
    for (const char* key : {"feature_types", "cross_validation", "feature_importance", "randomisation_check", "auto_search"}) {
        j.erase(key);
    }
    const auto back = ua::model_manifest_from_json(j.dump(2), "old/model.json");
    CHECK_FALSE(back.auto_search);
    // A search recorded before --cv-repeats ran one K-fold run per candidate.
    auto searched = nlohmann::ordered_json::parse(ua::to_json(full_manifest()));
    searched["auto_search"].erase("repeats");
    CHECK(ua::model_manifest_from_json(searched.dump(2), "old/model.json").auto_search->repeats == 1);
    CHECK(back.feature_types.empty());
    CHECK_FALSE(back.cross_validation);
    CHECK_FALSE(back.feature_importance);
    CHECK_FALSE(back.randomisation_check);
    CHECK(back.holdout_metrics == full_manifest().holdout_metrics);
}

TEST_CASE("model manifest: another format version is refused with exit 5 naming both versions", "[artifacts]") {
    const std::string text = with(ua::to_json(full_manifest()), "\"format_version\": 2", "\"format_version\": 1");
    try {
        (void)ua::model_manifest_from_json(text, "m/model.json");
        FAIL("version 1 was read");
    } catch (const uplift::ModelError& e) {
        CHECK(uplift::exit_code_of(e.kind()) == 5);
        const std::string what = e.what();
        CHECK_THAT(what, Catch::Contains("m/model.json") && Catch::Contains("format version 1") &&
                             Catch::Contains("reads version 2"));
    }
}

TEST_CASE("model manifest: a wrong type or a missing key names the key and the file", "[artifacts]") {
    const std::string text = ua::to_json(full_manifest());
    CHECK_THROWS_MATCHES(ua::model_manifest_from_json(with(text, "\"seed\": 7", "\"seed\": \"seven\""), "m/model.json"),
                         uplift::ModelError,
                         Catch::Matchers::Predicate<uplift::ModelError>([](const uplift::ModelError& e) {
                             const std::string w = e.what();
                             return w.find("'seed'") != std::string::npos && w.find("m/model.json") != std::string::npos;
                         }));
    CHECK_THROWS_WITH(ua::model_manifest_from_json(with(text, "\"n_control\": 90,", "\"n_control\": [],"), "m/model.json"),
                      Catch::Contains("holdout_metrics: a") && Catch::Contains("'n_control'"));
    CHECK_THROWS_WITH(ua::model_manifest_from_json(with(text, "\"learner\": \"x\",", ""), "m/model.json"),
                      Catch::Contains("'learner'") && Catch::Contains("missing"));
    CHECK_THROWS_AS(ua::model_manifest_from_json("{not json", "m/model.json"), uplift::ModelError);
}

TEST_CASE("holdout metrics come out of an evaluation through the field list", "[artifacts]") {
    ua::Evaluation e;
    e.qini_auc = 0.2;
    e.uplift_auc = 0.1;
    e.uplift_at_k = {{0.1, "0.1", {0.5, 0.4}}, {0.3, "0.3", {0.25, 0.2}}};
    ua::ArmMetrics m;
    ua::set_metrics(m, e);
    CHECK(m.qini_auc == 0.2);
    CHECK(m.uplift_auc == 0.1);
    CHECK(m.uplift_at_30 == 0.25);
    e.uplift_at_k.pop_back();
    ua::set_metrics(m, e);
    CHECK_FALSE(m.uplift_at_30);
    for (const double k : ua::holdout_ks) CHECK((k > 0 && k <= 1));
}
