#include "uplift/features/retail_recipes.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::features::detail {

std::string_view recipe(std::string_view name) {
    for (const auto& r : embedded_recipes()) {
        if (r.name == name) return r.sql;
    }
    throw InternalError(fmt::format("feature recipe '{}' is not compiled in", name));
}

}  // namespace uplift::features::detail
