#include "uplift/optimize/list_options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::optimize {

void check_list_options(const ListOptions& o, const std::filesystem::path& out, double control_share,
                        bool id_col_given) {
    if (o.layout.excel && io::format_of(out) == io::FileFormat::Parquet) {
        throw UsageError("--excel shapes a CSV list; drop it for a .parquet --out");
    }
    if (id_col_given && o.layout.id_name.empty()) throw UsageError("--id-col is empty; name the CRM's id column");
    if (o.rank_by == RankBy::Response && !o.min_p) {
        throw UsageError("--rank-by response needs --min-p P: the purchase probability a listed client must exceed");
    }
    if (o.rank_by != RankBy::Response && o.min_p) {
        throw UsageError("--min-p applies to the priority list: add --rank-by response");
    }
    if (o.min_p && (!std::isfinite(*o.min_p) || *o.min_p < 0 || *o.min_p >= 1)) {
        throw UsageError(fmt::format("--min-p {} must be a probability at least 0 and below 1", *o.min_p));
    }
    if (control_share <= 0) return;
    if (o.rank_by == RankBy::Response) {
        throw UsageError("--control-share holds out part of the uplift plan; it does not apply to --rank-by response");
    }
    if (o.layout.excel) {
        throw UsageError("--control-share needs comma-separated lists for `upliftctl measure`; drop --excel");
    }
    for (const PlanColumn needed : {PlanColumn::Id, PlanColumn::Offer, PlanColumn::Action}) {
        if (!has_column(o.layout.columns, needed)) {
            throw UsageError(fmt::format("--control-share: --columns must keep '{}' (`upliftctl measure` matches the "
                                         "list on id, offer and action)",
                                         column_name(needed)));
        }
    }
}

}  // namespace uplift::optimize
