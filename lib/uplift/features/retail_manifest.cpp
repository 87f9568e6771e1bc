#include "uplift/features/retail_manifest.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::features {

std::string manifest_to_json(const std::vector<RetailFeature>& manifest) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& f : manifest) {
        j.push_back({{"name", f.name}, {"family", f.family}, {"window", f.window}, {"description", f.description}});
    }
    return j.dump();
}

std::vector<RetailFeature> manifest_from_json(const std::string& json) {
    try {
        std::vector<RetailFeature> out;
        for (const auto& f : nlohmann::json::parse(json)) {
            out.push_back({f.at("name").get<std::string>(), f.at("family").get<std::string>(),
                           f.at("window").get<std::string>(), f.at("description").get<std::string>()});
        }
        return out;
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("the feature manifest ({}) is not readable: {}", feature_manifest_metadata_key,
                                    e.what()));
    }
}

}  // namespace uplift::features
