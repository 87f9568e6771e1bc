#include "uplift/artifacts/comparison.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::Json;
using json_fields::Reader;

Json metrics_json(const ComparedMetrics& m, const std::vector<std::string>& labels) {
    Json at_k = Json::object();
    for (std::size_t i = 0; i < labels.size() && i < m.uplift_at_k.size(); ++i) {
        at_k[labels[i]] = json_fields::number(m.uplift_at_k[i]);
    }
    return Json{{"qini_auc", json_fields::number(m.qini_auc)}, {"uplift_at_k", at_k}};
}

Json difference_json(const MetricDifference& d) {
    Json j{{"estimate", json_fields::number(d.estimate)}};
    j["low"] = d.interval ? json_fields::finite(d.interval->low) : Json(nullptr);
    j["high"] = d.interval ? json_fields::finite(d.interval->high) : Json(nullptr);
    return j;
}

Json level_json(const LevelComparison& l, const std::vector<std::string>& labels) {
    Json j;
    j["level"] = l.level;
    j["n_treatment"] = l.n_treatment;
    j["n_control"] = l.n_control;
    j["champion"] = l.champion ? metrics_json(*l.champion, labels) : Json(nullptr);
    j["challenger"] = metrics_json(l.challenger, labels);
    if (!l.qini_auc) {
        j["difference"] = nullptr;
        return j;
    }
    Json at_k = Json::object();
    for (std::size_t i = 0; i < labels.size() && i < l.uplift_at_k.size(); ++i) {
        at_k[labels[i]] = difference_json(l.uplift_at_k[i]);
    }
    j["difference"] = Json{{"qini_auc", difference_json(*l.qini_auc)}, {"uplift_at_k", at_k}};
    return j;
}

ComparedMetrics metrics_of(const Reader& r, const std::vector<std::string>& labels) {
    ComparedMetrics m;
    m.qini_auc = r.number("qini_auc");
    const Reader at_k = r.object("uplift_at_k");
    for (const auto& label : labels) m.uplift_at_k.push_back(at_k.number(label.c_str()));
    return m;
}

MetricDifference difference_of(const Reader& r) {
    MetricDifference d;
    d.estimate = r.number("estimate");
    const auto low = r.number("low");
    const auto high = r.number("high");
    if (low && high) d.interval = ConfidenceInterval{*low, *high};
    return d;
}

LevelComparison level_of(const Reader& r, const std::vector<std::string>& labels) {
    LevelComparison l;
    l.level = r.get<std::string>("level");
    l.n_treatment = r.get<std::int64_t>("n_treatment");
    l.n_control = r.get<std::int64_t>("n_control");
    if (!r.is_null("champion")) l.champion = metrics_of(r.object("champion"), labels);
    l.challenger = metrics_of(r.object("challenger"), labels);
    if (!r.is_null("difference")) {
        const Reader d = r.object("difference");
        l.qini_auc = difference_of(d.object("qini_auc"));
        const Reader at_k = d.object("uplift_at_k");
        for (const auto& label : labels) l.uplift_at_k.push_back(difference_of(at_k.object(label.c_str())));
    }
    return l;
}

}  // namespace

std::string_view to_string(Decision d) { return d == Decision::Reject ? "reject" : "promote"; }

std::string to_json(const Comparison& c) {
    Json j;
    j["format_version"] = c.format_version;
    j["decision"] = std::string(to_string(c.decision));
    j["reason"] = c.reason;
    j["metric"] = c.metric;
    j["margin"] = c.margin;
    j["level"] = c.level;
    j["bootstrap"] = c.bootstrap;
    j["seed"] = c.seed;
    j["ks"] = c.ks;
    j["k_labels"] = c.k_labels;
    j["champion"] = c.champion.empty() ? Json(nullptr) : Json(c.champion);
    j["challenger"] = c.challenger;
    j["features"] = c.features;
    j["rows"] = Json{{"n", c.rows}, {"n_treatment", c.n_treatment}, {"n_control", c.n_control}};
    Json levels = Json::array();
    for (const auto& l : c.levels) levels.push_back(level_json(l, c.k_labels));
    j["levels"] = levels;
    j["provenance"] = c.provenance_json.empty() ? Json(nullptr) : json_fields::parse(c.provenance_json, "provenance");
    return j.dump(2) + "\n";
}

Comparison comparison_from_json(std::string_view text, const std::string& source) {
    const Json doc = json_fields::parse(text, source);
    const Reader r(doc, source);
    Comparison c;
    c.format_version = r.get<int>("format_version");
    if (c.format_version != comparison_format_version) {
        r.fail("format_version", fmt::format("this build reads format version {}, the file has {}",
                                             comparison_format_version, c.format_version));
    }
    const auto decision = r.get<std::string>("decision");
    if (decision != "promote" && decision != "reject") r.fail("decision", "must be \"promote\" or \"reject\"");
    c.decision = decision == "reject" ? Decision::Reject : Decision::Promote;
    c.reason = r.get<std::string>("reason");
    c.metric = r.get<std::string>("metric");
    c.margin = r.get<double>("margin");
    c.level = r.get<double>("level");
    c.bootstrap = r.get<int>("bootstrap");
    c.seed = r.get<std::uint64_t>("seed");
    c.ks = r.get<std::vector<double>>("ks");
    c.k_labels = r.get<std::vector<std::string>>("k_labels");
    if (c.k_labels.size() != c.ks.size()) r.fail("k_labels", "must have one label per k");
    c.champion = r.is_null("champion") ? std::string() : r.get<std::string>("champion");
    c.challenger = r.get<std::string>("challenger");
    c.features = r.get<std::string>("features");
    const Reader rows = r.object("rows");
    c.rows = rows.get<std::int64_t>("n");
    c.n_treatment = rows.get<std::int64_t>("n_treatment");
    c.n_control = rows.get<std::int64_t>("n_control");
    for (const Json& l : r.at("levels")) c.levels.push_back(level_of(Reader(l, source + ": levels"), c.k_labels));
    c.provenance_json = r.is_null("provenance") ? std::string() : r.at("provenance").dump();
    return c;
}

}  // namespace uplift::artifacts
