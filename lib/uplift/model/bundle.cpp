#include "uplift/model/bundle.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"

namespace uplift::model {

namespace fs = std::filesystem;

namespace {

std::string base_file_name(std::size_t index) {
    return index == 0 ? std::string("base/control.json") : fmt::format("base/treated_{}.json", index);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelError(fmt::format("cannot read '{}'", file.string()));
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

void ModelBundle::save(const fs::path& dir, bool overwrite, const std::function<void(const fs::path&)>& extra) const {
    io::AtomicOutput out(dir, overwrite);
    const fs::path tmp = out.temp_path();
    fs::create_directories(tmp / "base");
    nlohmann::ordered_json j;
    j["format_version"] = bundle_format_version;
    j["tool"] = "upliftctl";
    j["tool_version"] = version();
    j["learner"] = learner;
    j["roles"] = nlohmann::ordered_json::parse(roles.to_json());
    j["features"] = roles.features;
    j["encoding"] = encoding ? nlohmann::ordered_json::parse(encoding->to_json()) : nlohmann::ordered_json();
    j["parameters"] = parameters;
    j["seed"] = seed;
    j["training_data_fingerprint"] = training_fingerprint;
    j["holdout_metrics"] = nlohmann::ordered_json::parse(holdout_metrics_json);
    j["cross_validation"] = nlohmann::ordered_json::parse(cv_metrics_json);
    j["base_models"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < base_models.size(); ++k) {
        const std::string text = base_models[k].to_json();
        const std::string name = base_file_name(k);
        std::ofstream(tmp / name, std::ios::binary) << text;
        j["base_models"].push_back({{"arm", k == 0 ? roles.control : roles.treatment_levels.at(k - 1)},
                                    {"file", name},
                                    {"fingerprint", text_fingerprint(text)},
                                    {"rounds", base_models[k].num_rounds()}});
    }
    std::ofstream(tmp / "model.json", std::ios::binary) << j.dump(2) << "\n";
    if (extra) extra(tmp);
    out.commit();
}

ModelBundle ModelBundle::load(const fs::path& dir) {
    const fs::path manifest = dir / "model.json";
    if (!fs::is_directory(dir)) throw ModelError(fmt::format("'{}' is not a model folder (written by `upliftctl train`)", dir.string()));
    if (!fs::exists(manifest)) throw ModelError(fmt::format("'{}' has no model.json; is it a model folder?", dir.string()));
    ModelBundle b;
    try {
        const auto j = nlohmann::json::parse(read_text(manifest));
        const int format = j.at("format_version").get<int>();
        if (format != bundle_format_version) {
            throw ModelError(fmt::format("'{}' has format version {}; this upliftctl reads version {} (retrain the "
                                         "model or use the matching upliftctl)",
                                         manifest.string(), format, bundle_format_version));
        }
        b.learner = j.at("learner").get<std::string>();
        if (b.learner != "t") throw ModelError(fmt::format("'{}': learner '{}' is unknown", manifest.string(), b.learner));
        b.roles = data::Roles::from_json(j.at("roles").dump());
        if (!j.at("encoding").is_null()) b.encoding = features::FeatureSpec::from_json(j.at("encoding").dump());
        b.parameters = j.at("parameters").get<std::map<std::string, std::string>>();
        b.seed = j.at("seed").get<std::uint64_t>();
        b.training_fingerprint = j.at("training_data_fingerprint").get<std::string>();
        b.holdout_metrics_json = j.at("holdout_metrics").dump();
        b.cv_metrics_json = j.value("cross_validation", nlohmann::json()).dump();
        const auto& bases = j.at("base_models");
        if (bases.size() != b.roles.treatment_levels.size() + 1) {
            throw ModelError(fmt::format("'{}' lists {} base models for {} arms", manifest.string(), bases.size(),
                                         b.roles.treatment_levels.size() + 1));
        }
        for (const auto& base : bases) {
            const fs::path file = dir / base.at("file").get<std::string>();
            const std::string text = read_text(file);
            if (text_fingerprint(text) != base.at("fingerprint").get<std::string>()) {
                throw ModelError(fmt::format("'{}' changed after training (fingerprint mismatch); retrain the model",
                                             file.string()));
            }
            b.base_models.push_back(Gbm::from_json(text, file.string()));
            if (b.base_models.back().num_features() != static_cast<int>(b.roles.features.size())) {
                throw ModelError(fmt::format("'{}' expects {} features, model.json lists {}", file.string(),
                                             b.base_models.back().num_features(), b.roles.features.size()));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw ModelError(fmt::format("'{}' is not a valid model description: {}", manifest.string(), e.what()));
    } catch (const DataError& e) {
        throw ModelError(fmt::format("'{}': {}", manifest.string(), e.what()));
    }
    return b;
}

}  // namespace uplift::model
