#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/plan.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace ua = uplift::artifacts;
namespace opt = uplift::optimize;
using Json = nlohmann::ordered_json;

namespace {

ua::PlanFigures totals(double contacts, double spend, std::optional<double> conversions, double revenue,
                       double profit, std::optional<double> roi) {
    return {std::nullopt, contacts, spend, conversions, revenue, profit, roi};
}

ua::PlanParameters parameters() {
    ua::PlanParameters p;
    p.outcome_type = "binary";
    p.margin = 0.4;
    p.basket = 50.0;
    p.value = std::nullopt;
    p.channels = {{"email", 0.5}, {"sms", 1.0}};
    p.offers = {{"A", "percent", 0.1, "email", 0.5, "A"}, {"B", "coupon", 5.0, "sms", 1.0, "B10"}};
    p.budget = 10;
    p.max_contacts = 2;
    p.min_roi = std::nullopt;
    p.allow_negative = false;
    p.seed = 18446744073709551615ULL;  // the top of the range survives the text
    p.random_repeats = 20;
    p.curve_points = 5;
    p.segment_uplift_threshold = 0.01;
    p.segment_buy_threshold = 0.5;
    return p;
}

/// Every field and section of the record filled, as optimize writes it.
ua::Plan full_plan() {
    ua::Plan p;
    p.budget = 10.0;
    p.budget_used = 5.25;
    p.contacts = 2;
    p.clients = 3;
    p.expected_incremental_conversions = 0.45;
    p.expected_incremental_revenue = 35;
    p.expected_spend = 5.25;
    p.expected_profit = 8.75;
    p.roi = 8.75 / 5.25;
    p.useless_discount_share = 0.4125;
    p.upper_bound = 8.9;
    p.gap = 0.15;
    p.per_offer = {{"A", "email", totals(1, 2, 0.2, 10, 2, std::nullopt)},
                   {"B", "sms", totals(1, 3.25, 0.25, 25, 6.75, std::nullopt)}};
    for (int i = 0; i < 3; ++i) {
        ua::PlanFigures f = totals(i, 2.0 * i, 0.2 * i, 10.0 * i, 3.0 * i, i == 0 ? std::nullopt : std::optional(1.5));
        f.budget = 5.0 * i;
        p.budget_curve.push_back(f);
        p.curve_baselines.push_back({{"everyone", "", totals(i, 2.5 * i, 0.1 * i, 5.0 * i, 1.0 * i, std::nullopt)},
                                     {"random", "", totals(i, 2.5 * i, 0.1 * i, 5.0 * i, -1.0 * i, -0.5)},
                                     {"response_model", "", totals(i, 2.5 * i, 0.1, 5.0, 0.5, 0.2)}});
    }
    p.curve_baselines[1].clear();  // a point without baselines (an older optimize)
    p.baselines = {{"everyone", "offer A to every client", totals(3, 10, 0.3, 15, -4, -0.4)},
                   {"random", "random clients, 20 draws", totals(2, 5, 0.1, 5, -3, -0.6)},
                   {"response_model", "most likely buyers", totals(2, 5, 0.2, 10, -1, -0.2)},
                   {"z_extra", "another ranking", totals(1, 1, std::nullopt, 1, 0, 0)}};
    p.everyone_all = totals(3, 12, 0.3, 15, -6, -0.5);
    p.everyone_all_description = "offer A to every client, no budget";
    p.parameters = ua::to_setting(parameters());
    p.provenance = ua::setting_from_json(R"({"tool":"upliftctl","stage":"optimize","inputs":[{"path":"s.parquet"}]})",
                                         "provenance");
    p.solver = ua::PlanSolver{0.125, 42, 3, 17, false};
    ua::PlanResponseList list;
    list.rule = "clients whose purchase probability with an offer exceeds 0.9";
    list.min_p = 0.9;
    list.above_threshold = 7;
    list.list = {totals(5, 4.5, 0.3, 15, 1.5, 1.5 / 4.5), 2, 0.4, 0.8, std::nullopt};
    ua::PlanTestEstimate measured;
    measured.scored_as = "out_of_fold";
    measured.method = "aipw";
    measured.planned = 5;
    measured.measured = 4;
    measured.incremental_conversions = {0.5, -0.5, 1.5, 0.51, 0.9};
    list.uplift_plan = {totals(5, 3.5, 0.9, 45, 14.5, 14.5 / 3.5), 0, 0.0, std::nullopt, measured};
    p.response_list = list;
    return p;
}

}  // namespace

