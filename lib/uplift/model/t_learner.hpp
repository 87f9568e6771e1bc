#pragma once
/// The T-learner: one outcome model per arm (control and each treated level), uplift as the difference
/// of their predictions. Simple and strong when arms are large, as in randomised e-mail tests.

#include <span>
#include <vector>

#include "uplift/model/gbm.hpp"

namespace uplift::model {

/// Per-row predictions of an uplift model for every arm.
struct ArmPredictions {
    std::vector<double> control;                ///< expected outcome without an offer
    std::vector<std::vector<double>> treated;   ///< per treated level: expected outcome with it
    std::vector<std::vector<double>> uplift;    ///< per treated level: treated − control
};

/// Predictions of per-arm outcome models (control first): expected outcomes and their differences.
ArmPredictions predict_arms(const std::vector<Gbm>& models, const DenseMatrix& x);

struct LearnerOptions {
    GbmParams gbm;
    double validation_fraction = 0.1;  ///< of each arm's training rows, held back for early stopping
};

class TLearner {
public:
    /// `arm[i]` is 0 for control rows and k for rows of treated level k (1..n_treated).
    static TLearner fit(const DenseMatrix& x, std::span<const double> y, std::span<const int> arm, int n_treated,
                        const LearnerOptions& options);
    /// Rebuilds a learner from saved base models (control first).
    static TLearner from_models(std::vector<Gbm> models);

    ArmPredictions predict(const DenseMatrix& x) const;
    /// Control first, then one per treated level.
    const std::vector<Gbm>& models() const noexcept { return models_; }
    std::vector<Gbm> take_models() && { return std::move(models_); }

private:
    explicit TLearner(std::vector<Gbm> models) : models_(std::move(models)) {}
    std::vector<Gbm> models_;
};

}  // namespace uplift::model
