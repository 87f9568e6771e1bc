#include "uplift/model/base_fit.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

Gbm fit_base_model(const DenseMatrix& x, std::span<const std::size_t> rows, std::span<const double> target,
                   std::span<const double> weight, std::span<const int> strata, const GbmParams& params,
                   double validation_fraction) {
    if (rows.size() != target.size() || rows.size() != strata.size() || (!weight.empty() && weight.size() != rows.size())) {
        throw InternalError("fit_base_model: rows, targets, weights and strata differ in length");
    }
    // Early stopping off means off: no rows are held back to track a validation score, every row is
    // fitted on and every round is kept (a validation set would also cut the model back to its best round).
    const double held_back = params.early_stopping_rounds == 0 ? 0.0 : validation_fraction;
    const auto inner = stratified_split(strata, held_back, params.seed);
    // The fitted rows are named, not copied (Gbm::train bins them straight from `x`); the validation rows,
    // a small share, are gathered as XGBoost predicts on them each round.
    const auto pick = [&](const std::vector<std::size_t>& part, std::vector<std::size_t>& global,
                          std::vector<float>& labels, std::vector<float>& weights) {
        global.reserve(part.size());
        labels.reserve(part.size());
        for (std::size_t p : part) {
            global.push_back(rows[p]);
            labels.push_back(static_cast<float>(target[p]));
            if (!weight.empty()) weights.push_back(static_cast<float>(weight[p]));
        }
    };
    std::vector<std::size_t> train_rows, valid_rows;
    std::vector<float> train_y, train_w, valid_y, valid_w;
    pick(inner.train, train_rows, train_y, train_w);
    pick(inner.holdout, valid_rows, valid_y, valid_w);
    const DenseMatrix valid_x = take_rows(x, valid_rows);
    return Gbm::train(MatrixRows{.x = x, .rows = train_rows, .all = false}, train_y, train_w,
                      inner.holdout.empty() ? nullptr : &valid_x, valid_y, params);
}

const Gbm& find_model(const std::vector<NamedGbm>& models, const std::string& name) {
    for (const auto& m : models) {
        if (m.name == name) return m.model;
    }
    throw ModelError(fmt::format("the model bundle has no base model '{}'", name));
}

}  // namespace uplift::model
