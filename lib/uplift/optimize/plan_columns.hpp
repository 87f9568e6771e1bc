#pragma once
/// The columns a CRM list (plan.csv) can carry, their names, and how `--columns a,b,c` chooses and orders
/// them. One list of names, so the parser, the writers and the message for an unknown name agree.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/optimize/economics.hpp"

namespace uplift::optimize {

enum class PlanColumn {
    Id,                          ///< the client id (header: --id-col, or the scores' id column)
    Offer,                       ///< the treatment level (measure matches it with plan.json)
    OfferCode,                   ///< the CRM's code for the offer (--offer code=...; default the level)
    OfferKind,                   ///< percent, coupon or message
    OfferValue,                  ///< "10%", "5.00", empty for a message
    Channel,
    Action,                      ///< contact or hold_out
    ExpectedUplift,
    ExpectedIncrementalRevenue,
    ExpectedSpend,
    ExpectedProfit,
    BaselineOutcome,             ///< p0: the model's outcome without an offer (measure's covariate)
    PurchaseProbability,         ///< p_t with the chosen offer (the priority list's figure)
    Segment,
    Rank,
};

/// The name in the header and in --columns ("id" for the id column whatever its header).
std::string_view column_name(PlanColumn column) noexcept;
/// Every column, in the order of the default list then the optional ones.
std::span<const PlanColumn> all_plan_columns() noexcept;
/// What plan.csv carries without --columns.
std::vector<PlanColumn> default_plan_columns();
/// "a,b,c" → the columns in that order. Throws UsageError naming the known columns for an unknown name, and
/// for an empty list or a column given twice.
std::vector<PlanColumn> parse_plan_columns(std::string_view list);
/// Whether `columns` holds `column`.
bool has_column(std::span<const PlanColumn> columns, PlanColumn column) noexcept;

/// The offer's value as the CRM list shows it: a percent discount "10%" (up to 6 decimals, no trailing
/// zeros: "12.5%"), a coupon with 2 decimals "5.00", nothing for a message. `decimal` is '.' or ','.
std::string offer_value_text(const Offer& offer, char decimal = '.');

}  // namespace uplift::optimize
