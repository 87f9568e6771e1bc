#include "uplift/model/propensity.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::model {

std::string to_string(PropensitySource source) {
    switch (source) {
    case PropensitySource::Share: return "share";
    case PropensitySource::Model: return "model";
    case PropensitySource::Column: return "column";
    }
    return "share";
}

PropensitySource propensity_source_from_string(const std::string& text) {
    if (text == "share") return PropensitySource::Share;
    if (text == "model") return PropensitySource::Model;
    if (text == "column") return PropensitySource::Column;
    throw UsageError(fmt::format("propensity source '{}' is unknown; use share, model or a column", text));
}

double predict_logistic(const LogisticModel& m, std::span<const float> row) {
    double z = m.intercept;
    for (std::size_t j = 0; j < m.coef.size(); ++j) {
        const double v = std::isnan(row[j]) ? 0.0 : (row[j] - m.mean[j]) / m.scale[j];
        z += m.coef[j] * v;
    }
    return 1.0 / (1.0 + std::exp(-z));
}

LogisticModel fit_logistic(const DenseMatrix& x, std::span<const std::size_t> rows, std::span<const double> label,
                           double l2) {
    const std::size_t n = rows.size(), p = x.cols;
    LogisticModel m;
    m.mean.assign(p, 0.0);
    m.scale.assign(p, 1.0);
    m.coef.assign(p, 0.0);
    if (n == 0) throw DataError("a propensity model needs rows");
    // Standardise so one penalty fits every feature; a constant column keeps scale 1 and weight 0.
    for (std::size_t j = 0; j < p; ++j) {
        double sum = 0, sq = 0;
        std::size_t seen = 0;
        for (std::size_t r : rows) {
            const float v = x.values[r * p + j];
            if (std::isnan(v)) continue;
            sum += v;
            sq += static_cast<double>(v) * v;
            ++seen;
        }
        if (seen == 0) continue;
        m.mean[j] = sum / static_cast<double>(seen);
        const double var = sq / static_cast<double>(seen) - m.mean[j] * m.mean[j];
        if (var > 1e-12) m.scale[j] = std::sqrt(var);
    }
    Eigen::MatrixXd z(n, p + 1);
    Eigen::VectorXd y(n);
    for (std::size_t i = 0; i < n; ++i) {
        z(static_cast<Eigen::Index>(i), 0) = 1.0;
        for (std::size_t j = 0; j < p; ++j) {
            const float v = x.values[rows[i] * p + j];
            z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j + 1)) = std::isnan(v) ? 0.0 : (v - m.mean[j]) / m.scale[j];
        }
        y(static_cast<Eigen::Index>(i)) = label[i];
    }
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p + 1));
    const double share = std::clamp(y.mean(), 1e-6, 1 - 1e-6);
    beta(0) = std::log(share / (1 - share));
    Eigen::MatrixXd penalty = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(p + 1), static_cast<Eigen::Index>(p + 1)) * l2;
    penalty(0, 0) = 0.0;  // the intercept is not shrunk
    for (int iter = 0; iter < 50; ++iter) {
        const Eigen::VectorXd mu = (1.0 / (1.0 + (-(z * beta).array()).exp())).matrix();
        const Eigen::VectorXd w = (mu.array() * (1.0 - mu.array())).max(1e-10).matrix();
        const Eigen::VectorXd gradient = z.transpose() * (y - mu) - penalty * beta;
        const Eigen::MatrixXd hessian = z.transpose() * w.asDiagonal() * z + penalty;
        const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
        if (!step.allFinite()) throw DataError("the propensity model did not converge (a feature separates the arms?)");
        beta += step;
        if (step.cwiseAbs().maxCoeff() < 1e-8) break;
    }
    m.intercept = beta(0);
    for (std::size_t j = 0; j < p; ++j) m.coef[j] = beta(static_cast<Eigen::Index>(j + 1));
    return m;
}

namespace {

std::vector<double> level_shares(std::span<const int> arm, int n_treated) {
    std::vector<double> count(static_cast<std::size_t>(n_treated) + 1, 0.0);
    for (int a : arm) count.at(static_cast<std::size_t>(a)) += 1;
    std::vector<double> share;
    for (int k = 1; k <= n_treated; ++k) {
        const double total = count[0] + count[static_cast<std::size_t>(k)];
        share.push_back(total > 0 ? count[static_cast<std::size_t>(k)] / total : 0.5);
    }
    return share;
}

}  // namespace

Propensity Propensity::shares(std::span<const int> arm, int n_treated) {
    Propensity p;
    p.share_ = level_shares(arm, n_treated);
    return p;
}

Propensity Propensity::fit_model(const DenseMatrix& x, std::span<const int> arm, int n_treated, double l2) {
    Propensity p = shares(arm, n_treated);
    p.source_ = PropensitySource::Model;
    for (int k = 1; k <= n_treated; ++k) {
        std::vector<std::size_t> rows;
        std::vector<double> label;
        for (std::size_t i = 0; i < arm.size(); ++i) {
            if (arm[i] != 0 && arm[i] != k) continue;
            rows.push_back(i);
            label.push_back(arm[i] == k ? 1.0 : 0.0);
        }
        p.logistic_.push_back(fit_logistic(x, rows, label, l2));
    }
    return p;
}

Propensity Propensity::from_column(const std::string& column, std::span<const int> arm, int n_treated) {
    if (n_treated != 1) {
        throw UsageError(fmt::format("--propensity-col gives one probability per row, but {} treated levels are selected; "
                                     "train one level at a time with --treatment-level",
                                     n_treated));
    }
    Propensity p = shares(arm, n_treated);
    p.source_ = PropensitySource::Column;
    p.column_ = column;
    return p;
}

std::vector<double> Propensity::predict(const DenseMatrix& x, int level, std::span<const double> column_values) const {
    if (level < 1 || level > static_cast<int>(share_.size())) throw InternalError("propensity: level out of range");
    std::vector<double> e(x.rows, share(level));
    if (source_ == PropensitySource::Model) {
        const auto& m = logistic_.at(static_cast<std::size_t>(level - 1));
        if (m.coef.size() != x.cols) {
            throw ModelError(fmt::format("the propensity model takes {} features, the input has {}", m.coef.size(), x.cols));
        }
        for (std::size_t i = 0; i < x.rows; ++i) e[i] = predict_logistic(m, std::span<const float>(x.values.data() + i * x.cols, x.cols));
    } else if (source_ == PropensitySource::Column && !column_values.empty()) {
        if (column_values.size() != x.rows) throw InternalError("propensity column has the wrong length");
        std::copy(column_values.begin(), column_values.end(), e.begin());
    }
    for (double& v : e) v = std::clamp(v, clip_, 1.0 - clip_);
    return e;
}

artifacts::PropensityRecord Propensity::record() const {
    return {to_string(source_), source_ == PropensitySource::Column ? column_ : std::string(), clip_, share_,
            source_ == PropensitySource::Model ? logistic_ : std::vector<LogisticModel>{}};
}

Propensity Propensity::from_record(const artifacts::PropensityRecord& record) {
    Propensity p;
    p.source_ = propensity_source_from_string(record.source);
    p.column_ = record.column;
    p.clip_ = record.clip;
    p.share_ = record.share;
    if (p.source_ == PropensitySource::Model) p.logistic_ = record.logistic;
    return p;
}

}  // namespace uplift::model
