// The rule that lines up retail product-mix columns with a model's (features --like, score): copied,
// folded into the fold-in column, zeroed, or missing.

#include <catch2/catch.hpp>

#include "uplift/features/retail_alignment.hpp"

namespace features = uplift::features;
using Kind = features::AlignedColumn::Kind;
using Names = std::vector<std::string>;

TEST_CASE("columns the model and the input share are copied in the model's order", "[features][alignment]") {
    const auto a = features::align_features({"b", "a", "level_1_share_x", "level_1_share___other__"},
                                            {"a", "level_1_share___other__", "b", "level_1_share_x", "unused"});
    CHECK(a.identity());
    REQUIRE(a.columns.size() == 4);
    CHECK(a.columns[0].name == "b");
    CHECK(a.columns[1].name == "a");
    for (const auto& c : a.columns) {
        CHECK(c.kind == Kind::Copy);
        CHECK(c.sources == Names{c.name});
    }
}

TEST_CASE("categories the model never saw fold into its __other__ column, those it knew become zeros",
          "[features][alignment]") {
    const Names model{"frequency_all", "level_1_share_dairy", "level_1_share_meat", "level_1_share___other__"};
    const Names input{"frequency_all", "level_1_share_dairy", "level_1_share_fish", "level_1_share_bread",
                      "level_1_share___other__"};
    const auto a = features::align_features(model, input);
    CHECK(a.missing.empty());
    CHECK(a.folded == Names{"level_1_share_fish", "level_1_share_bread"});
    CHECK(a.zeroed == Names{"level_1_share_meat"});
    REQUIRE(a.columns.size() == 4);
    CHECK(a.columns[1].kind == Kind::Copy);
    CHECK(a.columns[2].kind == Kind::Zero);
    CHECK(a.columns[2].sources == Names{"level_1_share___other__"});
    CHECK(a.columns[3].kind == Kind::Fold);
    CHECK(a.columns[3].sources == Names{"level_1_share___other__", "level_1_share_fish", "level_1_share_bread"});
    CHECK_FALSE(a.identity());
}

TEST_CASE("a missing non-category feature, or shares without products, is missing", "[features][alignment]") {
    const auto windows = features::align_features({"frequency_7d", "frequency_14d"}, {"frequency_7d", "frequency_30d"});
    CHECK(windows.missing == Names{"frequency_14d"});
    // No products.parquet: no fold-in column to take zeros from.
    const auto no_products =
        features::align_features({"frequency_7d", "level_1_share_x", "level_1_share___other__"}, {"frequency_7d"});
    CHECK(no_products.missing == Names{"level_1_share_x", "level_1_share___other__"});
}

TEST_CASE("a model without a fold-in column leaves unseen categories out", "[features][alignment]") {
    const auto a = features::align_features({"level_1_share_x"}, {"level_1_share_x", "level_1_share_y", "level_1_share___other__"});
    CHECK(a.missing.empty());
    CHECK(a.folded.empty());
    CHECK(a.unplaced == Names{"level_1_share_y"});
    REQUIRE(a.columns.size() == 1);
    CHECK(a.columns[0].kind == Kind::Copy);
}

TEST_CASE("category families are told by their prefix", "[features][alignment]") {
    CHECK(features::category_other_column("level_1_share_dairy") == "level_1_share___other__");
    CHECK(features::category_other_column("level_1_share___other__") == "level_1_share___other__");
    CHECK(features::category_other_column("level_1_share_") == "");
    CHECK(features::category_other_column("own_trademark_share") == "");
}
