#pragma once
/// Propensity: the probability that a client in control ∪ level k received level k. The X-learner
/// weighs its two effect models by it; the DR-learner divides residuals by it. Three sources:
///   share  – the observed treated share of the training rows (right for randomised tests),
///   model  – an L2-regularised logistic regression on the features (Eigen, Newton steps),
///   column – a probability column of the data (one treated level only).
/// Predictions are clipped to [clip, 1 − clip] so inverse weights stay bounded.

#include <span>
#include <string>
#include <vector>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

enum class PropensitySource { Share, Model, Column };

std::string to_string(PropensitySource source);
/// "share", "model" or "column"; UsageError otherwise.
PropensitySource propensity_source_from_string(const std::string& text);

/// A logistic regression on standardised features (missing values take the mean); recorded in model.json.
using artifacts::LogisticModel;
/// The probability of one row of standardisable features.
double predict_logistic(const LogisticModel& model, std::span<const float> row);

class Propensity {
public:
    static constexpr double default_clip = 0.01;

    /// Shares of level k among control ∪ k rows (`arm` 0 = control, k = level k).
    static Propensity shares(std::span<const int> arm, int n_treated);
    /// One logistic regression per treated level, fitted on the control ∪ k rows.
    static Propensity fit_model(const DenseMatrix& x, std::span<const int> arm, int n_treated, double l2 = 1.0);
    /// Probabilities from a data column; shares are kept as the fallback when scoring data lacks it.
    static Propensity from_column(const std::string& column, std::span<const int> arm, int n_treated);

    PropensitySource source() const noexcept { return source_; }
    const std::string& column() const noexcept { return column_; }
    double share(int level) const { return share_.at(static_cast<std::size_t>(level - 1)); }

    /// e_k for every row of `x` (k = 1..n_treated). `column_values` (one per row) is needed for the column
    /// source; empty there falls back to the training share.
    std::vector<double> predict(const DenseMatrix& x, int level, std::span<const double> column_values) const;

    /// What model.json records (artifacts/model_manifest.hpp), and back; from_record throws UsageError for an
    /// unknown source.
    artifacts::PropensityRecord record() const;
    static Propensity from_record(const artifacts::PropensityRecord& record);

private:
    PropensitySource source_ = PropensitySource::Share;
    std::string column_;
    std::vector<double> share_;           ///< per treated level
    std::vector<LogisticModel> logistic_; ///< per treated level, source Model only
    double clip_ = default_clip;
};

/// Fits an L2-regularised logistic regression of `label` (0/1) on rows `rows` of `x` by Newton's method.
LogisticModel fit_logistic(const DenseMatrix& x, std::span<const std::size_t> rows, std::span<const double> label,
                           double l2);

}  // namespace uplift::model
