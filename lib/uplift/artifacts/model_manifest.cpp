#include "uplift/artifacts/model_manifest.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

namespace {

using json_fields::finite;
using json_fields::Json;
using json_fields::number;
using json_fields::Reader;

Json holdout_json(const std::optional<std::vector<ArmMetrics>>& metrics) {
    if (!metrics) return nullptr;
    Json j = Json::object();
    for (const auto& m : *metrics) {
        Json one{{"n_treatment", m.n_treatment}, {"n_control", m.n_control}};
        for (const auto& f : arm_metric_fields) one[f.key] = number(m.*f.member);
        j[m.level] = std::move(one);
    }
    return j;
}

std::vector<ArmMetrics> holdout_from(const Reader& r) {
    std::vector<ArmMetrics> out;
    for (const auto& [level, item] : r.at("holdout_metrics").items()) {
        const Reader m(item, r.source() + ": holdout_metrics: " + level);
        ArmMetrics a;
        a.level = level;
        a.n_treatment = m.get<std::int64_t>("n_treatment");
        a.n_control = m.get<std::int64_t>("n_control");
        for (const auto& f : arm_metric_fields) a.*f.member = m.number(f.key);
        out.push_back(std::move(a));
    }
    return out;
}

Json cv_json(const std::optional<std::vector<CvMetrics>>& cv) {
    if (!cv) return nullptr;
    Json j = Json::object();
    for (const auto& c : *cv) {
        Json q = Json::array(), u = Json::array();
        for (double v : c.qini_auc) q.push_back(finite(v));
        for (double v : c.uplift_at_30) u.push_back(finite(v));
        j[c.level] = {{"folds", c.qini_auc.size()},
                      {"qini_auc_mean", finite(c.qini_auc_mean)},
                      {"qini_auc_std", finite(c.qini_auc_std)},
                      {"uplift_at_30_mean", finite(c.uplift_at_30_mean)},
                      {"uplift_at_30_std", finite(c.uplift_at_30_std)},
                      {"qini_auc_per_fold", q},
                      {"uplift_at_30_per_fold", u}};
    }
    return j;
}

std::vector<double> numbers_or_nan(const Json& array, const Reader& r, const char* key) {
    if (!array.is_array()) r.fail(key, "expected an array");
    std::vector<double> out;
    for (const auto& v : array) {
        if (v.is_null()) out.push_back(std::nan(""));
        else if (v.is_number()) out.push_back(v.get<double>());
        else r.fail(key, fmt::format("expected numbers or null, found {}", v.type_name()));
    }
    return out;
}

std::vector<CvMetrics> cv_from(const Reader& r) {
    std::vector<CvMetrics> out;
    for (const auto& [level, item] : r.at("cross_validation").items()) {
        const Reader m(item, r.source() + ": cross_validation: " + level);
        CvMetrics c;
        c.level = level;
        c.qini_auc_mean = m.number_or_nan("qini_auc_mean");
        c.qini_auc_std = m.number_or_nan("qini_auc_std");
        c.uplift_at_30_mean = m.number_or_nan("uplift_at_30_mean");
        c.uplift_at_30_std = m.number_or_nan("uplift_at_30_std");
        c.qini_auc = numbers_or_nan(m.at("qini_auc_per_fold"), m, "qini_auc_per_fold");
        c.uplift_at_30 = numbers_or_nan(m.at("uplift_at_30_per_fold"), m, "uplift_at_30_per_fold");
        out.push_back(std::move(c));
    }
    return out;
}

Json auto_search_json(const AutoSearch& a) {
    Json candidates = Json::array();
    for (const auto& c : a.candidates) {
        Json folds = Json::array();
        for (double v : c.per_fold) folds.push_back(finite(v));
        Json one{{"learner", c.learner}, {"params", c.params}, {"status", c.status}};
        if (!c.reason.empty()) one["reason"] = c.reason;
        one["per_fold"] = folds;
        one["mean"] = number(c.mean);
        one["se"] = number(c.se);
        one["selected"] = c.selected;
        candidates.push_back(std::move(one));
    }
    return {{"criterion", a.criterion},     {"rule", a.rule}, {"folds", a.folds},          {"repeats", a.repeats},
            {"grid", a.grid},               {"time_budget", a.time_budget}, {"candidates", candidates}};
}

AutoSearch auto_search_from(const Reader& r) {
    AutoSearch a;
    a.criterion = r.get<std::string>("criterion");
    a.rule = r.get<std::string>("rule");
    a.folds = r.get<int>("folds");
    a.repeats = r.get_or<int>("repeats", 1);  // models trained before --cv-repeats ran one K-fold search
    a.grid = r.get<std::string>("grid");
    a.time_budget = r.get<double>("time_budget");
    for (const auto& item : r.at("candidates")) {
        const Reader c(item, r.source() + ": candidates");
        AutoCandidate one;
        one.learner = c.get<std::string>("learner");
        one.params = c.get<std::map<std::string, std::string>>("params");
        one.status = c.get<std::string>("status");
        one.reason = c.get_or<std::string>("reason", "");
        one.per_fold = numbers_or_nan(c.at("per_fold"), c, "per_fold");
        one.mean = c.number("mean");
        one.se = c.number("se");
        one.selected = c.get<bool>("selected");
        a.candidates.push_back(std::move(one));
    }
    return a;
}

Json importance_json(const std::optional<FeatureImportance>& importance) {
    if (!importance) return nullptr;
    Json j;
    j["gain"] = Json::array();
    for (const auto& g : importance->gain) j["gain"].push_back({{"feature", g.feature}, {"gain", g.gain}, {"share", g.share}});
    j["permutation"] = Json::array();
    for (const auto& p : importance->permutation) {
        Json levels = Json::object();
        for (const auto& [level, d] : p.per_level) levels[level] = d;
        j["permutation"].push_back({{"feature", p.feature}, {"qini_auc_drop", finite(p.qini_auc_drop)}, {"per_level", levels}});
    }
    return j;
}

FeatureImportance importance_from(const Reader& r) {
    FeatureImportance out;
    for (const auto& item : r.at("gain")) {
        const Reader g(item, r.source() + ": gain");
        out.gain.push_back({g.get<std::string>("feature"), g.number_or_nan("gain"), g.number_or_nan("share")});
    }
    for (const auto& item : r.at("permutation")) {
        const Reader p(item, r.source() + ": permutation");
        PermutationImportance pi;
        pi.feature = p.get<std::string>("feature");
        pi.qini_auc_drop = p.number_or_nan("qini_auc_drop");
        const Reader levels = p.object("per_level");
        for (const auto& [level, d] : p.at("per_level").items()) pi.per_level[level] = levels.number_or_nan(level.c_str());
        out.permutation.push_back(std::move(pi));
    }
    return out;
}

Json randomisation_json(const std::optional<std::vector<RandomisationCheck>>& checks) {
    if (!checks) return nullptr;
    Json j = Json::object();
    for (const auto& c : *checks) {
        j[c.level] = {{"auc", c.auc}, {"auc_se", c.auc_se}, {"n_eval", c.n_eval}, {"flagged", c.flagged}};
    }
    return j;
}

std::vector<RandomisationCheck> randomisation_from(const Reader& r) {
    std::vector<RandomisationCheck> out;
    for (const auto& [level, item] : r.at("randomisation_check").items()) {
        const Reader c(item, r.source() + ": randomisation_check: " + level);
        out.push_back({level, c.number_or_nan("auc"), c.number_or_nan("auc_se"), c.get<std::int64_t>("n_eval"),
                       c.get<bool>("flagged")});
    }
    return out;
}

Json propensity_json(const PropensityRecord& p) {
    Json j;
    j["source"] = p.source;
    if (p.source == "column") j["column"] = p.column;
    j["clip"] = p.clip;
    j["share"] = p.share;
    if (p.source == "model") {
        j["logistic"] = Json::array();
        for (const auto& m : p.logistic) {
            j["logistic"].push_back({{"intercept", m.intercept}, {"coef", m.coef}, {"mean", m.mean}, {"scale", m.scale}});
        }
    }
    return j;
}

PropensityRecord propensity_from(const Reader& r) {
    PropensityRecord p;
    p.source = r.get<std::string>("source");
    p.column = r.get_or<std::string>("column", "");
    p.clip = r.get<double>("clip");
    p.share = r.get<std::vector<double>>("share");
    if (p.source == "model") {
        for (const auto& item : r.at("logistic")) {
            const Reader m(item, r.source() + ": logistic");
            LogisticModel l;
            l.intercept = m.get<double>("intercept");
            l.coef = m.get<std::vector<double>>("coef");
            l.mean = m.get<std::vector<double>>("mean");
            l.scale = m.get<std::vector<double>>("scale");
            if (l.coef.size() != l.mean.size() || l.coef.size() != l.scale.size()) {
                m.fail("coef", "coefficient lists differ in length");
            }
            p.logistic.push_back(std::move(l));
        }
        if (p.logistic.size() != p.share.size()) r.fail("logistic", "one logistic model per level expected");
    }
    return p;
}

ModelManifest manifest_from(const Reader& r) {
    ModelManifest m;
    m.format_version = r.get<int>("format_version");
    if (m.format_version != model_manifest_format_version) {
        throw ModelError(fmt::format("'{}' has format version {}; this upliftctl reads version {} (retrain the "
                                     "model or use the matching upliftctl)",
                                     r.source(), m.format_version, model_manifest_format_version));
    }
    m.tool = r.get<std::string>("tool");
    m.tool_version = r.get<std::string>("tool_version");
    m.learner = r.get<std::string>("learner");
    m.roles = roles_from_json(r.at("roles").dump(), r.source() + ": roles");
    m.features = r.get<std::vector<std::string>>("features");
    m.feature_types = r.get_or<std::map<std::string, std::string>>("feature_types", {});
    m.treatment_levels = r.get<std::vector<std::string>>("treatment_levels");
    if (!r.is_null("encoding")) m.encoding = feature_spec_from_json(r.at("encoding").dump(), r.source() + ": encoding");
    m.parameters = r.get<std::map<std::string, std::string>>("parameters");
    m.seed = r.get<std::uint64_t>("seed");
    m.training_data_fingerprint = r.get<std::string>("training_data_fingerprint");
    if (!r.has("holdout_metrics")) r.fail("holdout_metrics", "the key is missing");
    if (!r.is_null("holdout_metrics")) m.holdout_metrics = holdout_from(r);
    if (!r.is_null("cross_validation")) m.cross_validation = cv_from(r);
    if (r.has("auto_search")) m.auto_search = auto_search_from(r.object("auto_search"));
    if (!r.is_null("feature_importance")) m.feature_importance = importance_from(r.object("feature_importance"));
    if (!r.is_null("randomisation_check")) m.randomisation_check = randomisation_from(r);
    if (r.has("leakage")) {
        for (const auto& item : r.at("leakage")) {
            const Reader w(item, r.source() + ": leakage");
            m.leakage.push_back({w.get<std::string>("feature"), w.get<double>("gain_share"), w.get<std::string>("reason"),
                                 w.get<bool>("allowed"), w.number("outcome_auc")});
        }
    }
    if (!r.is_null("drift_reference")) m.drift_reference = drift_reference_from(r.object("drift_reference"));
    if (!r.is_null("fitted_rows")) {
        const Reader f(r.at("fitted_rows"), r.source() + ": fitted_rows");
        m.fitted_rows = FittedRowsEntry{f.get<std::string>("file"), f.get<std::string>("fingerprint"),
                                        f.get<std::int64_t>("rows"), f.get<std::int64_t>("kept"),
                                        f.get<std::uint64_t>("sample_one_in"), f.get<bool>("with_id")};
    }
    if (!r.is_null("gender_imputation")) {
        m.gender_imputation = gender_imputation_from_json(r.at("gender_imputation").dump(), r.source());
    }
    m.propensity = propensity_from(r.object("propensity"));
    for (const auto& item : r.at("base_models")) {
        const Reader b(item, r.source() + ": base_models");
        m.base_models.push_back({b.get<std::string>("name"), b.get<std::string>("file"), b.get<std::string>("fingerprint"),
                                 b.get_or<int>("rounds", 0)});
    }
    return m;
}

}  // namespace

