#include <catch2/catch.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/features/flat_encoding.hpp"

using uplift::io::Column;
using uplift::io::Table;
namespace features = uplift::features;

namespace {

Table small_dataset() {
    return Table({Column::int64s("id", {1, 2, 3, 4, 5, 6}),
                  Column::strings("arm", {"c", "t", "c", "t", "c", "t"}),
                  Column::doubles("y", {0, 1, 0, 1, 1, 0}),
                  Column::doubles("age", {30, 40, 0, 25, 61, 33}, {1, 1, 0, 1, 1, 1}),
                  Column::strings("city", {"Oslo", "Rome", "Oslo", "Lima", "Oslo", "Rome"}, {1, 1, 1, 1, 1, 1}),
                  Column::strings("email", {"a@x", "b@x", "c@x", "d@x", "e@x", "f@x"})});
}

uplift::data::Roles small_roles() {
    uplift::data::Roles r;
    r.id = "id";
    r.treatment = "arm";
    r.control = "c";
    r.treatment_levels = {"t"};
    r.outcome = "y";
    r.features = {"age", "city", "email"};
    return r;
}

}  // namespace

TEST_CASE("numeric columns pass through, text columns become one indicator per level", "[features]") {
    std::vector<std::string> dropped;
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5}, &dropped);
    // Levels by frequency, ties by name; the identifier-like column is dropped.
    REQUIRE(spec.names() == std::vector<std::string>{"age", "city=Oslo", "city=Rome", "city=Lima"});
    REQUIRE(dropped == std::vector<std::string>{"email"});
    const auto table = features::build_flat_features(small_dataset(), small_roles(), spec);
    REQUIRE(table.column_names() == std::vector<std::string>{"id", "arm", "y", "age", "city=Oslo", "city=Rome", "city=Lima"});
    REQUIRE_FALSE(table.column("age").is_valid(2));  // missing stays missing for XGBoost
    REQUIRE(table.column("city=Rome").double_values()[1] == 1.0);
    REQUIRE(table.column("city=Rome").double_values()[0] == 0.0);
    const auto roles = uplift::data::load_roles(table.metadata());
    REQUIRE(roles->features == spec.names());
    const auto back = uplift::artifacts::feature_spec_from_json(table.metadata().at(uplift::artifacts::feature_spec_key), "test");
    REQUIRE(back.names() == spec.names());
}

TEST_CASE("rare levels fold into __other__ and unseen levels are counted", "[features]") {
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 1, .max_distinct_share = 0.5});
    REQUIRE(spec.names() == std::vector<std::string>{"age", "city=Oslo", "city=__other__"});
    const auto spec2 = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5});
    const Table fresh({Column::doubles("age", {20, 50}), Column::strings("city", {"Paris", "Rome"})});
    features::EncodeStats stats;
    const auto cols = features::encode_features(fresh, spec2, &stats);
    REQUIRE(stats.unseen_levels.at("city") == 1);
    REQUIRE(cols[1].double_values()[0] == 0.0);  // Paris: all indicators 0
    REQUIRE(cols[2].double_values()[1] == 1.0);  // Rome
}

TEST_CASE("encoding input that lacks or mistypes a column is a model error", "[features]") {
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5});
    const Table no_city({Column::doubles("age", {20})});
    REQUIRE_THROWS_AS(features::encode_features(no_city, spec, nullptr), uplift::ModelError);
    REQUIRE_THROWS_WITH(features::encode_features(no_city, spec, nullptr), Catch::Contains("'city'"));
    const Table text_age({Column::strings("age", {"old"}), Column::strings("city", {"Oslo"})});
    REQUIRE_THROWS_AS(features::encode_features(text_age, spec, nullptr), uplift::ModelError);
}
