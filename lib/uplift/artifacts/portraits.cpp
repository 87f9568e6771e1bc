#include "uplift/artifacts/portraits.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::Json;
using json_fields::Reader;

Json feature_json(const PortraitFeature& f) {
    Json j;
    if (!f.label.empty()) j["label"] = f.label;
    j["column"] = f.column;
    j["mean"] = json_fields::number(f.mean);
    j["overall_mean"] = json_fields::number(f.overall_mean);
    j["z"] = json_fields::finite(f.z);
    return j;
}

PortraitFeature feature_of(const Reader& r) {
    PortraitFeature f;
    f.label = r.get_or<std::string>("label", "");
    f.column = r.get<std::string>("column");
    f.mean = r.number("mean");
    f.overall_mean = r.number("overall_mean");
    f.z = r.number("z").value_or(0);
    return f;
}

Json features_json(const std::vector<PortraitFeature>& features) {
    Json a = Json::array();
    for (const auto& f : features) a.push_back(feature_json(f));
    return a;
}

std::vector<PortraitFeature> features_of(const Reader& r, const char* key) {
    std::vector<PortraitFeature> out;
    for (const Json& f : r.at(key)) out.push_back(feature_of(Reader(f, r.source() + ": " + key)));
    return out;
}

Json cluster_json(const ClusterPortrait& c) {
    Json j;
    j["id"] = c.id;
    j["name"] = c.name;
    j["named"] = c.named;
    j["size"] = c.size;
    j["share"] = c.share;
    j["profile"] = features_json(c.profile);
    j["distinctive"] = features_json(c.distinctive);
    Json categories = Json::array();
    for (const auto& s : c.top_categories) {
        categories.push_back(Json{{"category", s.category}, {"column", s.column}, {"share", s.share}});
    }
    j["top_categories"] = categories;
    j["scored"] = c.scored;
    Json uplift = Json::array();
    for (const auto& u : c.uplift) uplift.push_back(Json{{"offer", u.offer}, {"mean_uplift", json_fields::number(u.mean_uplift)}});
    j["uplift"] = uplift;
    j["recommended_offer"] = c.recommended_offer ? Json(*c.recommended_offer) : Json(nullptr);
    return j;
}

ClusterPortrait cluster_of(const Reader& r) {
    ClusterPortrait c;
    c.id = r.get<int>("id");
    c.name = r.get<std::string>("name");
    c.named = r.get_or<bool>("named", false);
    c.size = r.get<std::int64_t>("size");
    c.share = r.get<double>("share");
    c.profile = features_of(r, "profile");
    c.distinctive = features_of(r, "distinctive");
    for (const Json& s : r.at("top_categories")) {
        const Reader sr(s, r.source() + ": top_categories");
        c.top_categories.push_back({sr.get<std::string>("category"), sr.get<std::string>("column"), sr.get<double>("share")});
    }
    c.scored = r.get_or<std::int64_t>("scored", 0);
    for (const Json& u : r.at("uplift")) {
        const Reader ur(u, r.source() + ": uplift");
        c.uplift.push_back({ur.get<std::string>("offer"), ur.number("mean_uplift")});
    }
    if (!r.is_null("recommended_offer")) c.recommended_offer = r.get<std::string>("recommended_offer");
    return c;
}

}  // namespace

std::string to_json(const Portraits& p) {
    Json j;
    j["format_version"] = p.format_version;
    j["features_file"] = p.features_file;
    j["scores_file"] = p.scores_file.empty() ? Json(nullptr) : Json(p.scores_file);
    j["id_column"] = p.id_column;
    j["rows"] = p.rows;
    j["columns"] = p.columns;
    j["imputed_values"] = p.imputed_values;
    j["constant_columns"] = p.constant_columns;
    j["k_chosen_by"] = p.k_chosen_by;
    j["k"] = p.k;
    Json candidates = Json::array();
    for (const auto& c : p.candidates) candidates.push_back(Json{{"k", c.k}, {"silhouette", json_fields::number(c.silhouette)}});
    j["candidates"] = candidates;
    j["silhouette_sample"] = p.silhouette_sample;
    j["silhouette"] = json_fields::number(p.silhouette);
    j["restarts"] = p.restarts;
    j["max_iterations"] = p.max_iterations;
    j["seed"] = p.seed;
    j["inertia"] = json_fields::finite(p.inertia);
    j["iterations"] = p.iterations;
    Json separation = Json::array();
    for (const auto& s : p.separation) separation.push_back(Json{{"column", s.column}, {"eta_squared", json_fields::finite(s.eta_squared)}});
    j["separation"] = separation;
    j["scored"] = p.scored;
    j["offers"] = p.offers;
    Json clusters = Json::array();
    for (const auto& c : p.clusters) clusters.push_back(cluster_json(c));
    j["clusters"] = clusters;
    j["provenance"] = p.provenance_json.empty() ? Json(nullptr) : json_fields::parse(p.provenance_json, "provenance");
    return j.dump(2) + "\n";
}

Portraits portraits_from_json(std::string_view text, const std::string& source) {
    const Json doc = json_fields::parse(text, source);
    const Reader r(doc, source);
    Portraits p;
    p.format_version = r.get<int>("format_version");
    if (p.format_version != portraits_format_version) {
        r.fail("format_version", fmt::format("this build reads version {}, the file has {}", portraits_format_version,
                                             p.format_version));
    }
    p.features_file = r.get<std::string>("features_file");
    if (!r.is_null("scores_file")) p.scores_file = r.get<std::string>("scores_file");
    p.id_column = r.get<std::string>("id_column");
    p.rows = r.get<std::int64_t>("rows");
    p.columns = r.get<std::vector<std::string>>("columns");
    p.imputed_values = r.get_or<std::int64_t>("imputed_values", 0);
    p.constant_columns = r.get_or<std::vector<std::string>>("constant_columns", {});
    p.k_chosen_by = r.get<std::string>("k_chosen_by");
    p.k = r.get<int>("k");
    for (const Json& c : r.at("candidates")) {
        const Reader cr(c, source + ": candidates");
        p.candidates.push_back({cr.get<int>("k"), cr.number("silhouette")});
    }
    p.silhouette_sample = r.get_or<std::int64_t>("silhouette_sample", 0);
    p.silhouette = r.number("silhouette");
    p.restarts = r.get<int>("restarts");
    p.max_iterations = r.get<int>("max_iterations");
    p.seed = r.get<std::uint64_t>("seed");
    p.inertia = r.number("inertia").value_or(0);
    p.iterations = r.get<int>("iterations");
    for (const Json& s : r.at("separation")) {
        const Reader sr(s, source + ": separation");
        p.separation.push_back({sr.get<std::string>("column"), sr.number("eta_squared").value_or(0)});
    }
    p.scored = r.get_or<std::int64_t>("scored", 0);
    p.offers = r.get_or<std::vector<std::string>>("offers", {});
    for (const Json& c : r.at("clusters")) p.clusters.push_back(cluster_of(Reader(c, source + ": clusters")));
    if (!r.is_null("provenance")) p.provenance_json = r.at("provenance").dump();
    return p;
}

}  // namespace uplift::artifacts
