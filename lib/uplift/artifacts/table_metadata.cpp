#include "uplift/artifacts/table_metadata.hpp"

#include "uplift/artifacts/json_fields.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"

namespace uplift::artifacts {

using json_fields::Json;
using json_fields::Reader;

std::string to_string(OutcomeType type) { return type == OutcomeType::Binary ? "binary" : "continuous"; }

OutcomeType outcome_type_from_string(const std::string& text) {
    if (text == "binary") return OutcomeType::Binary;
    if (text == "continuous") return OutcomeType::Continuous;
    throw UsageError(fmt::format("outcome type '{}' is unknown; expected binary or continuous", text));
}

// ---- roles ----------------------------------------------------------------------------------------

namespace {

Json roles_json(const Roles& roles) {
    Json j;
    j["id"] = roles.id;
    j["treatment"] = roles.treatment;
    j["control"] = roles.control;
    j["treatment_levels"] = roles.treatment_levels;
    j["outcome"] = roles.outcome;
    j["outcome_type"] = to_string(roles.outcome_type);
    j["features"] = roles.features;
    if (roles.scoring_only) j["scoring_only"] = true;
    return j;
}

Roles roles_from(const Reader& r) {
    Roles roles;
    roles.id = r.get<std::string>("id");
    roles.treatment = r.get<std::string>("treatment");
    roles.control = r.get<std::string>("control");
    roles.treatment_levels = r.get<std::vector<std::string>>("treatment_levels");
    roles.outcome = r.get<std::string>("outcome");
    const auto type = r.get<std::string>("outcome_type");
    if (type != "binary" && type != "continuous") r.fail("outcome_type", fmt::format("'{}' is not binary or continuous", type));
    roles.outcome_type = outcome_type_from_string(type);
    roles.features = r.get<std::vector<std::string>>("features");
    roles.scoring_only = r.get_or<bool>("scoring_only", false);
    return roles;
}

Json feature_spec_json(const FeatureSpec& spec) {
    Json j;
    j["numeric"] = spec.numeric;
    j["categorical"] = Json::array();
    for (const auto& c : spec.categorical) {
        j["categorical"].push_back({{"column", c.column}, {"levels", c.levels}, {"other", c.other}});
    }
    j["manifest"] = Json::array();
    for (const auto& f : spec.manifest) {
        j["manifest"].push_back({{"name", f.name}, {"family", f.family}, {"source", f.source}, {"description", f.description}});
    }
    return j;
}

FeatureSpec feature_spec_from(const Reader& r) {
    FeatureSpec s;
    s.numeric = r.get<std::vector<std::string>>("numeric");
    for (const auto& c : r.at("categorical")) {
        const Reader e(c, r.source() + ": categorical");
        s.categorical.push_back({e.get<std::string>("column"), e.get<std::vector<std::string>>("levels"), e.get<bool>("other")});
    }
    for (const auto& f : r.at("manifest")) {
        const Reader e(f, r.source() + ": manifest");
        s.manifest.push_back({e.get<std::string>("name"), e.get<std::string>("family"), e.get<std::string>("source"),
                              e.get<std::string>("description")});
    }
    return s;
}

}  // namespace

std::string to_json(const Roles& roles) { return roles_json(roles).dump(); }

Roles roles_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    return roles_from(Reader(j, source + ": column roles"));
}

// ---- flat feature encoding ------------------------------------------------------------------------

std::vector<std::string> FeatureSpec::names() const {
    std::vector<std::string> out;
    for (const auto& f : manifest) out.push_back(f.name);
    return out;
}

std::string to_json(const FeatureSpec& spec) { return feature_spec_json(spec).dump(); }

FeatureSpec feature_spec_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    return feature_spec_from(Reader(j, source + ": feature encoding"));
}

// ---- retail feature manifest ----------------------------------------------------------------------

std::string to_json(const std::vector<RetailFeature>& manifest) {
    Json j = Json::array();
    for (const auto& f : manifest) {
        j.push_back({{"name", f.name}, {"family", f.family}, {"window", f.window}, {"description", f.description}});
    }
    return j.dump();
}

std::vector<RetailFeature> feature_manifest_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    const std::string where = fmt::format("{}: feature manifest ({})", source, feature_manifest_key);
    if (!j.is_array()) throw DataError(fmt::format("'{}': expected an array, found {}", where, j.type_name()));
    std::vector<RetailFeature> out;
    for (const auto& f : j) {
        const Reader e(f, where);
        out.push_back({e.get<std::string>("name"), e.get<std::string>("family"), e.get<std::string>("window"),
                       e.get<std::string>("description")});
    }
    return out;
}

// ---- gender imputation --------------------------------------------------------------------------

