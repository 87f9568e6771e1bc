// portraits.json through its one owner: every field survives a round trip, nulls included.

#include <catch2/catch.hpp>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/core/errors.hpp"

namespace ua = uplift::artifacts;

namespace {

ua::Portraits full_portraits() {
    ua::Portraits p;
    p.features_file = "features.parquet";
    p.scores_file = "out_of_fold.parquet";
    p.id_column = "client_id";
    p.rows = 100;
    p.columns = {"age", "frequency_all"};
    p.imputed_values = 3;
    p.constant_columns = {"level_1_share___other__"};
    p.k_chosen_by = ua::k_by_silhouette;
    p.k = 2;
    p.candidates = {{2, 0.31}, {3, std::nullopt}};
    p.silhouette_sample = 100;
    p.silhouette = 0.31;
    p.restarts = 4;
    p.max_iterations = 100;
    p.seed = 18446744073709551615ull;
    p.inertia = 12.5;
    p.iterations = 7;
    p.separation = {{"frequency_all", 0.6}, {"age", 0.01}};
    p.scored = 90;
    p.offers = {"1", "sms"};
    ua::ClusterPortrait a;
    a.id = 0;
    a.name = "pragmatists";
    a.named = true;
    a.size = 60;
    a.share = 0.6;
    a.profile = {{"age", "age", 41.5, 40.0, 0.1}, {"frequency", "frequency_all", std::nullopt, 12.0, 0}};
    a.distinctive = {{"", "frequency_all", 30.0, 12.0, 1.5}};
    a.top_categories = {{"dairy", "level_1_share_dairy", 0.25}};
    a.scored = 55;
    a.uplift = {{"1", 0.04}, {"sms", std::nullopt}};
    a.recommended_offer = "1";
    ua::ClusterPortrait b;
    b.id = 1;
    b.name = "low frequency_all";
    b.size = 40;
    b.share = 0.4;
    b.uplift = {{"1", -0.01}, {"sms", -0.02}};
    p.clusters = {a, b};
    p.provenance_json = R"({"stage":"segments"})";
    return p;
}

}  // namespace

TEST_CASE("artifacts: portraits.json round trip", "[artifacts][segment]") {
    const ua::Portraits p = full_portraits();
    const std::string text = ua::to_json(p);
    CHECK(text.back() == '\n');
    const ua::Portraits back = ua::portraits_from_json(text, "portraits.json");
    CHECK(back == p);
    CHECK(ua::to_json(back) == text);
    CHECK_FALSE(back.clusters[1].recommended_offer);
    CHECK(text.find("\"recommended_offer\": null") != std::string::npos);
}

TEST_CASE("artifacts: portraits.json without scores or candidates", "[artifacts][segment]") {
    ua::Portraits p = full_portraits();
    p.scores_file.clear();
    p.offers.clear();
    p.candidates.clear();
    p.silhouette.reset();
    p.k_chosen_by = ua::k_given;
    p.provenance_json.clear();
    for (auto& c : p.clusters) {
        c.uplift.clear();
        c.recommended_offer.reset();
    }
    CHECK(ua::portraits_from_json(ua::to_json(p), "p.json") == p);
}

TEST_CASE("artifacts: portraits.json of another version or shape is refused", "[artifacts][segment]") {
    std::string text = ua::to_json(full_portraits());
    const auto at = text.find("\"format_version\": 1");
    REQUIRE(at != std::string::npos);
    text.replace(at, 19, "\"format_version\": 9");
    CHECK_THROWS_AS(ua::portraits_from_json(text, "p.json"), uplift::DataError);
    CHECK_THROWS_WITH(ua::portraits_from_json(text, "p.json"), Catch::Contains("this build reads version 1"));
    CHECK_THROWS_AS(ua::portraits_from_json("{\"plan\": 1}", "plan.json"), uplift::DataError);
    CHECK_THROWS_AS(ua::portraits_from_json("not json", "x.json"), uplift::DataError);
}
