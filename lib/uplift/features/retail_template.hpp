#pragma once
/// Expands a retail feature recipe (plain SQL with a few comment directives) for one run, and reads its
/// feature manifest from the comments. Directives, each alone on a line:
///   --@each window          repeat the block once per window W; {w} = W
///   --@each shorter_window  once per window but the longest; {w} = W, {wmax} = the longest
///   --@each level_1         once per product category; {level} = SQL literal, {key} = column-name
///                           part, {level_text} = the category as text
///   --@if products          keep the block only when products.parquet is given
///   --@if outcomes          keep the block only when the rows carry campaign outcomes (treatment, target)
///   --@end                  closes the innermost block
///   --@window LABEL         window label of the features declared below, outside --@each window
/// Everywhere: {cutoff} = the cutoff instant (TIMESTAMP), {cutoff_date} = the cutoff date (DATE).
/// A feature is declared by a line `... AS name  -- description`; windowed features get "<W>d".

#include <string>
#include <string_view>
#include <vector>

#include "uplift/features/retail_manifest.hpp"

namespace uplift::features {

/// The key of a category family's fold-in column (level_1_share___other__): spending on the categories
/// without a column of their own, so a category a model never saw has a column to go to.
inline constexpr const char* category_other_key = "__other__";

struct CategoryLevel {
    std::string value;  ///< as in products.parquet
    std::string key;    ///< lower-case letters, digits and '_': safe in a column name, unique
};

struct RecipeContext {
    std::string cutoff;         ///< SQL: TIMESTAMP 'YYYY-MM-DD 00:00:00'
    std::string cutoff_date;    ///< SQL: DATE 'YYYY-MM-DD'
    std::vector<int> windows;   ///< ascending, distinct, at least one
    bool products = false;
    bool outcomes = true;        ///< the population carries treatment_flg and target
    std::vector<CategoryLevel> level_1;
};

struct ExpandedRecipe {
    std::string sql;
    std::vector<RetailFeature> features;  ///< in declaration order
};

/// Throws InternalError for an unbalanced or unknown directive (a bug in a recipe).
ExpandedRecipe expand_recipe(std::string_view family, std::string_view text, const RecipeContext& context);

/// Column-name keys for category values: lower-cased, other characters as '_', at most 40 characters,
/// made unique with a numeric suffix; never category_other_key.
std::vector<CategoryLevel> category_levels(const std::vector<std::string>& values);

}  // namespace uplift::features
