#pragma once
/// The feature manifest of retail features: what each output column means. It travels in the output's
/// metadata so `features --list`, a report or an analyst can explain any column without the code.

#include <string>
#include <vector>

namespace uplift::features {

struct RetailFeature {
    std::string name;
    std::string family;       ///< the recipe it comes from: profile, rfm, check, points, habits, basket
    std::string window;       ///< "30d", "7d/180d" (a trend), "all" (history before the cutoff), "static"
    std::string description;
};

inline constexpr const char* feature_manifest_metadata_key = "upliftctl.feature_manifest";

std::string manifest_to_json(const std::vector<RetailFeature>& manifest);
/// Throws DataError when `json` is not a manifest.
std::vector<RetailFeature> manifest_from_json(const std::string& json);

}  // namespace uplift::features
