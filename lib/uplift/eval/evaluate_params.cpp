#include "uplift/eval/evaluate_params.hpp"

#include "uplift/eval/evaluation.hpp"

namespace uplift::eval {

const ParamTable<EvaluationOptions>& evaluate_param_table() {
    namespace p = evaluate_params;
    using Table = ParamTable<EvaluationOptions>;
    static const Table table{
        Table::Field<int>{&p::bins, [](const EvaluationOptions& o) { return o.bins; }, nullptr},
        Table::Field<int>{&p::bootstrap, [](const EvaluationOptions& o) { return o.bootstrap; }, nullptr},
    };
    return table;
}

}  // namespace uplift::eval
