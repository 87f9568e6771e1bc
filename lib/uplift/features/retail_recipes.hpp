#pragma once
/// The SQL recipes of retail features, compiled in from recipes/*.sql (see cmake/embed_recipes.cmake).

#include <span>
#include <string_view>

namespace uplift::features::detail {

struct RecipeText {
    std::string_view name;  ///< file name without .sql, e.g. "retail_rfm"
    std::string_view sql;
};

/// Every embedded recipe (generated source).
std::span<const RecipeText> embedded_recipes();

/// The recipe `name`; throws InternalError when it was not compiled in.
std::string_view recipe(std::string_view name);

}  // namespace uplift::features::detail
