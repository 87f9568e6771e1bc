#include "uplift/model/learner.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/model/learner_parts.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

std::string to_string(LearnerKind kind) {
    switch (kind) {
    case LearnerKind::S: return "s";
    case LearnerKind::T: return "t";
    case LearnerKind::X: return "x";
    case LearnerKind::DR: return "dr";
    case LearnerKind::CT: return "ct";
    case LearnerKind::Forest: return "forest";
    }
    return "t";
}

LearnerKind learner_from_string(const std::string& text) {
    if (text == "s") return LearnerKind::S;
    if (text == "t") return LearnerKind::T;
    if (text == "x") return LearnerKind::X;
    if (text == "dr") return LearnerKind::DR;
    if (text == "ct") return LearnerKind::CT;
    if (text == "forest") return LearnerKind::Forest;
    throw UsageError(fmt::format("learner '{}' is unknown; use s, t, x, dr, ct or forest", text));
}

std::vector<std::string> expected_model_names(LearnerKind kind, int n_treated) {
    std::vector<std::string> names;
    const auto each_level = [&](const char* prefix) {
        for (int k = 1; k <= n_treated; ++k) names.push_back(fmt::format("{}_{}", prefix, k));
    };
    switch (kind) {
    case LearnerKind::S: names.push_back("outcome_all"); break;
    case LearnerKind::T:
        for (int a = 0; a <= n_treated; ++a) names.push_back(detail::outcome_name(a));
        break;
    case LearnerKind::X:
        names.push_back(detail::outcome_name(0));
        each_level("tau_control");
        each_level("tau_treated");
        break;
    case LearnerKind::DR:
        names.push_back(detail::outcome_name(0));
        each_level("tau");
        break;
    case LearnerKind::CT:
        names.push_back(detail::outcome_name(0));
        each_level("ct");
        break;
    case LearnerKind::Forest: names.push_back("forest"); break;
    }
    return names;
}

int base_model_inputs(LearnerKind kind, int n_features, int n_treated) {
    return kind == LearnerKind::S ? n_features + n_treated : n_features;
}

namespace detail {

void check_learner_data(const LearnerData& data) {
    if (data.x.rows != data.y.size() || data.y.size() != data.arm.size()) {
        throw InternalError("learner: rows, outcomes and arms differ in length");
    }
    for (int a = 0; a <= data.n_treated; ++a) {
        const auto n = std::count(data.arm.begin(), data.arm.end(), a);
        if (n < 10) {
            throw DataError(fmt::format("arm {} has {} training rows; a model needs at least 10",
                                        a == 0 ? std::string("control") : fmt::format("#{}", a), n));
        }
    }
}

}  // namespace detail

std::vector<NamedGbm> fit_learner(LearnerKind kind, const LearnerData& data, const Propensity& propensity,
                                  const LearnerOptions& options) {
    detail::check_learner_data(data);
    switch (kind) {
    case LearnerKind::S: return detail::fit_s(data, options);
    case LearnerKind::T: return detail::fit_t(data, options);
    case LearnerKind::X: return detail::fit_x(data, options);
    case LearnerKind::DR: return detail::fit_dr(data, propensity, options);
    case LearnerKind::CT: return detail::fit_ct(data, propensity, options);
    case LearnerKind::Forest: break;
    }
    throw InternalError(fmt::format("learner {} has no XGBoost base models", to_string(kind)));
}

ArmPredictions predict_learner(LearnerKind kind, const std::vector<NamedGbm>& models, int n_treated, bool binary,
                               const Propensity& propensity, const DenseMatrix& x,
                               std::span<const double> propensity_column) {
    switch (kind) {
    case LearnerKind::S: return detail::predict_s(models, n_treated, x);
    case LearnerKind::T: return detail::predict_t(models, n_treated, x);
    case LearnerKind::X: return detail::predict_x(models, n_treated, binary, propensity, x, propensity_column);
    case LearnerKind::DR: return detail::predict_dr(models, n_treated, binary, x);
    case LearnerKind::CT: return detail::predict_ct(models, n_treated, x);
    case LearnerKind::Forest: break;
    }
    throw InternalError(fmt::format("learner {} has no XGBoost base models", to_string(kind)));
}

namespace detail {

std::string outcome_name(int arm) { return arm == 0 ? std::string("outcome_control") : fmt::format("outcome_{}", arm); }

std::vector<std::size_t> rows_in_arms(std::span<const int> arm, int a, int b) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < arm.size(); ++i) {
        if (arm[i] == a || (b >= 0 && arm[i] == b)) rows.push_back(i);
    }
    return rows;
}

std::vector<double> pick(std::span<const double> v, std::span<const std::size_t> rows) {
    std::vector<double> out;
    out.reserve(rows.size());
    for (std::size_t r : rows) out.push_back(v[r]);
    return out;
}

std::vector<int> strata_of(const LearnerData& d, std::span<const std::size_t> rows) {
    std::vector<int> arm;
    arm.reserve(rows.size());
    for (std::size_t r : rows) arm.push_back(d.arm[r]);
    return uplift_strata(arm, pick(d.y, rows));
}

Gbm fit_outcome(const LearnerData& d, std::span<const std::size_t> rows, const LearnerOptions& o, std::uint64_t seed_offset) {
    GbmParams params = o.gbm;
    params.objective = d.binary ? Objective::Binary : Objective::Regression;
    params.seed = o.gbm.seed + seed_offset;
    return fit_base_model(d.x, rows, pick(d.y, rows), {}, strata_of(d, rows), params, o.validation_fraction);
}

Gbm fit_effect(const LearnerData& d, std::span<const std::size_t> rows, std::span<const double> target,
               const LearnerOptions& o, std::uint64_t seed_offset) {
    GbmParams params = o.gbm;
    params.objective = Objective::Regression;
    params.seed = o.gbm.seed + seed_offset;
    return fit_base_model(d.x, rows, target, {}, strata_of(d, rows), params, o.validation_fraction);
}

ArmPredictions from_outcomes(std::vector<double> control, std::vector<std::vector<double>> treated) {
    ArmPredictions p;
    for (const auto& t : treated) {
        std::vector<double> u(control.size());
        for (std::size_t i = 0; i < u.size(); ++i) u[i] = t[i] - control[i];
        p.uplift.push_back(std::move(u));
    }
    p.control = std::move(control);
    p.treated = std::move(treated);
    return p;
}

ArmPredictions from_uplift(std::vector<double> control, std::vector<std::vector<double>> uplift, bool binary) {
    ArmPredictions p;
    for (const auto& u : uplift) {
        std::vector<double> t(control.size());
        for (std::size_t i = 0; i < t.size(); ++i) {
            t[i] = control[i] + u[i];
            if (binary) t[i] = std::clamp(t[i], 0.0, 1.0);
        }
        p.treated.push_back(std::move(t));
    }
    p.control = std::move(control);
    p.uplift = std::move(uplift);
    return p;
}

}  // namespace detail

}  // namespace uplift::model
