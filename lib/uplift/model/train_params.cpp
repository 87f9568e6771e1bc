#include "uplift/model/train_params.hpp"

#include "uplift/model/train.hpp"

namespace uplift::model {

namespace {

bool is_forest(const TrainOptions& o) { return o.learner == LearnerKind::Forest; }
bool boosted(const TrainOptions& o) { return o.learner != LearnerKind::Forest; }
bool searched(const TrainOptions& o) { return o.auto_learner; }

}  // namespace

const ParamTable<TrainOptions>& train_param_table() {
    namespace p = train_params;
    using Table = ParamTable<TrainOptions>;
    // Declaration order is the order of the checks and of the docs table. The record is a std::map, so
    // its order in model.json does not depend on this one.
    static const Table table{
        Table::TextField{&p::learner, [](const TrainOptions& o) { return to_string(o.learner); }, &Table::never},
        Table::TextField{&p::search, [](const TrainOptions& o) { return o.search; }, &searched},
        Table::TextField{&p::select, [](const TrainOptions& o) { return to_string(o.select); }, &searched},
        Table::Field<double>{&p::time_budget, [](const TrainOptions& o) { return o.time_budget; }, &searched},
        Table::Field<int>{&p::cv_repeats, [](const TrainOptions& o) { return o.cv_repeats; }, &searched},
        Table::TextField{&p::propensity, [](const TrainOptions& o) { return to_string(o.propensity); }, nullptr},
        Table::TextField{&p::propensity_column, [](const TrainOptions& o) { return o.propensity_column; },
                         [](const TrainOptions& o) { return o.propensity == PropensitySource::Column; }},
        Table::TextField{&p::outcome_type,
                         [](const TrainOptions& o) { return o.outcome_type ? data::to_string(*o.outcome_type) : std::string(); },
                         [](const TrainOptions& o) { return o.outcome_type.has_value(); }},
        Table::Field<int>{&p::dr_folds, [](const TrainOptions& o) { return o.dr_folds; },
                          [](const TrainOptions& o) { return o.learner == LearnerKind::DR; }},
        Table::Field<int>{&p::permutation_repeats, [](const TrainOptions& o) { return o.permutation_repeats; }, nullptr},
        Table::Field<double>{&p::holdout, [](const TrainOptions& o) { return o.holdout; }, nullptr},
        Table::Field<int>{&p::cv, [](const TrainOptions& o) { return o.cv; }, nullptr},
        Table::Field<int>{&p::oof_folds, [](const TrainOptions& o) { return o.oof_folds; }, nullptr},
        Table::Field<int>{&p::num_rounds, [](const TrainOptions& o) { return o.gbm.num_rounds; }, &boosted},
        Table::Field<double>{&p::learning_rate, [](const TrainOptions& o) { return o.gbm.learning_rate; }, &boosted},
        Table::Field<int>{&p::max_depth, [](const TrainOptions& o) { return o.gbm.max_depth; }, nullptr},
        Table::Field<int>{&p::early_stopping_rounds, [](const TrainOptions& o) { return o.gbm.early_stopping_rounds; },
                          &boosted},
        Table::Field<int>{&p::trees, [](const TrainOptions& o) { return o.forest.trees; }, &is_forest},
        Table::TextField{&p::criterion, [](const TrainOptions& o) { return forest::to_string(o.forest.criterion); },
                         &is_forest},
        Table::Field<int>{&p::min_samples_leaf, [](const TrainOptions& o) { return o.forest.min_samples_leaf; },
                          &is_forest},
        Table::Field<int>{&p::min_samples_treatment, [](const TrainOptions& o) { return o.forest.min_samples_treatment; },
                          &is_forest},
        Table::Field<double>{&p::n_reg, [](const TrainOptions& o) { return o.forest.n_reg; }, &is_forest},
        Table::Field<double>{&p::row_subsample, [](const TrainOptions& o) { return o.forest.row_subsample; }, &is_forest},
        Table::Field<double>{&p::feature_fraction, [](const TrainOptions& o) { return o.forest.feature_fraction; },
                             &is_forest},
        Table::TextField{&p::honest, [](const TrainOptions& o) { return std::string(o.forest.honest ? "on" : "off"); },
                         &is_forest},
        Table::Field<double>{&p::validation_fraction, [](const TrainOptions& o) { return o.validation_fraction; },
                             &boosted},
    };
    return table;
}

}  // namespace uplift::model
