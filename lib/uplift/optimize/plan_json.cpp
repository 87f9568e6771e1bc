#include <nlohmann/json.hpp>

#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(const std::optional<double>& v) { return v ? Json(round6(*v)) : Json(nullptr); }

/// Incremental conversions mean nothing for a spend outcome: null there.
Json conversions(const Totals& t, bool binary) { return binary ? Json(round6(t.conversions)) : Json(nullptr); }

/// `j` may already hold keys that come first (a curve point's budget).
Json totals_json(const Totals& t, bool binary, Json j = Json::object()) {
    j["contacts"] = t.contacts;
    j["spend"] = round6(t.spend);
    j["incremental_conversions"] = conversions(t, binary);
    j["incremental_revenue"] = round6(t.revenue);
    j["profit"] = round6(t.profit);
    j["roi"] = number_or_null(t.roi());
    return j;
}

Json baseline_json(const Baseline& b, bool binary) {
    Json j = totals_json(b.totals, binary);
    j["description"] = b.description;
    return j;
}

Json parameters_json(const Instance& in, const OptimizeOptions& o, const ResolvedEconomics& e,
                     const EconomicsConfig& config) {
    Json j;
    j["outcome_type"] = data::to_string(in.outcome);
    j["margin"] = e.margin;
    j["basket"] = e.flat_basket ? Json(*e.flat_basket) : Json(nullptr);
    j["basket_column"] = e.basket_column.empty() ? Json(nullptr) : Json(e.basket_column);
    j["value"] = config.value ? Json(*config.value) : Json(nullptr);
    j["channels"] = Json::object();
    for (const auto& [name, cost] : config.channels) j["channels"][name] = cost;
    j["offers"] = Json::array();
    for (const Offer& offer : in.offers) {
        j["offers"].push_back({{"offer", offer.level},
                               {"kind", std::string(to_string(offer.kind))},
                               {"value", offer.value},
                               {"channel", offer.channel},
                               {"contact_cost", offer.contact_cost}});
    }
    const Constraints& c = o.constraints;
    j["budget"] = c.budget;
    j["max_contacts"] = c.max_contacts ? Json(*c.max_contacts) : Json(nullptr);
    j["min_roi"] = c.min_roi ? Json(*c.min_roi) : Json(nullptr);
    j["allow_negative"] = c.allow_negative;
    j["seed"] = o.seed;
    j["random_repeats"] = o.random_repeats;
    j["curve_points"] = o.curve_points;
    j["segment_uplift_threshold"] = in.kinds.uplift;
    j["segment_buy_threshold"] = in.kinds.buy;
    return j;
}

}  // namespace

std::string plan_json(const Instance& in, const OptimizeResult& r, const OptimizeOptions& o,
                      const ResolvedEconomics& e, const EconomicsConfig& config, const std::string& provenance_json) {
    const bool binary = in.binary();
    const Totals& t = r.plan.totals;
    Json j;
    j["budget"] = o.constraints.budget;
    j["budget_used"] = round6(t.spend);
    j["contacts"] = t.contacts;
    j["clients"] = in.clients;  // the population the plan chose from, for coverage shares
    j["expected_incremental_conversions"] = conversions(t, binary);
    j["expected_incremental_revenue"] = round6(t.revenue);
    j["expected_spend"] = round6(t.spend);
    j["expected_profit"] = round6(t.profit);
    j["roi"] = number_or_null(t.roi());
    j["useless_discount_share"] = number_or_null(r.plan.useless_discount_share);
    j["upper_bound"] = round6(r.solution.upper_bound);
    j["gap"] = round6(plan_gap(r));
    j["per_offer"] = Json::array();
    for (const OfferTotals& ot : r.plan.per_offer) {
        j["per_offer"].push_back({{"offer", ot.offer},
                                  {"channel", ot.channel},
                                  {"contacts", ot.totals.contacts},
                                  {"spend", round6(ot.totals.spend)},
                                  {"incremental_conversions", conversions(ot.totals, binary)},
                                  {"incremental_revenue", round6(ot.totals.revenue)},
                                  {"profit", round6(ot.totals.profit)}});
    }
    j["budget_curve"] = Json::array();
    for (std::size_t i = 0; i < r.curve.size(); ++i) {
        const CurvePoint& p = r.curve[i];
        Json point;
        point["budget"] = round6(p.budget);
        point = totals_json(p.totals, binary, std::move(point));
        if (i < r.curve_baselines.size()) {
            const BaselineTotals& b = r.curve_baselines[i];
            point["baselines"] = {{"everyone", totals_json(b.everyone, binary)},
                                  {"random", totals_json(b.random, binary)},
                                  {"response_model", totals_json(b.response_model, binary)}};
        }
        j["budget_curve"].push_back(std::move(point));
    }
    j["baselines"] = {{"everyone", baseline_json(r.baselines.everyone, binary)},
                      {"random", baseline_json(r.baselines.random, binary)},
                      {"response_model", baseline_json(r.baselines.response_model, binary)}};
    j["everyone_all"] = totals_json(r.everyone_all, binary);
    j["everyone_all"]["description"] = everyone_unlimited_description(in);
    j["parameters"] = parameters_json(in, o, e, config);
    j["provenance"] = Json::parse(provenance_json);
    j["solver"] = {{"lambda", r.solution.lambda},
                   {"bisection_steps", r.solution.iterations},
                   {"core_clients", r.solution.core_clients},
                   {"core_nodes", r.solution.core_nodes},
                   {"core_complete", r.solution.core_complete}};
    return j.dump(2) + "\n";
}

}  // namespace uplift::optimize
