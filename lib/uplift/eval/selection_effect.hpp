#pragma once
/// What contacting a chosen set of clients brings, measured on the randomised test those clients took part in:
/// the sum of their individual effects, Σ τ_i, estimated without trusting the model.
///
/// The estimator is augmented inverse-propensity weighting (AIPW) with the model's own predictions as the
/// augmentation. Per client i of the chosen set, for the offer k it is given:
///   ψ_i = (m_k(x_i) − m_0(x_i)) + 1[arm_i = k]·(y_i − m_k(x_i)) / e_k − 1[arm_i = 0]·(y_i − m_0(x_i)) / e_0,
/// where e_k and e_0 are the shares of the test's rows in arm k and in control. Since the arms were assigned
/// at random with those shares, E[ψ_i] = τ_i whatever the predictions m are, as long as they were not fitted
/// on client i's own outcome (out-of-fold or holdout scores; in-sample scores make the residuals too small).
/// The predictions only lower the variance. Σ ψ_i estimates Σ τ_i; its variance is estimated as n·var(ψ),
/// and the range is the normal one at the given level.
///
/// The model's own forecast Σ (m_k − m_0) over the same clients is given beside it: on clients chosen for
/// their high predicted uplift it is optimistic (chosen on noise), which is why it is not the estimate.

#include <cstdint>
#include <span>

#include "uplift/eval/bootstrap.hpp"

namespace uplift::eval {

struct SelectionRow {
    double y = 0;         ///< the outcome observed in the test
    int arm = -1;         ///< 0 control, k ≥ 1 the k-th treated level, -1 not in the test's arms
    int offer = 1;        ///< the treated level k the client is chosen for
    double m_control = 0; ///< predicted outcome without an offer
    double m_offer = 0;   ///< predicted outcome with offer `offer`
    double weight = 1;    ///< value of one unit of outcome for this client (1 for counts; a basket for money)
};

struct SelectionEffect {
    std::int64_t clients = 0;  ///< chosen clients measured (every row given)
    std::int64_t treated = 0;  ///< of them, in the arm of the offer they are chosen for
    std::int64_t control = 0;  ///< of them, in control
    double estimate = 0;       ///< Σ weight·ψ
    double std_error = 0;
    ConfidenceInterval range;  ///< estimate ± z·std_error
    double model_forecast = 0; ///< Σ weight·(m_offer − m_control)
};

/// `arm_shares[k]` is the share of the test's rows in arm k (index 0 = control), each in (0, 1).
/// Throws DataError when an offer's arm or control has no share.
SelectionEffect selection_effect(std::span<const SelectionRow> rows, std::span<const double> arm_shares,
                                 double level = 0.95);

}  // namespace uplift::eval