TEST_CASE("plan: every field written and read back equal", "[artifacts]") {
    const ua::Plan plan = full_plan();
    const std::string text = ua::to_json(plan);
    const ua::Plan back = ua::plan_from_json(text, "plan.json");
    CHECK(back == plan);
    CHECK(ua::to_json(back) == text);
    // Parts checked one by one too, so a failure says where.
    CHECK(back.per_offer == plan.per_offer);
    CHECK(back.curve_baselines == plan.curve_baselines);
    CHECK(back.baselines == plan.baselines);
    CHECK(back.parameters == plan.parameters);
    CHECK(back.provenance == plan.provenance);
    CHECK(back.solver == plan.solver);
    CHECK(back.response_list == plan.response_list);
}

TEST_CASE("plan: the keys of each row are fixed by where it sits, counts are integers", "[artifacts]") {
    const Json j = Json::parse(ua::to_json(full_plan()));
    CHECK(j["contacts"].is_number_integer());
    CHECK(j["clients"].is_number_integer());
    CHECK(j["per_offer"][0].size() == 7);  // offer, channel and five figures: no budget, no roi
    CHECK_FALSE(j["per_offer"][0].contains("roi"));
    CHECK(j["per_offer"][0]["contacts"].is_number_integer());
    CHECK(j["budget_curve"][0]["roi"].is_null());  // an empty field the row has is null, not left out
    CHECK(j["budget_curve"][0].begin().key() == "budget");
    CHECK_FALSE(j["budget_curve"][1].contains("baselines"));
    CHECK_FALSE(j["budget_curve"][2]["baselines"]["random"].contains("description"));
    CHECK(j["baselines"]["everyone"]["description"] == "offer A to every client");
    CHECK(j["everyone_all"]["description"] == "offer A to every client, no budget");
    CHECK(j["parameters"]["seed"].get<std::uint64_t>() == 18446744073709551615ULL);
    CHECK(j["parameters"]["basket_column"].is_null());
    CHECK(j["solver"]["core_complete"] == false);
    // The exact layout of the file: two-space indent, final newline.
    ua::Plan small;
    small.budget = 100.0;
    small.contacts = 4;
    small.per_offer = {{"A", "sms", totals(4, 8, std::nullopt, 20, 12, 1.5)}};
    const std::string text = ua::to_json(small);
    CHECK(text.rfind("{\n  \"budget\": 100.0,\n  \"budget_used\": null,\n  \"contacts\": 4,\n", 0) == 0);
    CHECK(text.find("      \"incremental_conversions\": null,\n") != std::string::npos);
    CHECK(text.find("\"roi\": 1.5") == std::string::npos);  // an offer's row has no roi
    CHECK(text.find("everyone_all") == std::string::npos);   // absent sections are left out
    CHECK(text.find("solver") == std::string::npos);
    CHECK(text.back() == '\n');
}

TEST_CASE("plan: what optimize writes reads back to the same record and the same bytes", "[artifacts]") {
    opt::ResolvedEconomics e;
    e.offers = {opt::Offer{"A", opt::OfferKind::Percent, 0.1, "email", 0.5, {}},
                opt::Offer{"B", opt::OfferKind::Coupon, 5.0, "sms", 1.0, {}}};
    e.margin = 0.4;
    e.flat_basket = 0;
    const auto in = opt::make_instance({0.2, 0.6, 0.1}, {0.5, 0.45, 0.65, 0.62, 0.3, 0.25}, {100, 80, 50}, e);
    opt::OptimizeOptions o;
    o.constraints.budget = 10;
    o.curve_points = 4;
    const auto r = opt::optimize(in, o);
    opt::EconomicsConfig config;
    config.channels = {{"email", 0.5}, {"sms", 1.0}};
    const std::string provenance = R"({"tool":"upliftctl","stage":"optimize"})";
    const ua::Plan record = opt::plan_record(in, r, o, e, config, provenance);
    const std::string text = opt::plan_json(in, r, o, e, config, provenance);
    CHECK(ua::to_json(record) == text);
    const ua::Plan back = ua::plan_from_json(text, "plan.json");
    CHECK(back == record);
    CHECK(ua::to_json(back) == text);
    CHECK(back.has_curve_baselines());
    CHECK(back.budget_curve.size() == 4 + 1);  // the 4 points and the plan's own at its budget of 10
    CHECK(*back.contacts == 2);
    CHECK(*back.expected_profit == Approx(8.75));

    // The plan measured on its test travels whole, and a plan without it reads as before.
    ua::PlanTestEstimate t;
    t.scored_as = "out_of_fold";
    t.method = "aipw";
    t.planned = 2;
    t.measured = 2;
    t.treated = 1;
    t.control = 1;
    t.test_rows = 3;
    t.incremental_conversions = {0.4, -0.1, 0.9, 0.25, 0.45};
    t.incremental_revenue = {35, -5, 75, 20, 38};
    const std::string measured = opt::plan_json(in, r, o, e, config, provenance, t);
    const ua::Plan with = ua::plan_from_json(measured, "plan.json");
    REQUIRE(with.test_estimate);
    CHECK(*with.test_estimate == t);
    CHECK(ua::to_json(with) == measured);
    CHECK_FALSE(back.test_estimate);
}

