#include "uplift/model/bundle.hpp"

#include <fmt/format.h>

#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/model/forest/forest_file.hpp"

namespace uplift::model {

namespace fs = std::filesystem;

namespace {

std::string base_file_name(const std::string& name) { return "base/" + name + ".json"; }

std::string read_text(const fs::path& file) {
    // A folder opens as a stream and fails only when read, with an exception that would pass for a bug.
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        throw ModelError(fmt::format("cannot read '{}': it is a folder, a model file was expected", file.string()));
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelError(fmt::format("cannot read '{}'", file.string()));
    return {std::istreambuf_iterator<char>(in), {}};
}

/// The file a model.json entry names, which must lie inside the model folder: an absolute path, or one
/// that climbs out with `..` or through a symlink, would make `score` read (and trust) any file on the machine.
fs::path file_in_model(const fs::path& dir, const std::string& entry, const std::string& field, const fs::path& manifest) {
    const fs::path relative(entry);
    const auto outside = [&](const std::string& why) {
        return ModelError(fmt::format("'{}': {} '{}' {}; the files of a model must lie inside its folder", manifest.string(),
                                      field, entry, why));
    };
    if (relative.empty()) throw outside("is empty");
    if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory()) {
        throw outside("is an absolute path");
    }
    for (const auto& part : relative.lexically_normal()) {
        if (part == "..") throw outside("points outside the model folder");
    }
    const fs::path file = dir / relative;
    std::error_code ec;
    const fs::path real_dir = fs::weakly_canonical(dir, ec);
    const fs::path real_file = fs::weakly_canonical(file, ec);
    if (!ec) {
        const auto rel = real_file.lexically_relative(real_dir);
        if (rel.empty() || *rel.begin() == "..") throw outside("points outside the model folder (through a symlink)");
    }
    return file;
}

}  // namespace

void ModelBundle::save(const fs::path& dir, bool overwrite, const std::function<void(const fs::path&)>& extra) const {
    io::AtomicOutput out(dir, overwrite, io::OutputShape::Folder);
    const fs::path tmp = out.temp_path();
    io::create_directories(tmp / "base", dir / "base");
    artifacts::ModelManifest m;
    m.tool_version = version();
    m.learner = to_string(learner);
    m.roles = roles;
    m.features = roles.features;
    m.feature_types = feature_types;
    m.treatment_levels = roles.treatment_levels;
    m.encoding = encoding;
    m.parameters = parameters;
    m.seed = seed;
    m.training_data_fingerprint = training_fingerprint;
    m.holdout_metrics = holdout_metrics;
    m.cross_validation = cv_metrics;
    m.auto_search = auto_search;
    m.feature_importance = importance;
    m.randomisation_check = randomisation;
    m.leakage = leakage;
    m.drift_reference = drift_reference;
    m.gender_imputation = gender_imputation;
    m.propensity = propensity.record();
    for (const auto& base : base_models) {
        const std::string text = base.model.to_json();
        const std::string file = base_file_name(base.name);
        io::write_file(tmp / file, text, dir / file);
        m.base_models.push_back({base.name, file, text_fingerprint(text), base.model.num_rounds()});
    }
    if (forest) {
        const std::string text = forest::forest_to_json(*forest);
        const std::string file = base_file_name("forest");
        io::write_file(tmp / file, text, dir / file);
        m.base_models.push_back({"forest", file, text_fingerprint(text), static_cast<int>(forest->trees.size())});
    }
    if (fitted_rows) m.fitted_rows = save_fitted_rows(*fitted_rows, tmp / fitted_rows_file, dir / fitted_rows_file);
    io::write_file(tmp / "model.json", artifacts::to_json(m), dir / "model.json");
    if (extra) extra(tmp);
    out.commit();
}