std::optional<double> uplift_at(const Evaluation& e, double k) {
    for (const auto& entry : e.uplift_at_k) {
        if (entry.k == k) return entry.value.overall;
    }
    return std::nullopt;
}

void set_metrics(ArmMetrics& m, const Evaluation& e) {
    for (const auto& f : arm_metric_fields) m.*f.member = f.from(e);
}

std::string to_json(const ModelManifest& m) {
    Json j;
    j["format_version"] = m.format_version;
    j["tool"] = m.tool;
    j["tool_version"] = m.tool_version;
    j["learner"] = m.learner;
    j["roles"] = Json::parse(to_json(m.roles));
    j["features"] = m.features;
    j["feature_types"] = m.feature_types;
    j["treatment_levels"] = m.treatment_levels;
    j["encoding"] = m.encoding ? Json::parse(to_json(*m.encoding)) : Json();
    j["parameters"] = m.parameters;
    j["seed"] = m.seed;
    j["training_data_fingerprint"] = m.training_data_fingerprint;
    j["holdout_metrics"] = holdout_json(m.holdout_metrics);
    j["cross_validation"] = cv_json(m.cross_validation);
    if (m.auto_search) j["auto_search"] = auto_search_json(*m.auto_search);
    j["feature_importance"] = importance_json(m.feature_importance);
    j["randomisation_check"] = randomisation_json(m.randomisation_check);
    if (!m.leakage.empty()) {
        j["leakage"] = Json::array();
        for (const auto& w : m.leakage) {
            j["leakage"].push_back(
                {{"feature", w.feature}, {"gain_share", w.gain_share}, {"reason", w.reason}, {"allowed", w.allowed}});
            if (w.outcome_auc) j["leakage"].back()["outcome_auc"] = *w.outcome_auc;
        }
    }
    if (m.drift_reference) j["drift_reference"] = to_json_value(*m.drift_reference);
    if (m.fitted_rows) {
        const auto& f = *m.fitted_rows;
        j["fitted_rows"] = {{"file", f.file},   {"fingerprint", f.fingerprint},     {"rows", f.rows},
                            {"kept", f.kept},   {"sample_one_in", f.sample_one_in}, {"with_id", f.with_id}};
    }
    if (m.gender_imputation) j["gender_imputation"] = Json::parse(to_json(*m.gender_imputation));
    j["propensity"] = propensity_json(m.propensity);
    j["base_models"] = Json::array();
    for (const auto& b : m.base_models) {
        j["base_models"].push_back({{"name", b.name}, {"file", b.file}, {"fingerprint", b.fingerprint}, {"rounds", b.rounds}});
    }
    return j.dump(2) + "\n";
}

ModelManifest model_manifest_from_json(std::string_view text, const std::string& source) {
    try {
        const auto j = json_fields::parse(text, source);
        return manifest_from(Reader(j, source));
    } catch (const DataError& e) {
        // A model folder that cannot be read is a model problem (exit 5), whatever part of it is broken.
        throw ModelError(e.what());
    }
}

}  // namespace uplift::artifacts
