#include "uplift/artifacts/drift_reference.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::Json;
using json_fields::Reader;

Json distribution_json(const DistributionReference& d) {
    return {{"name", d.name}, {"kind", d.kind},       {"cuts", d.cuts}, {"shares", d.shares},
            {"missing_share", d.missing_share}, {"min", d.min}, {"max", d.max}};
}

std::vector<double> doubles(const Reader& r, const char* key) {
    const Json& a = r.at(key);
    if (!a.is_array()) r.fail(key, "expected an array of numbers");
    std::vector<double> out;
    for (const auto& v : a) {
        if (!v.is_number()) r.fail(key, "expected an array of numbers");
        out.push_back(v.get<double>());
    }
    return out;
}

DistributionReference distribution_from(const Json& j, const std::string& source) {
    const Reader r(j, source);
    DistributionReference d;
    d.name = r.get<std::string>("name");
    d.kind = r.get<std::string>("kind");
    if (d.kind != "bins" && d.kind != "values") r.fail("kind", "expected \"bins\" or \"values\"");
    d.cuts = doubles(r, "cuts");
    d.shares = doubles(r, "shares");
    const std::size_t expected = d.kind == "bins" ? d.cuts.size() + 1 : d.cuts.size();
    if (d.shares.size() != expected) r.fail("shares", "expected one share per bin or value");
    d.missing_share = r.get<double>("missing_share");
    d.min = r.get<double>("min");
    d.max = r.get<double>("max");
    return d;
}

std::vector<DistributionReference> distributions_from(const Reader& r, const char* key) {
    const Json& a = r.at(key);
    if (!a.is_array()) r.fail(key, "expected an array");
    std::vector<DistributionReference> out;
    for (const auto& item : a) out.push_back(distribution_from(item, r.source() + ": " + key));
    return out;
}

}  // namespace

Json to_json_value(const DriftReference& reference) {
    Json features = Json::array(), score = Json::array();
    for (const auto& d : reference.features) features.push_back(distribution_json(d));
    for (const auto& d : reference.score) score.push_back(distribution_json(d));
    return {{"rows", reference.rows}, {"score_rows", reference.score_rows}, {"features", features}, {"score", score}};
}

namespace {

Json input_drift_json(const InputDrift& d) {
    return {{"name", d.name},
            {"psi", d.psi},
            {"outside_share", d.outside_share},
            {"missing_share", d.missing_share},
            {"reference_missing_share", d.reference_missing_share}};
}

InputDrift input_drift_from(const Json& j, const std::string& source) {
    const Reader r(j, source);
    return {r.get<std::string>("name"), r.get<double>("psi"), r.get<double>("outside_share"),
            r.get<double>("missing_share"), r.get<double>("reference_missing_share")};
}

}  // namespace

std::string to_json(const DriftReport& report) {
    Json features = Json::array();
    for (const auto& f : report.features) features.push_back(input_drift_json(f));
    const Json j{{"rows", report.rows},
                 {"reference_rows", report.reference_rows},
                 {"features", features},
                 {"score", report.score ? input_drift_json(*report.score) : Json(nullptr)}};
    return j.dump(2) + "\n";
}

DriftReport drift_report_from_json(std::string_view text, const std::string& source) {
    const Json j = json_fields::parse(text, source);
    const Reader r(j, source);
    DriftReport d;
    d.rows = r.get<std::int64_t>("rows");
    d.reference_rows = r.get<std::int64_t>("reference_rows");
    for (const auto& f : r.at("features")) d.features.push_back(input_drift_from(f, source + ": features"));
    if (!r.is_null("score")) d.score = input_drift_from(r.at("score"), source + ": score");
    return d;
}

DriftReference drift_reference_from(const Reader& r) {
    DriftReference d;
    d.rows = r.get<std::int64_t>("rows");
    d.score_rows = r.get<std::string>("score_rows");
    d.features = distributions_from(r, "features");
    d.score = distributions_from(r, "score");
    return d;
}

}  // namespace uplift::artifacts
