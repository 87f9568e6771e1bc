// The table metadata records (roles, flat encoding, retail manifest, provenance) through their one owner.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "support/scratch.hpp"

namespace ua = uplift::artifacts;

namespace {

ua::Roles roles() { return {"client", "arm", "none", {"sms", "email"}, "bought", ua::OutcomeType::Continuous, {"age", "spend"}}; }

}  // namespace

TEST_CASE("roles: written and read back equal, through text and through a metadata map", "[artifacts]") {
    const auto r = roles();
    CHECK(ua::to_json(r) ==
          R"({"id":"client","treatment":"arm","control":"none","treatment_levels":["sms","email"],"outcome":"bought",)"
          R"("outcome_type":"continuous","features":["age","spend"]})");
    CHECK(ua::roles_from_json(ua::to_json(r), "t") == r);
    ua::MetadataMap meta;
    CHECK_FALSE(ua::load_roles(meta, "t"));
    ua::store(meta, r);
    REQUIRE(meta.contains(ua::roles_key));
    CHECK(std::string(ua::roles_key) == "upliftctl.roles");
    CHECK(ua::load_roles(meta, "t") == r);
}

TEST_CASE("roles: a wrong type names the key and the source", "[artifacts]") {
    CHECK_THROWS_AS(ua::roles_from_json(R"({"id":"c"})", "data.parquet"), uplift::DataError);
    CHECK_THROWS_WITH(ua::roles_from_json(R"({"id":"c"})", "data.parquet"),
                      Catch::Contains("data.parquet") && Catch::Contains("'treatment'"));
    std::string text = ua::to_json(roles());
    text.replace(text.find(R"("features":["age","spend"])"), 26, R"("features":"age")");
    CHECK_THROWS_WITH(ua::roles_from_json(text, "data.parquet"), Catch::Contains("'features'"));
    text = ua::to_json(roles());
    text.replace(text.find("continuous"), 10, "ordinal");
    CHECK_THROWS_WITH(ua::roles_from_json(text, "data.parquet"), Catch::Contains("'outcome_type'"));
}

TEST_CASE("flat feature encoding: written and read back equal", "[artifacts]") {
    ua::FeatureSpec spec;
    spec.numeric = {"age"};
    spec.categorical = {{"city", {"Oslo", "Rome"}, true}};
    spec.manifest = {{"age", "numeric", "age", "age as a number"}, {"city=Oslo", "one_hot", "city", "city is Oslo"}};
    CHECK(ua::feature_spec_from_json(ua::to_json(spec), "t") == spec);
    CHECK(spec.names() == std::vector<std::string>{"age", "city=Oslo"});
    ua::MetadataMap meta;
    ua::store(meta, spec);
    CHECK(std::string(ua::feature_spec_key) == "upliftctl.features");
    CHECK(ua::load_feature_spec(meta, "t") == spec);
    CHECK_THROWS_WITH(ua::feature_spec_from_json(R"({"numeric":[],"categorical":[{"column":1}],"manifest":[]})", "f.parquet"),
                      Catch::Contains("'column'") && Catch::Contains("f.parquet"));
}

TEST_CASE("retail feature manifest: written and read back equal", "[artifacts]") {
    const std::vector<ua::RetailFeature> manifest{{"rfm_recency", "rfm", "all", "days since the last purchase"},
                                                  {"check_mean_30d", "check", "30d", "mean check"}};
    CHECK(ua::feature_manifest_from_json(ua::to_json(manifest), "t") == manifest);
    ua::MetadataMap meta;
    ua::store(meta, manifest);
    CHECK(std::string(ua::feature_manifest_key) == "upliftctl.feature_manifest");
    CHECK(ua::load_feature_manifest(meta, "t") == manifest);
    CHECK_THROWS_WITH(ua::feature_manifest_from_json("{}", "f.parquet"), Catch::Contains("expected an array"));
}

TEST_CASE("gender imputation record: written and read back equal, F1 absent or present", "[artifacts]") {
    ua::GenderImputation g;
    g.folds = 5;
    g.seed = 11;
    g.known = 1325;
    g.imputed = 1175;
    g.inputs = {"frequency_all", "level_1_share_l1"};
    g.cv_f1 = 0.875;
    CHECK(ua::gender_imputation_from_json(ua::to_json(g), "t") == g);
    ua::MetadataMap meta;
    CHECK_FALSE(ua::load_gender_imputation(meta, "t"));
    ua::store(meta, g);
    CHECK(ua::load_gender_imputation(meta, "t") == g);
    g.cv_f1.reset();  // too few known clients: no F1, written as null
    CHECK(ua::to_json(g).find("\"cv_f1\":null") != std::string::npos);
    CHECK(ua::gender_imputation_from_json(ua::to_json(g), "t") == g);
    CHECK_THROWS_AS(ua::gender_imputation_from_json(R"({"folds": "five"})", "t"), uplift::DataError);
}

TEST_CASE("provenance: fingerprints the inputs, written and read back equal", "[artifacts]") {
    const auto dir = test_support::fresh_dir("test_artifacts", "provenance");
    std::ofstream(dir / "in.csv") << "a,b\n1,2\n";
    const auto p = ua::provenance_of("ingest", {dir / "in.csv"}, {{"treatment", "arm"}});
    REQUIRE(p.inputs.size() == 1);
    CHECK(p.inputs[0].path == "in.csv");
    CHECK(p.inputs[0].fingerprint.size() == 32);
    CHECK(p.tool == "upliftctl");
    CHECK_FALSE(p.version.empty());
    CHECK(ua::to_json(p).starts_with(R"({"tool":"upliftctl","version":")"));
    CHECK(ua::provenance_from_json(ua::to_json(p), "t") == p);
    ua::MetadataMap meta;
    ua::store(meta, p);
    CHECK(std::string(ua::provenance_key) == "upliftctl.provenance");
    CHECK(ua::load_provenance(meta, "t") == p);
    std::filesystem::remove_all(dir);
}
