#include "uplift/optimize/optimize_params.hpp"

#include "uplift/optimize/optimize.hpp"

namespace uplift::optimize {

const ParamTable<OptimizeOptions>& optimize_param_table() {
    namespace p = optimize_params;
    using Table = ParamTable<OptimizeOptions>;
    static const Table table{
        Table::Field<int>{&p::random_repeats, [](const OptimizeOptions& o) { return o.random_repeats; }, nullptr},
        Table::Field<double>{&p::control_share, [](const OptimizeOptions& o) { return o.control_share; }, nullptr},
    };
    return table;
}

}  // namespace uplift::optimize