ModelBundle ModelBundle::load(const fs::path& dir) {
    const fs::path manifest = dir / "model.json";
    if (!fs::is_directory(dir)) throw ModelError(fmt::format("'{}' is not a model folder (written by `upliftctl train`)", dir.string()));
    if (!fs::exists(manifest)) throw ModelError(fmt::format("'{}' has no model.json; is it a model folder?", dir.string()));
    const artifacts::ModelManifest m = artifacts::model_manifest_from_json(read_text(manifest), manifest.string());
    ModelBundle b;
    try {
        try {
            b.learner = learner_from_string(m.learner);
        } catch (const UsageError&) {
            throw ModelError(fmt::format("'{}': learner '{}' is unknown", manifest.string(), m.learner));
        }
        b.roles = m.roles;
        b.encoding = m.encoding;
        b.parameters = m.parameters;
        b.seed = m.seed;
        b.training_fingerprint = m.training_data_fingerprint;
        b.holdout_metrics = m.holdout_metrics;
        b.cv_metrics = m.cross_validation;
        b.auto_search = m.auto_search;
        b.importance = m.feature_importance;
        b.randomisation = m.randomisation_check;
        b.leakage = m.leakage;
        b.drift_reference = m.drift_reference;
        b.gender_imputation = m.gender_imputation;
        b.feature_types = m.feature_types;
        b.propensity = Propensity::from_record(m.propensity);
        if (m.fitted_rows) b.fitted_rows = load_fitted_rows(dir, *m.fitted_rows);
        std::vector<std::string> names;
        for (const auto& base : m.base_models) names.push_back(base.name);
        if (names != expected_model_names(b.learner, b.n_treated())) {
            throw ModelError(fmt::format("'{}' lists base models [{}]; a {}-learner with {} treated level(s) needs [{}]",
                                         manifest.string(), fmt::join(names, ", "), m.learner, b.n_treated(),
                                         fmt::join(expected_model_names(b.learner, b.n_treated()), ", ")));
        }
        const int inputs = base_model_inputs(b.learner, static_cast<int>(b.roles.features.size()), b.n_treated());
        for (std::size_t i = 0; i < m.base_models.size(); ++i) {
            const auto& base = m.base_models[i];
            const fs::path file = file_in_model(dir, base.file, fmt::format("base_models[{}].file", i), manifest);
            const std::string text = read_text(file);
            if (!text_has_fingerprint(text, base.fingerprint)) {
                throw ModelError(fmt::format("'{}' changed after training (fingerprint mismatch); retrain the model",
                                             file.string()));
            }
            if (b.learner == LearnerKind::Forest) {
                b.forest = forest::forest_from_json(text, file.string());
                if (b.forest->features != inputs || b.forest->arms != b.n_treated() + 1) {
                    throw ModelError(fmt::format("'{}' is a forest of {} inputs and {} arms, model.json implies {} and {}",
                                                 file.string(), b.forest->features, b.forest->arms, inputs,
                                                 b.n_treated() + 1));
                }
                continue;
            }
            b.base_models.push_back({base.name, Gbm::from_json(text, file.string())});
            if (b.base_models.back().model.num_features() != inputs) {
                throw ModelError(fmt::format("'{}' expects {} inputs, model.json implies {}", file.string(),
                                             b.base_models.back().model.num_features(), inputs));
            }
        }
    } catch (const DataError& e) {
        throw ModelError(fmt::format("'{}': {}", manifest.string(), e.what()));
    }
    return b;
}

ArmPredictions ModelBundle::predict(const DenseMatrix& x, std::span<const double> propensity_column) const {
    if (learner == LearnerKind::Forest) {
        if (!forest) throw InternalError("a forest bundle without its forest");
        return predict_forest_learner(*forest, x, threads);
    }
    return predict_learner(learner, base_models, n_treated(), binary(), propensity, x, propensity_column);
}

void ModelBundle::set_threads(int n) {
    threads = n;
    for (auto& base : base_models) base.model.set_threads(n);
}

}  // namespace uplift::model