std::string to_json(const GenderImputation& g) {
    Json j;
    j["folds"] = g.folds;
    j["seed"] = g.seed;
    j["known"] = g.known;
    j["imputed"] = g.imputed;
    j["inputs"] = g.inputs;
    j["cv_f1"] = json_fields::number(g.cv_f1);
    j["min_f1"] = json_fields::number(g.min_f1);
    j["applied"] = g.applied;
    j["reason"] = g.reason;
    return j.dump();
}

GenderImputation gender_imputation_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    const Reader r(j, fmt::format("{}: gender imputation ({})", source, gender_imputation_key));
    GenderImputation g;
    g.folds = r.get<int>("folds");
    g.seed = r.get<std::uint64_t>("seed");
    g.known = r.get<std::int64_t>("known");
    g.imputed = r.get<std::int64_t>("imputed");
    g.inputs = r.get<std::vector<std::string>>("inputs");
    g.cv_f1 = r.number("cv_f1");
    g.min_f1 = r.number("min_f1");
    // Before the gate, a record with an F1 predicted the genders and one without did not.
    g.applied = r.get_or<bool>("applied", g.cv_f1.has_value());
    g.reason = r.get_or<std::string>("reason", g.applied ? "" : "too few known clients of either gender");
    return g;
}

// ---- provenance -----------------------------------------------------------------------------------

Provenance provenance_of(std::string stage, const std::vector<std::filesystem::path>& inputs,
                         std::map<std::string, std::string> parameters) {
    Provenance p;
    p.version = version();
    p.stage = std::move(stage);
    for (const auto& path : inputs) p.inputs.push_back({path.filename().string(), file_fingerprint(path)});
    p.parameters = std::move(parameters);
    return p;
}

std::string to_json(const Provenance& p) {
    Json j;
    j["tool"] = p.tool;
    j["version"] = p.version;
    j["stage"] = p.stage;
    j["inputs"] = Json::array();
    for (const auto& in : p.inputs) j["inputs"].push_back({{"path", in.path}, {"fingerprint", in.fingerprint}});
    j["parameters"] = p.parameters;
    return j.dump();
}

Provenance provenance_from_json(std::string_view text, const std::string& source) {
    const auto j = json_fields::parse(text, source);
    const Reader r(j, source + ": provenance");
    Provenance p;
    p.tool = r.get<std::string>("tool");
    p.version = r.get<std::string>("version");
    p.stage = r.get<std::string>("stage");
    for (const auto& in : r.at("inputs")) {
        const Reader e(in, r.source() + ": inputs");
        p.inputs.push_back({e.get<std::string>("path"), e.get<std::string>("fingerprint")});
    }
    p.parameters = r.get<std::map<std::string, std::string>>("parameters");
    return p;
}

// ---- metadata map ---------------------------------------------------------------------------------

void store(MetadataMap& metadata, const Roles& roles) { metadata[roles_key] = to_json(roles); }
void store(MetadataMap& metadata, const FeatureSpec& spec) { metadata[feature_spec_key] = to_json(spec); }
void store(MetadataMap& metadata, const std::vector<RetailFeature>& manifest) {
    metadata[feature_manifest_key] = to_json(manifest);
}
void store(MetadataMap& metadata, const Provenance& provenance) { metadata[provenance_key] = to_json(provenance); }
void store(MetadataMap& metadata, const GenderImputation& record) { metadata[gender_imputation_key] = to_json(record); }

namespace {

template <class Read>
auto load(const MetadataMap& metadata, const char* key, const std::string& source, Read read)
    -> std::optional<decltype(read(std::string_view(), source))> {
    const auto it = metadata.find(key);
    if (it == metadata.end()) return std::nullopt;
    return read(it->second, source);
}

}  // namespace

std::optional<Roles> load_roles(const MetadataMap& metadata, const std::string& source) {
    return load(metadata, roles_key, source, roles_from_json);
}
std::optional<FeatureSpec> load_feature_spec(const MetadataMap& metadata, const std::string& source) {
    return load(metadata, feature_spec_key, source, feature_spec_from_json);
}
std::optional<std::vector<RetailFeature>> load_feature_manifest(const MetadataMap& metadata, const std::string& source) {
    return load(metadata, feature_manifest_key, source, feature_manifest_from_json);
}
std::optional<Provenance> load_provenance(const MetadataMap& metadata, const std::string& source) {
    return load(metadata, provenance_key, source, provenance_from_json);
}
std::optional<GenderImputation> load_gender_imputation(const MetadataMap& metadata, const std::string& source) {
    return load(metadata, gender_imputation_key, source, gender_imputation_from_json);
}

}  // namespace uplift::artifacts