TEST_CASE("plan: missing keys leave their parts empty, an older plan file still reads", "[artifacts]") {
    const ua::Plan empty = ua::plan_from_json("{}", "plan.json");
    CHECK(empty == ua::Plan{});
    CHECK_FALSE(empty.budget);
    CHECK(empty.per_offer.empty());
    CHECK_FALSE(empty.everyone_all);
    CHECK_FALSE(empty.parameters);
    CHECK_FALSE(empty.has_curve_baselines());

    // Written before clients, everyone_all, curve baselines and the solver were recorded; nulls are "not known".
    const ua::Plan old = ua::plan_from_json(R"({
        "budget": 1000, "budget_used": 987.25, "contacts": 493, "roi": null, "useless_discount_share": null,
        "per_offer": [{"offer": "Coupon", "channel": "sms", "contacts": 493, "spend": 987.25}],
        "budget_curve": [{"budget": 500, "profit": 10}, {"profit": 99}, {"budget": 0, "profit": 0}],
        "baselines": {"random": {"contacts": 1, "description": "random"}, "b_other": {}, "a_other": {},
                      "everyone": {"spend": 8000}},
        "parameters": {"margin": 0.4, "contact_cost": 0.5, "nested": {"z": 1, "a": "x"}}})",
                                            "old.json");
    CHECK(*old.budget == 1000);
    CHECK_FALSE(old.clients);
    CHECK_FALSE(old.roi);
    CHECK_FALSE(old.everyone_all);
    CHECK_FALSE(old.solver);
    REQUIRE(old.per_offer.size() == 1);
    CHECK(old.per_offer[0].offer == "Coupon");
    CHECK_FALSE(old.per_offer[0].figures.profit);
    // Points without a budget are dropped, the rest sorted by budget; no curve baselines.
    REQUIRE(old.budget_curve.size() == 2);
    CHECK(*old.budget_curve[0].budget == 0);
    CHECK(*old.budget_curve[1].profit == 10);
    CHECK(old.curve_baselines == std::vector<std::vector<ua::Baseline>>{{}, {}});
    CHECK_FALSE(old.has_curve_baselines());
    // The standard baselines first (those present), then the others by key.
    REQUIRE(old.baselines.size() == 4);
    CHECK(old.baselines[0].key == "everyone");
    CHECK(old.baselines[1].key == "random");
    CHECK(old.baselines[2].key == "a_other");
    CHECK(old.baselines[3].key == "b_other");
    CHECK(old.baseline("random")->description == "random");
    CHECK(old.baseline("response_model") == nullptr);
    // Free-form parameters are listed as the report shows them: keys sorted at every level.
    REQUIRE(old.parameters);
    const auto lines = ua::setting_lines(*old.parameters);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"contact_cost", "0.5"}, {"margin", "0.4"}, {"nested.a", "x"}, {"nested.z", "1"}};
    CHECK(lines == expected);
}

TEST_CASE("plan: a key of the wrong type is an error naming the key", "[artifacts]") {
    const auto message = [](const std::string& text) {
        try {
            ua::plan_from_json(text, "plan.json");
        } catch (const uplift::DataError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(message(R"({"budget_curve": [{"budget": 0}, {"budget": 1}, {"budget": 2}, {"budget": 3, "spend": "x"}]})"),
               Catch::StartsWith("plan.json: 'budget_curve[3].spend' must be a number, not a string"));
    CHECK_THAT(message(R"({"budget": "1000"})"), Catch::StartsWith("plan.json: 'budget' must be a number, not a string"));
    CHECK_THAT(message(R"({"per_offer": {}})"), Catch::StartsWith("plan.json: 'per_offer' must be an array, not an object"));
    CHECK_THAT(message(R"({"per_offer": [{"offer": 3}]})"),
               Catch::StartsWith("plan.json: 'per_offer[0].offer' must be a string, not a number"));
    CHECK_THAT(message(R"({"baselines": {"random": {"roi": true}}})"),
               Catch::StartsWith("plan.json: 'baselines.random.roi' must be a number, not a boolean"));
    CHECK_THAT(message(R"({"everyone_all": []})"),
               Catch::StartsWith("plan.json: 'everyone_all' must be an object, not an array"));
    CHECK_THAT(message(R"({"solver": {"core_nodes": 1.5}})"),
               Catch::StartsWith("plan.json: 'solver.core_nodes' must be an integer, not a number"));
    CHECK_THAT(message("[1]"), Catch::StartsWith("plan.json: '(top level)' must be an object, not an array"));
    CHECK_THAT(message("{"), Catch::StartsWith("plan.json: not valid JSON"));
}
