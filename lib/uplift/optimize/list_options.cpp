#include "uplift/optimize/list_options.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

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
    // measure finds each planned client by its id and whether it was held out by its action; which offer a
    // row is needs the offers (measure_offer_column), known once the scores are read.
    for (const PlanColumn needed : {PlanColumn::Id, PlanColumn::Action}) {
        if (!has_column(o.layout.columns, needed)) {
            throw UsageError(fmt::format("--control-share: --columns must keep '{}' (`upliftctl measure` finds each "
                                         "planned client by id and whether it was held out by action)",
                                         column_name(needed)));
        }
    }
}

std::string measure_offer_column(const std::vector<PlanColumn>& columns, const std::vector<Offer>& offers) {
    if (has_column(columns, PlanColumn::Offer)) return std::string(column_name(PlanColumn::Offer));
    if (offers.size() == 1) return "";
    std::set<std::string> codes;
    for (const Offer& offer : offers) codes.insert(offer_code(offer));
    if (has_column(columns, PlanColumn::OfferCode) && codes.size() == offers.size()) {
        return std::string(column_name(PlanColumn::OfferCode));
    }
    throw UsageError(fmt::format(
        "--control-share: `upliftctl measure` could not tell the plan's {} offers apart in this list: --columns "
        "must keep 'offer'{}",
        offers.size(),
        has_column(columns, PlanColumn::OfferCode) ? " (two offers share a code, so offer_code does not do)"
                                                   : ", or 'offer_code' when every offer has its own code"));
}

}  // namespace uplift::optimize
