#pragma once
/// The forest's file in a model bundle (base/forest.json): one JSON document, the format docs/forest.md describes.
/// Thresholds are the features' own values, so scoring needs no bins; numbers are written in their shortest
/// round-trip form, so a loaded forest predicts exactly what the saved one did.

#include <string>
#include <string_view>

#include "uplift/model/forest/forest.hpp"

namespace uplift::model::forest {

inline constexpr std::string_view forest_format_name = "upliftctl-forest";
inline constexpr int forest_format_version = 1;

std::string forest_to_json(const Forest& forest);

/// ModelError naming `source` for anything but a well-formed forest of this format version: wrong version,
/// arrays of unequal length, a child that is not after its parent, a feature index out of range.
Forest forest_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::model::forest
