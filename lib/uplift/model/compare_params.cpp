#include "uplift/model/compare_params.hpp"

#include "uplift/model/compare.hpp"

namespace uplift::model {

const ParamTable<CompareOptions>& compare_param_table() {
    namespace p = compare_params;
    using Table = ParamTable<CompareOptions>;
    static const Table table{
        Table::Field<double>{&p::margin, [](const CompareOptions& o) { return o.margin; }, nullptr},
        Table::Field<int>{&p::bootstrap, [](const CompareOptions& o) { return o.bootstrap; }, nullptr},
        Table::TextField{&p::metric, [](const CompareOptions& o) { return o.metric; }, nullptr},
    };
    return table;
}

}  // namespace uplift::model
