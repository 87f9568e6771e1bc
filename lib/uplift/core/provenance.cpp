#include "uplift/core/provenance.hpp"

#include <nlohmann/json.hpp>

#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"

namespace uplift {

std::string Provenance::to_json() const {
    nlohmann::ordered_json j;
    j["tool"] = "upliftctl";
    j["version"] = version();
    j["stage"] = stage;
    j["inputs"] = nlohmann::ordered_json::array();
    for (const auto& p : inputs) {
        j["inputs"].push_back({{"path", p.filename().string()}, {"fingerprint", file_fingerprint(p)}});
    }
    j["parameters"] = parameters;
    return j.dump();
}

}  // namespace uplift
