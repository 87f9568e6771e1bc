#pragma once
/// `optimize --rank-by response --min-p P`: the priority list some teams build from a response model —
/// clients whose predicted purchase probability with an offer (the scores' p__<level>) exceeds P, most
/// likely buyers first — set beside the uplift plan of the same size, so the director sees what ranking by
/// p_t instead of by uplift wastes (clients who would buy anyway, or buy less when contacted).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize {

/// How the CRM list is ranked: by the plan's expected profit (the uplift plan; the default) or by response.
enum class RankBy { Profit, Response };

/// "profit" or "response"; throws UsageError for anything else.
RankBy rank_by_from_string(std::string_view text);

struct ResponseList {
    double min_p = 0;
    std::size_t above_threshold = 0;  ///< clients whose highest p_t exceeds min_p (before budget and contacts)
    std::vector<std::int8_t> choice;  ///< [i]: the offer with the highest p_t for listed clients, else no offer
    std::vector<std::size_t> order;   ///< listed clients, highest p_t first (ties: file order)
};

/// Throws UsageError for `min_p` outside [0, 1) or not a number, and for a continuous outcome (its p__<level>
/// is expected spend, not a probability).
void check_min_p(double min_p, const Instance& instance);

/// The clients above `min_p`, each with the offer it is most likely to buy with, highest p_t first, taken while
/// the budget and the contact limit allow: the list stops at the first client whose offer no longer fits, as
/// the response-model baseline does. Clients whose best offer only ties min_p are not listed ("exceeds").
ResponseList response_list(const Instance& instance, const Constraints& constraints, double min_p);

/// What a list brings by the model, and how much of it is wasted.
struct ListFigures {
    PlanSummary summary;                  ///< totals, useless-discount share
    std::size_t non_positive_uplift = 0;  ///< clients whose expected uplift with their offer is ≤ 0
};

/// The figures of the clients given an offer in `choice`.
ListFigures list_figures(const Instance& instance, const std::vector<std::int8_t>& choice);

/// The rule in words for plan.json.
std::string response_list_rule(double min_p);

}  // namespace uplift::optimize
