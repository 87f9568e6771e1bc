// plan.json: the optimize result as the typed plan record; artifacts/plan.cpp writes its text.

#include "uplift/artifacts/plan.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

std::optional<double> rounded(const std::optional<double>& v) {
    return v ? std::optional<double>(round6(*v)) : std::nullopt;
}

/// Incremental conversions mean nothing for a spend outcome: left empty (null) there.
std::optional<double> conversions(const Totals& t, bool binary) {
    return binary ? std::optional<double>(round6(t.conversions)) : std::nullopt;
}

artifacts::PlanFigures figures(const Totals& t, bool binary) {
    artifacts::PlanFigures f;
    f.contacts = static_cast<double>(t.contacts);
    f.spend = round6(t.spend);
    f.incremental_conversions = conversions(t, binary);
    f.incremental_revenue = round6(t.revenue);
    f.profit = round6(t.profit);
    f.roi = rounded(t.roi());
    return f;
}

artifacts::Baseline baseline(std::string_view key, const Totals& t, bool binary, std::string description = {}) {
    return {std::string(key), std::move(description), figures(t, binary)};
}

std::vector<artifacts::Baseline> baselines(const BaselineTotals& b, bool binary) {
    return {baseline(artifacts::baseline_everyone, b.everyone, binary),
            baseline(artifacts::baseline_random, b.random, binary),
            baseline(artifacts::baseline_response_model, b.response_model, binary)};
}

artifacts::PlanParameters parameters(const Instance& in, const OptimizeOptions& o, const ResolvedEconomics& e,
                                     const EconomicsConfig& config) {
    artifacts::PlanParameters p;
    p.outcome_type = data::to_string(in.outcome);
    p.margin = e.margin;
    p.basket = e.flat_basket;
    p.basket_column = e.basket_column;
    p.value = config.value;
    p.channels.assign(config.channels.begin(), config.channels.end());
    for (const Offer& offer : in.offers) {
        p.offers.push_back({offer.level, std::string(to_string(offer.kind)), offer.value, offer.channel,
                            offer.contact_cost, offer_code(offer)});
    }
    const Constraints& c = o.constraints;
    p.budget = c.budget;
    if (c.max_contacts) p.max_contacts = *c.max_contacts;
    p.min_roi = c.min_roi;
    p.allow_negative = c.allow_negative;
    p.seed = o.seed;
    p.random_repeats = o.random_repeats;
    p.curve_points = o.curve_points;
    p.segment_uplift_threshold = in.kinds.uplift;
    p.segment_buy_threshold = in.kinds.buy;
    return p;
}

}  // namespace

artifacts::Plan plan_record(const Instance& in, const OptimizeResult& r, const OptimizeOptions& o,
                            const ResolvedEconomics& e, const EconomicsConfig& config,
                            const std::string& provenance_json,
                            const std::optional<artifacts::PlanTestEstimate>& test_estimate) {
    const bool binary = in.binary();
    const Totals& t = r.plan.totals;
    artifacts::Plan plan;
    plan.budget = o.constraints.budget;
    plan.budget_used = round6(t.spend);
    plan.contacts = static_cast<double>(t.contacts);
    plan.clients = static_cast<double>(in.clients);
    plan.expected_incremental_conversions = conversions(t, binary);
    plan.expected_incremental_revenue = round6(t.revenue);
    plan.expected_spend = round6(t.spend);
    plan.expected_profit = round6(t.profit);
    plan.roi = rounded(t.roi());
    plan.useless_discount_share = rounded(r.plan.useless_discount_share);
    plan.upper_bound = round6(r.solution.upper_bound);
    plan.gap = round6(plan_gap(r));
    for (const OfferTotals& ot : r.plan.per_offer) {
        artifacts::PlanFigures f = figures(ot.totals, binary);
        f.roi.reset();  // an offer's row has no roi
        plan.per_offer.push_back({ot.offer, ot.channel, f});
    }
    for (std::size_t i = 0; i < r.curve.size(); ++i) {
        artifacts::PlanFigures f = figures(r.curve[i].totals, binary);
        f.budget = round6(r.curve[i].budget);
        plan.budget_curve.push_back(f);
        plan.curve_baselines.push_back(i < r.curve_baselines.size() ? baselines(r.curve_baselines[i], binary)
                                                                    : std::vector<artifacts::Baseline>{});
    }
    plan.baselines = {
        baseline(artifacts::baseline_everyone, r.baselines.everyone.totals, binary, r.baselines.everyone.description),
        baseline(artifacts::baseline_random, r.baselines.random.totals, binary, r.baselines.random.description),
        baseline(artifacts::baseline_response_model, r.baselines.response_model.totals, binary,
                 r.baselines.response_model.description)};
    plan.everyone_all = figures(r.everyone_all, binary);
    plan.everyone_all_description = everyone_unlimited_description(in);
    plan.parameters = artifacts::to_setting(parameters(in, o, e, config));
    plan.provenance = artifacts::setting_from_json(provenance_json, "provenance");
    plan.solver = artifacts::PlanSolver{r.solution.lambda, r.solution.iterations, r.solution.core_clients,
                                        r.solution.core_nodes, r.solution.core_complete};
    plan.test_estimate = test_estimate;
    return plan;
}

namespace {

artifacts::PlanListSide list_side(const ListFigures& f, bool binary,
                                  const std::optional<artifacts::PlanTestEstimate>& test) {
    artifacts::PlanListSide side;
    side.figures = figures(f.summary.totals, binary);
    side.non_positive_uplift = static_cast<std::int64_t>(f.non_positive_uplift);
    if (f.summary.totals.contacts > 0) {
        side.non_positive_uplift_share =
            round6(static_cast<double>(f.non_positive_uplift) / static_cast<double>(f.summary.totals.contacts));
    }
    side.useless_discount_share = rounded(f.summary.useless_discount_share);
    side.test_estimate = test;
    return side;
}

}  // namespace

artifacts::PlanResponseList response_list_record(const Instance& in, const ResponseList& list,
                                                 const std::vector<std::int8_t>& uplift_choice,
                                                 const std::optional<artifacts::PlanTestEstimate>& list_test,
                                                 const std::optional<artifacts::PlanTestEstimate>& uplift_test) {
    artifacts::PlanResponseList r;
    r.rule = response_list_rule(list.min_p);
    r.min_p = list.min_p;
    r.above_threshold = static_cast<std::int64_t>(list.above_threshold);
    r.list = list_side(list_figures(in, list.choice), in.binary(), list_test);
    r.uplift_plan = list_side(list_figures(in, uplift_choice), in.binary(), uplift_test);
    return r;
}

std::string plan_json(const Instance& in, const OptimizeResult& r, const OptimizeOptions& o,
                      const ResolvedEconomics& e, const EconomicsConfig& config, const std::string& provenance_json,
                      const std::optional<artifacts::PlanTestEstimate>& test_estimate) {
    return artifacts::to_json(plan_record(in, r, o, e, config, provenance_json, test_estimate));
}

}  // namespace uplift::optimize
