#include "uplift/model/bundle.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::model {

namespace fs = std::filesystem;

namespace {

std::string base_file_name(const std::string& name) { return "base/" + name + ".json"; }

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelError(fmt::format("cannot read '{}'", file.string()));
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

void ModelBundle::save(const fs::path& dir, bool overwrite, const std::function<void(const fs::path&)>& extra) const {
    io::AtomicOutput out(dir, overwrite);
    const fs::path tmp = out.temp_path();
    io::create_directories(tmp / "base", dir / "base");
    nlohmann::ordered_json j;
    j["format_version"] = bundle_format_version;
    j["tool"] = "upliftctl";
    j["tool_version"] = version();
    j["learner"] = to_string(learner);
    j["roles"] = nlohmann::ordered_json::parse(roles.to_json());
    j["features"] = roles.features;
    j["feature_types"] = feature_types;
    j["treatment_levels"] = roles.treatment_levels;
    j["encoding"] = encoding ? nlohmann::ordered_json::parse(encoding->to_json()) : nlohmann::ordered_json();
    j["parameters"] = parameters;
    j["seed"] = seed;
    j["training_data_fingerprint"] = training_fingerprint;
    j["holdout_metrics"] = nlohmann::ordered_json::parse(holdout_metrics_json);
    j["cross_validation"] = nlohmann::ordered_json::parse(cv_metrics_json);
    j["feature_importance"] = nlohmann::ordered_json::parse(importance_json);
    j["randomisation_check"] = nlohmann::ordered_json::parse(randomisation_json);
    j["propensity"] = nlohmann::ordered_json::parse(propensity.to_json());
    j["base_models"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < base_models.size(); ++k) {
        const std::string text = base_models[k].model.to_json();
        const std::string file = base_file_name(base_models[k].name);
        io::write_file(tmp / file, text, dir / file);
        j["base_models"].push_back({{"name", base_models[k].name},
                                    {"file", file},
                                    {"fingerprint", text_fingerprint(text)},
                                    {"rounds", base_models[k].model.num_rounds()}});
    }
    io::write_file(tmp / "model.json", j.dump(2) + "\n", dir / "model.json");
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
        const auto learner = j.at("learner").get<std::string>();
        try {
            b.learner = learner_from_string(learner);
        } catch (const UsageError&) {
            throw ModelError(fmt::format("'{}': learner '{}' is unknown", manifest.string(), learner));
        }
        b.roles = data::Roles::from_json(j.at("roles").dump());
        if (!j.at("encoding").is_null()) b.encoding = features::FeatureSpec::from_json(j.at("encoding").dump());
        b.parameters = j.at("parameters").get<std::map<std::string, std::string>>();
        b.seed = j.at("seed").get<std::uint64_t>();
        b.training_fingerprint = j.at("training_data_fingerprint").get<std::string>();
        b.holdout_metrics_json = j.at("holdout_metrics").dump();
        b.cv_metrics_json = j.value("cross_validation", nlohmann::json()).dump();
        b.importance_json = j.value("feature_importance", nlohmann::json()).dump();
        b.randomisation_json = j.value("randomisation_check", nlohmann::json()).dump();
        b.feature_types = j.value("feature_types", std::map<std::string, std::string>());
        b.propensity = Propensity::from_json(j.at("propensity").dump());
        const auto& bases = j.at("base_models");
        std::vector<std::string> names;
        for (const auto& base : bases) names.push_back(base.at("name").get<std::string>());
        if (names != expected_model_names(b.learner, b.n_treated())) {
            throw ModelError(fmt::format("'{}' lists base models [{}]; a {}-learner with {} treated level(s) needs [{}]",
                                         manifest.string(), fmt::join(names, ", "), learner, b.n_treated(),
                                         fmt::join(expected_model_names(b.learner, b.n_treated()), ", ")));
        }
        const int inputs = base_model_inputs(b.learner, static_cast<int>(b.roles.features.size()), b.n_treated());
        for (const auto& base : bases) {
            const fs::path file = dir / base.at("file").get<std::string>();
            const std::string text = read_text(file);
            if (text_fingerprint(text) != base.at("fingerprint").get<std::string>()) {
                throw ModelError(fmt::format("'{}' changed after training (fingerprint mismatch); retrain the model",
                                             file.string()));
            }
            b.base_models.push_back({base.at("name").get<std::string>(), Gbm::from_json(text, file.string())});
            if (b.base_models.back().model.num_features() != inputs) {
                throw ModelError(fmt::format("'{}' expects {} inputs, model.json implies {}", file.string(),
                                             b.base_models.back().model.num_features(), inputs));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw ModelError(fmt::format("'{}' is not a valid model description: {}", manifest.string(), e.what()));
    } catch (const DataError& e) {
        throw ModelError(fmt::format("'{}': {}", manifest.string(), e.what()));
    }
    return b;
}

ArmPredictions ModelBundle::predict(const DenseMatrix& x, std::span<const double> propensity_column) const {
    return predict_learner(learner, base_models, n_treated(), binary(), propensity, x, propensity_column);
}

}  // namespace uplift::model
