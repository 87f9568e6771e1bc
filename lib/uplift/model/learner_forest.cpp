// The forest learner: one uplift forest (model/forest/) estimates every arm's expected outcome at once.

#include "uplift/core/log.hpp"
#include "uplift/model/learner_parts.hpp"

namespace uplift::model {

forest::Forest fit_forest_learner(const LearnerData& data, const LearnerOptions& options) {
    detail::check_learner_data(data);
    auto f = forest::fit_forest(data.x, data.y, data.arm, data.n_treated + 1, options.forest);
    std::size_t nodes = 0;
    for (const auto& t : f.trees) nodes += t.nodes();
    log::info("forest: {} rows, {} trees, {} nodes", data.x.rows, f.trees.size(), nodes);
    return f;
}

ArmPredictions predict_forest_learner(const forest::Forest& f, const DenseMatrix& x, int threads) {
    auto arms = forest::predict_arms(f, x, threads);
    std::vector<std::vector<double>> treated(std::make_move_iterator(arms.begin() + 1), std::make_move_iterator(arms.end()));
    return detail::from_outcomes(std::move(arms[0]), std::move(treated));
}

}  // namespace uplift::model
