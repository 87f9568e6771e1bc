#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/budget_curve.hpp"
#include "uplift/optimize/offer_config.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace opt = uplift::optimize;
using uplift::data::OutcomeType;

namespace {

opt::Offer offer(std::string level, opt::OfferKind kind, double value, std::string channel, double cost) {
    return opt::Offer{std::move(level), kind, value, std::move(channel), cost, {}};
}

opt::ResolvedEconomics economics(std::vector<opt::Offer> offers, double margin, double basket,
                                 OutcomeType outcome = OutcomeType::Binary) {
    opt::ResolvedEconomics e;
    e.offers = std::move(offers);
    e.margin = margin;
    if (outcome == OutcomeType::Binary) e.flat_basket = basket;
    e.outcome = outcome;
    return e;
}

/// The hand-computed example (binary, margin 0.4).
///   offer A: 10% discount by e-mail (contact 0.5);  offer B: coupon 5.0 by SMS (contact 1.0)
///   client  p0    pt_A  pt_B  basket
///     1     0.20  0.50  0.45  100
///     2     0.60  0.65  0.62   80
///     3     0.10  0.30  0.25   50
/// s_A = pt·b·0.1 + 0.5, s_B = pt·5 + 1, Δ = (pt − p0)·b·0.4 − s:
///   1A: u 0.30, revenue 30,  s = 5.0 + 0.5 = 5.5,  Δ = 12   − 5.5  =  6.5
///   1B: u 0.25, revenue 25,  s = 2.25 + 1  = 3.25, Δ = 10   − 3.25 =  6.75
///   2A: u 0.05, revenue 4,   s = 5.2 + 0.5 = 5.7,  Δ = 1.6  − 5.7  = −4.1   (a "sure thing": the discount loses)
///   2B: u 0.02, revenue 1.6, s = 3.1 + 1   = 4.1,  Δ = 0.64 − 4.1  = −3.46
///   3A: u 0.20, revenue 10,  s = 1.5 + 0.5 = 2.0,  Δ = 4    − 2.0  =  2.0
///   3B: u 0.15, revenue 7.5, s = 1.25 + 1  = 2.25, Δ = 3    − 2.25 =  0.75
/// Budget 10: best is 1B + 3A: Δ 8.75, spend 5.25, conversions 0.45, revenue 35 (1A + 3A gives 8.5).
/// Budget 5: 1B + 3A no longer fits; 1B alone (6.75) beats 1A (6.5) and 3A (2.0).
opt::Instance hand_example() {
    return opt::make_instance({0.2, 0.6, 0.1}, {0.5, 0.45, 0.65, 0.62, 0.3, 0.25}, {100, 80, 50},
                              economics({offer("A", opt::OfferKind::Percent, 0.1, "email", 0.5),
                                         offer("B", opt::OfferKind::Coupon, 5.0, "sms", 1.0)},
                                        0.4, 0));
}

opt::Constraints budget(double b) {
    opt::Constraints c;
    c.budget = b;
    return c;
}

double plan_profit(const opt::Instance& in, const std::vector<std::int8_t>& choice) {
    double p = 0;
    for (std::size_t i = 0; i < in.clients; ++i) {
        if (choice[i] >= 0) p += in.profit(i, static_cast<std::size_t>(choice[i]));
    }
    return p;
}

double plan_spend(const opt::Instance& in, const std::vector<std::int8_t>& choice) {
    double s = 0;
    for (std::size_t i = 0; i < in.clients; ++i) {
        if (choice[i] >= 0) s += in.spend(i, static_cast<std::size_t>(choice[i]));
    }
    return s;
}

std::size_t plan_contacts(const std::vector<std::int8_t>& choice) {
    return static_cast<std::size_t>(std::count_if(choice.begin(), choice.end(), [](std::int8_t c) { return c >= 0; }));
}

/// A random binary instance: mostly positive uplift, some sleeping dogs, varied baskets and offers.
opt::Instance random_instance(std::mt19937_64& rng, std::size_t n, std::size_t k_count) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> p0(n), pt(n * k_count), basket(n);
    for (std::size_t i = 0; i < n; ++i) {
        p0[i] = 0.02 + 0.5 * unit(rng);
        basket[i] = 20 + 100 * unit(rng);
        for (std::size_t k = 0; k < k_count; ++k) {
            pt[i * k_count + k] = std::clamp(p0[i] + 0.3 * unit(rng) - 0.06, 0.0, 1.0);
        }
    }
    std::vector<opt::Offer> offers{offer("A", opt::OfferKind::Percent, 0.1, "email", 0.2),
                                   offer("B", opt::OfferKind::Coupon, 4.0, "sms", 1.0),
                                   offer("C", opt::OfferKind::Message, 0, "push", 0.5)};
    offers.resize(k_count);
    return opt::make_instance(std::move(p0), std::move(pt), std::move(basket), economics(std::move(offers), 0.35, 0));
}

/// Exact optimum by enumerating all (K+1)^n assignments.
double brute_force(const opt::Instance& in, const opt::Constraints& c) {
    const std::size_t k_count = in.num_offers();
    const std::size_t base = k_count + 1;
    std::size_t total = 1;
    for (std::size_t i = 0; i < in.clients; ++i) total *= base;
    const double cap = opt::usable_budget(c.budget);
    double best = 0;
    for (std::size_t code = 0; code < total; ++code) {
        std::size_t x = code;
        double profit = 0, spend = 0;
        std::size_t contacts = 0;
        bool ok = true;
        for (std::size_t i = 0; i < in.clients && ok; ++i, x /= base) {
            const std::size_t pick = x % base;
            if (pick == 0) continue;
            const auto v = in.option(i, pick - 1);
            ok = opt::eligible(v.profit, v.spend, c);
            profit += v.profit;
            spend += v.spend;
            ++contacts;
        }
        if (ok && spend <= cap && contacts <= c.max_contacts.value_or(in.clients)) best = std::max(best, profit);
    }
    return best;
}

/// Exact optimum of a multiple-choice knapsack with integer spends by dynamic programming over the budget.
double dynamic_programming(const std::vector<std::vector<std::pair<int, double>>>& options, int capacity) {
    std::vector<double> best(static_cast<std::size_t>(capacity) + 1, 0.0);
    for (const auto& client : options) {
        std::vector<double> next = best;
        for (int b = 0; b <= capacity; ++b) {
            for (const auto& [w, p] : client) {
                if (w <= b && p > 0) {
                    next[static_cast<std::size_t>(b)] =
                        std::max(next[static_cast<std::size_t>(b)], best[static_cast<std::size_t>(b - w)] + p);
                }
            }
        }
        best = std::move(next);
    }
    return best.back();
}

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_optimize", name); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

uplift::data::Roles roles(std::vector<std::string> levels, OutcomeType outcome = OutcomeType::Binary) {
    uplift::data::Roles r;
    r.id = "client_id";
    r.treatment = "segment";
    r.control = "none";
    r.treatment_levels = std::move(levels);
    r.outcome = "visit";
    r.outcome_type = outcome;
    return r;
}

/// A scores file shaped like `upliftctl score` output for levels A and B.
fs::path write_scores(const fs::path& dir, std::size_t n, std::uint64_t seed, double nan_row = -1) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<std::string> ids(n);
    std::vector<double> p0(n), pa(n), pb(n), ua(n), ub(n), basket(n);
    for (std::size_t i = 0; i < n; ++i) {
        ids[i] = i == 1 ? "c,1 \"quoted\"" : "c" + std::to_string(i);
        p0[i] = 0.05 + 0.4 * unit(rng);
        pa[i] = std::clamp(p0[i] + 0.2 * unit(rng) - 0.04, 0.0, 1.0);
        pb[i] = std::clamp(p0[i] + 0.25 * unit(rng) - 0.05, 0.0, 1.0);
        ua[i] = pa[i] - p0[i];
        ub[i] = pb[i] - p0[i];
        basket[i] = 30 + 50 * unit(rng);
    }
    if (nan_row >= 0) pa[static_cast<std::size_t>(nan_row)] = std::numeric_limits<double>::quiet_NaN();
    using uplift::io::Column;
    uplift::io::Table t({Column::strings("client_id", ids), Column::doubles("p__control", p0),
                         Column::doubles("p__A", pa), Column::doubles("uplift__A", ua), Column::doubles("p__B", pb),
                         Column::doubles("uplift__B", ub), Column::doubles("avg_check", basket)});
    uplift::data::store_roles(t.metadata(), roles({"A", "B"}));
    const fs::path path = dir / "scores.parquet";
    uplift::io::write_table(t, path, {.overwrite = true});
    return path;
}

/// Parses `args` as an upliftctl command line and runs it (what main does, minus the exit codes).
void run_cli(const std::string& args) {
    CLI::App app{"upliftctl"};
    upliftctl::Invocation invocation;
    upliftctl::register_optimize(app, invocation);
    app.parse(args, false);
    invocation.run();
}

}  // namespace

TEST_CASE("hand-computed economics, plan, useless-discount share and baselines for three clients", "[optimize]") {
    const auto in = hand_example();
    const auto v1a = in.option(0, 0);
    CHECK(v1a.uplift == Approx(0.3));
    CHECK(v1a.revenue == Approx(30));
    CHECK(v1a.spend == Approx(5.5));
    CHECK(v1a.profit == Approx(6.5));
    CHECK(in.option(0, 1).spend == Approx(3.25));
    CHECK(in.option(0, 1).profit == Approx(6.75));
    CHECK(in.option(1, 0).profit == Approx(-4.1));
    CHECK(in.option(1, 1).profit == Approx(-3.46));
    CHECK(in.option(2, 0).profit == Approx(2.0));
    CHECK(in.option(2, 1).profit == Approx(0.75));

    opt::OptimizeOptions o;
    o.constraints = budget(10);
    const auto r = opt::optimize(in, o);
    CHECK(r.solution.choice == std::vector<std::int8_t>{1, opt::no_offer, 0});
    CHECK(r.plan.totals.contacts == 2);
    CHECK(r.plan.totals.profit == Approx(8.75));
    CHECK(r.plan.totals.spend == Approx(5.25));
    CHECK(r.plan.totals.conversions == Approx(0.45));
    CHECK(r.plan.totals.revenue == Approx(35));
    // Useless-discount share: (min(0.2, 0.45) + min(0.1, 0.3)) / (0.45 + 0.3) = 0.3 / 0.75 = 0.4.
    REQUIRE(r.plan.useless_discount_share);
    CHECK(*r.plan.useless_discount_share == Approx(0.4));
    CHECK(r.solution.upper_bound >= r.plan.totals.profit - 1e-9);
    CHECK(r.plan.per_offer[0].totals.contacts == 1);
    CHECK(r.plan.per_offer[1].totals.profit == Approx(6.75));

    // Everyone (offer A in file order): 1A spends 5.5; 2A would bring it to 11.2 > 10, so the list stops.
    CHECK(r.baselines.everyone.totals.contacts == 1);
    CHECK(r.baselines.everyone.totals.profit == Approx(6.5));
    // Response model: highest p_t first, each its highest-p_t offer: 2A (0.65), then 1A (0.5) would not fit.
    CHECK(r.baselines.response_model.totals.contacts == 1);
    CHECK(r.baselines.response_model.totals.profit == Approx(-4.1));
    CHECK(r.plan.totals.profit > r.baselines.random.totals.profit);

    // --allow-negative spends what is left on the least-bad offer: 2B (−3.46, spend 4.1) beats 2A (−4.1, 5.7).
    o.constraints.allow_negative = true;
    const auto negative = opt::solve(in, o.constraints);
    CHECK(negative.choice == std::vector<std::int8_t>{1, 1, 0});
    CHECK(plan_profit(in, negative.choice) == Approx(8.75 - 3.46));
    o.constraints = budget(6);  // 5.25 used, 0.75 left: 2B no longer fits
    o.constraints.allow_negative = true;
    CHECK(opt::solve(in, o.constraints).choice == std::vector<std::int8_t>{1, opt::no_offer, 0});

    o.constraints = budget(5);
    const auto small = opt::optimize(in, o);
    CHECK(small.solution.choice == std::vector<std::int8_t>{1, opt::no_offer, opt::no_offer});
    CHECK(small.plan.totals.profit == Approx(6.75));

    // Segments, by the one definition of the client kinds: client 1 is persuadable; a neutral client with
    // p0 ≥ 0.5 is a sure thing; a continuous outcome has no kinds.
    const auto seg = [](double p0, double pt, OutcomeType outcome) {
        const opt::Instance one = opt::make_instance(
            {p0}, {pt}, {}, economics({offer("A", opt::OfferKind::Message, 0, "email", 0.1)}, 1, 1, outcome));
        return std::string(opt::segment_name(one, 0, 0));
    };
    CHECK(seg(0.2, 0.45, OutcomeType::Binary) == "persuadable");
    CHECK(seg(0.6, 0.605, OutcomeType::Binary) == "sure_thing");
    CHECK(seg(0.1, 0.105, OutcomeType::Binary) == "lost_cause");
    CHECK(seg(0.3, 0.2, OutcomeType::Binary) == "sleeping_dog");
    CHECK(seg(0.3, 0.31, OutcomeType::Binary) == "persuadable");  // u = 0.01 reaches the threshold, as in score
    CHECK(seg(3.0, 9.0, OutcomeType::Continuous).empty());
}

TEST_CASE("no clients, or no budget-worthy offer, gives an empty plan", "[optimize]") {
    opt::OptimizeOptions o;
    o.constraints = budget(10);
    const auto empty = opt::make_instance({}, {}, {}, economics({offer("A", opt::OfferKind::Message, 0, "e", 1)}, 1, 1));
    const auto r = opt::optimize(empty, o);
    CHECK(r.plan.totals.contacts == 0);
    CHECK_FALSE(r.plan.totals.roi());
    // The 51 points (all at budget 0: nothing pays) and the plan's own at its budget of 10.
    CHECK(r.curve.size() == opt::default_curve_points + 1);
    CHECK(r.curve.back().budget == 10);
    CHECK(r.baselines.random.totals.contacts == 0);
    // Every client would lose money: nothing is offered, although the budget would allow it.
    const auto losing = opt::make_instance({0.5, 0.5}, {0.5, 0.4}, {},
                                           economics({offer("A", opt::OfferKind::Message, 0, "e", 1)}, 1, 10));
    const auto l = opt::optimize(losing, o);
    CHECK(l.plan.totals.contacts == 0);
    CHECK(l.solution.upper_bound == 0);
    CHECK(l.baselines.everyone.totals.contacts == 2);
    CHECK(l.baselines.everyone.totals.profit == Approx(-3));  // (0 − 1) + (−1 − 1)
}

TEST_CASE("continuous outcome: uplift is money, the discount is paid on expected spend", "[optimize]") {
    // Expected spend 40 without, 50 with a 10% discount by e-mail (0.5): s = 50·0.1 + 0.5 = 5.5,
    // Δ = (50 − 40)·0.3 − 5.5 = −2.5. With a message only: s = 0.5, Δ = 3 − 0.5 = 2.5.
    const auto pct = opt::evaluate_option(40, 50, 0, offer("A", opt::OfferKind::Percent, 0.1, "email", 0.5), 0.3,
                                          OutcomeType::Continuous);
    CHECK(pct.revenue == Approx(10));
    CHECK(pct.spend == Approx(5.5));
    CHECK(pct.profit == Approx(-2.5));
    const auto msg = opt::evaluate_option(40, 50, 0, offer("A", opt::OfferKind::Message, 0, "email", 0.5), 0.3,
                                          OutcomeType::Continuous);
    CHECK(msg.profit == Approx(2.5));
    // A negative spend prediction earns no discount.
    CHECK(opt::evaluate_option(-1, -0.5, 0, offer("A", opt::OfferKind::Percent, 0.2, "e", 0), 1, OutcomeType::Continuous)
              .spend == 0);
    const auto in = opt::make_instance({40, 40}, {50, 41}, {}, economics({offer("A", opt::OfferKind::Message, 0, "e", 0.5)},
                                                                          0.3, 0, OutcomeType::Continuous));
    opt::OptimizeOptions o;
    o.constraints = budget(100);
    const auto r = opt::optimize(in, o);
    CHECK(r.solution.choice == std::vector<std::int8_t>{0, opt::no_offer});  // 1·0.3 − 0.5 < 0 for the second
    CHECK_FALSE(r.plan.useless_discount_share);
    const auto json = nlohmann::json::parse(opt::plan_json(in, r, o, economics(in.offers, 0.3, 0, OutcomeType::Continuous),
                                                           {}, "{}"));
    CHECK(json["useless_discount_share"].is_null());
    CHECK(json["expected_incremental_conversions"].is_null());
    CHECK(json["expected_incremental_revenue"] == 10.0);
}

TEST_CASE("the simple form: --contact-cost C --value V is a message per treated level, basket V, margin 1",
          "[optimize]") {
    opt::EconomicsConfig config;
    config.channels[opt::default_channel] = 0.1;
    config.value = 10;
    const auto e = opt::resolve_economics(config, roles({"Womens E-Mail", "Mens E-Mail"}));
    REQUIRE(e.offers.size() == 2);
    CHECK(e.offers[0].level == "Womens E-Mail");
    CHECK(e.offers[1].kind == opt::OfferKind::Message);
    CHECK(e.offers[1].contact_cost == 0.1);
    CHECK(e.margin == 1);
    CHECK(*e.flat_basket == 10);
    // Profit is uplift·V − C: 0.05·10 − 0.1 = 0.4; a 0.005 uplift is worth 0.05 < 0.1 and is left out.
    const auto in = opt::make_instance({0.1, 0.1}, {0.15, 0.12, 0.105, 0.1}, {}, e);
    CHECK(in.profit(0, 0) == Approx(0.4));
    opt::OptimizeOptions o;
    o.constraints = budget(1000);
    const auto r = opt::optimize(in, o);
    CHECK(r.solution.choice == std::vector<std::int8_t>{0, opt::no_offer});
    CHECK(r.plan.totals.spend == Approx(0.1));
}

TEST_CASE("offer and channel flags parse", "[optimize][config]") {
    const auto s = opt::parse_offer_spec("Womens E-Mail:kind=percent,value=10%,channel=email");
    CHECK(s.level == "Womens E-Mail");
    CHECK(*s.kind == opt::OfferKind::Percent);
    CHECK(*s.value == Approx(0.1));
    CHECK(s.channel == "email");
    CHECK(opt::parse_offer_spec("Mens E-Mail").level == "Mens E-Mail");
    CHECK(opt::parse_offer_spec("a:b:").level == "a:b");  // a trailing ':' keeps a level that holds one
    CHECK(*opt::parse_offer_spec("X:kind=coupon,value=5").value == 5);
    CHECK(opt::parse_channel_spec("sms=2.0") == std::pair<std::string, double>{"sms", 2.0});
    CHECK_THROWS_AS(opt::parse_offer_spec("X:kind=free"), uplift::UsageError);
    CHECK_THROWS_AS(opt::parse_offer_spec("X:colour=red"), uplift::UsageError);
    CHECK_THROWS_AS(opt::parse_offer_spec("X:value=ten"), uplift::UsageError);
    CHECK_THROWS_AS(opt::parse_channel_spec("sms"), uplift::UsageError);

    const fs::path dir = fresh_dir("offers_file");
    {
        std::ofstream f(dir / "offers.json");
        f << R"({"channels": {"email": 0.1, "sms": 2}, "offers": [
                  {"level": "A", "kind": "percent", "value": "15%", "channel": "email"},
                  {"level": "B", "kind": "coupon", "value": 5, "channel": "sms"}]})";
    }
    opt::EconomicsConfig config;
    config.channels["sms"] = 1.5;  // a flag beats the file
    config.margin = 0.3;
    config.basket = 50;
    opt::load_offers_file(dir / "offers.json", config);
    const auto e = opt::resolve_economics(config, roles({"A", "B"}));
    CHECK(e.offers[0].value == Approx(0.15));
    CHECK(e.offers[0].contact_cost == 0.1);
    CHECK(e.offers[1].contact_cost == 1.5);
}

TEST_CASE("bad economics are usage errors (exit 2) with the known levels listed", "[optimize][errors]") {
    const auto r = roles({"A", "B"});
    opt::EconomicsConfig base;
    base.channels["email"] = 0.1;
    base.margin = 0.3;
    base.basket = 50;
    const auto with_offer = [&](const std::string& spec) {
        auto c = base;
        c.offers.push_back(opt::parse_offer_spec(spec));
        return c;
    };
    CHECK_THROWS_WITH(opt::resolve_economics(with_offer("Z:channel=email"), r),
                      Catch::Contains("'Z'") && Catch::Contains("'A', 'B'"));
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A:kind=percent,value=100%,channel=email"), r), uplift::UsageError);
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A:kind=percent,value=1.5,channel=email"), r), uplift::UsageError);
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A:kind=percent,value=-0.1,channel=email"), r), uplift::UsageError);
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A:kind=coupon,value=-1,channel=email"), r), uplift::UsageError);
    CHECK_THROWS_WITH(opt::resolve_economics(with_offer("A:channel=sms"), r), Catch::Contains("--channel sms=COST"));
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A"), r), uplift::UsageError);  // no default channel
    CHECK_THROWS_AS(opt::parse_channel_spec("email=-0.1"), uplift::UsageError);
    auto negative_margin = with_offer("A:channel=email");
    negative_margin.margin = -0.1;
    CHECK_THROWS_AS(opt::resolve_economics(negative_margin, r), uplift::UsageError);
    auto negative_cost = with_offer("A:channel=email");
    negative_cost.channels["email"] = -1;
    CHECK_THROWS_AS(opt::resolve_economics(negative_cost, r), uplift::UsageError);
    auto negative_basket = with_offer("A:channel=email");
    negative_basket.basket = -5;
    CHECK_THROWS_AS(opt::resolve_economics(negative_basket, r), uplift::UsageError);
    auto no_margin = with_offer("A:channel=email");
    no_margin.margin.reset();
    CHECK_THROWS_AS(opt::resolve_economics(no_margin, r), uplift::UsageError);
    auto value_and_margin = with_offer("A:channel=email");
    value_and_margin.value = 5;
    CHECK_THROWS_AS(opt::resolve_economics(value_and_margin, r), uplift::UsageError);
    CHECK_THROWS_AS(opt::resolve_economics(with_offer("A:kind=coupon,value=2,channel=email"),
                                           roles({"A"}, OutcomeType::Continuous)),
                    uplift::UsageError);
    CHECK_THROWS_AS(opt::check_constraints(budget(0)), uplift::UsageError);
    CHECK_THROWS_AS(opt::check_constraints(budget(-5)), uplift::UsageError);
    CHECK_THROWS_AS(opt::solve(hand_example(), budget(0)), uplift::UsageError);
}

TEST_CASE("bad scores are data errors (exit 3) naming file, row and column", "[optimize][errors]") {
    const auto e = opt::resolve_economics(
        [] {
            opt::EconomicsConfig c;
            c.channels[opt::default_channel] = 0.1;
            c.value = 5;
            return c;
        }(),
        roles({"A", "B"}));
    using uplift::io::Column;
    const uplift::io::Table missing({Column::doubles("p__control", {0.1}), Column::doubles("p__A", {0.2})});
    CHECK_THROWS_WITH(opt::instance_from_scores(missing, "s.parquet", e, {}),
                      Catch::Contains("'s.parquet'") && Catch::Contains("'p__B'"));
    CHECK_THROWS_AS(opt::instance_from_scores(missing, "s.parquet", e, {}), uplift::DataError);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const uplift::io::Table with_nan({Column::doubles("p__control", {0.1, 0.1}), Column::doubles("p__A", {0.2, 0.3}),
                                      Column::doubles("p__B", {0.2, nan})});
    CHECK_THROWS_WITH(opt::instance_from_scores(with_nan, "s.parquet", e, {}),
                      Catch::Contains("row 2") && Catch::Contains("'p__B'"));
    const uplift::io::Table not_probability({Column::doubles("p__control", {1.5}), Column::doubles("p__A", {0.2}),
                                             Column::doubles("p__B", {0.2})});
    CHECK_THROWS_AS(opt::instance_from_scores(not_probability, "s.parquet", e, {}), uplift::DataError);
    const uplift::io::Table basket({Column::strings("client_id", {"a", "b"}), Column::doubles("avg", {5.0, -1.0})});
    CHECK_THROWS_WITH(opt::basket_values(basket, "s.parquet", "avg", "client_id", nullptr, ""),
                      Catch::Contains("row 2") && Catch::Contains("'avg'"));
    CHECK_THROWS_AS(opt::basket_values(basket, "s.parquet", "nope", "client_id", nullptr, ""), uplift::DataError);
}

TEST_CASE("the budget and the contact limit are never exceeded", "[optimize][solver]") {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t n = 1 + rng() % 400;
        const std::size_t k_count = 1 + rng() % 3;
        const auto in = random_instance(rng, n, k_count);
        opt::Constraints c = budget(0.5 + static_cast<double>(rng() % 2000) / 10.0);
        if (trial % 3 == 1) c.max_contacts = rng() % (n + 1);
        if (trial % 4 == 2) c.min_roi = 0.5;
        if (trial % 5 == 3) c.allow_negative = true;
        const auto s = opt::solve(in, c);
        INFO("trial " << trial << " n " << n << " K " << k_count << " budget " << c.budget);
        CHECK(plan_spend(in, s.choice) <= opt::usable_budget(c.budget));
        if (c.max_contacts) CHECK(plan_contacts(s.choice) <= *c.max_contacts);
        for (std::size_t i = 0; i < n; ++i) {
            if (s.choice[i] < 0) continue;
            const auto v = in.option(i, static_cast<std::size_t>(s.choice[i]));
            CHECK(opt::eligible(v.profit, v.spend, c));
            if (!c.allow_negative) CHECK(v.profit > 0);
        }
        if (!c.allow_negative) CHECK(plan_profit(in, s.choice) <= s.upper_bound + 1e-6);
    }
}

TEST_CASE("small instances: the plan is within 1% of the brute-force optimum", "[optimize][solver]") {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t k_count = trial % 2 == 0 ? 2 : 3;
        const std::size_t n = k_count == 2 ? 8 : 6;
        const auto in = random_instance(rng, n, k_count);
        opt::Constraints c = budget(1.0 + static_cast<double>(rng() % 300) / 10.0);
        if (trial % 3 == 0) c.max_contacts = 1 + rng() % n;
        if (trial % 5 == 0) c.min_roi = 1.0;
        const double exact = brute_force(in, c);
        const auto s = opt::solve(in, c);
        const double got = plan_profit(in, s.choice);
        INFO("trial " << trial << " budget " << c.budget << " exact " << exact << " plan " << got);
        CHECK(got >= 0.99 * exact - 1e-9);
        CHECK(got <= exact + 1e-9);
        CHECK(s.upper_bound >= exact - 1e-9);
    }
}

TEST_CASE("a bigger instance: within 1% of the dynamic-programming optimum", "[optimize][solver]") {
    // Integer spends make a DP over the budget exact. With basket 1, margin 1 and no contact cost, a discount
    // d spends s = pt·d and earns Δ = (pt − p0) − pt·d, so pt = w/d gives spend w and profit w·(1−d)/d − p0:
    // offer A (d = 1/2) earns w − p0, offer B (d = 1/4) earns 3w − p0.
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 20; ++trial) {
        const std::size_t n = 150;
        std::vector<double> p0(n), pt(2 * n);
        std::vector<std::vector<std::pair<int, double>>> options(n);
        for (std::size_t i = 0; i < n; ++i) {
            p0[i] = static_cast<double>(rng() % 3000) / 100.0;
            const int wa = 1 + static_cast<int>(rng() % 12);
            const int wb = 1 + static_cast<int>(rng() % 12);
            pt[2 * i] = wa / 0.5;
            pt[2 * i + 1] = wb / 0.25;
            options[i] = {{wa, wa - p0[i]}, {wb, 3.0 * wb - p0[i]}};
        }
        const auto in = opt::make_instance(std::move(p0), std::move(pt), {},
                                           economics({offer("A", opt::OfferKind::Percent, 0.5, "e", 0),
                                                      offer("B", opt::OfferKind::Percent, 0.25, "e", 0)},
                                                     1.0, 1.0));
        REQUIRE(in.spend(0, 0) == options[0][0].first);
        REQUIRE(in.profit(0, 1) == Approx(options[0][1].second));
        const int capacity = 50 + static_cast<int>(rng() % 300);
        const auto s = opt::solve(in, budget(capacity));
        const double exact = dynamic_programming(options, capacity);
        INFO("trial " << trial << " capacity " << capacity);
        CHECK(plan_profit(in, s.choice) >= 0.99 * exact);
        CHECK(plan_profit(in, s.choice) <= exact + 1e-9);
        CHECK(plan_spend(in, s.choice) <= capacity);
    }
}

TEST_CASE("the budget curve starts at 0, has at least 50 points and its profit never falls", "[optimize][curve]") {
    std::mt19937_64 rng(3);
    for (int trial = 0; trial < 60; ++trial) {
        const std::size_t n = 1 + rng() % 500;
        const std::size_t k_count = 1 + rng() % 3;
        const auto in = random_instance(rng, n, k_count);
        opt::Constraints c = budget(1);
        if (trial % 4 == 1) c.max_contacts = rng() % (n + 1);
        const auto curve = opt::budget_curve(in, c);
        REQUIRE(curve.size() >= 50);
        CHECK(curve.front().budget == 0);
        for (std::size_t j = 1; j < curve.size(); ++j) {
            CHECK(curve[j].budget >= curve[j - 1].budget);
            CHECK(curve[j].totals.profit >= curve[j - 1].totals.profit);
            CHECK(curve[j].totals.spend <= curve[j].budget * (1 + 1e-9) + 1e-12);
        }
        if (!c.max_contacts) {
            // At the end every client holds its most profitable offer: extra spend stops paying there.
            double best = 0;
            for (std::size_t i = 0; i < n; ++i) {
                double b = 0;
                for (std::size_t k = 0; k < k_count; ++k) b = std::max(b, in.profit(i, k));
                best += b;
            }
            CHECK(curve.back().totals.profit == Approx(best).epsilon(1e-9));
        }
    }
}

namespace {

/// Exact equality of two totals (the multi-budget walk must add the same numbers in the same order).
void check_same(const opt::Totals& multi, const opt::Totals& single) {
    CHECK(multi.contacts == single.contacts);
    CHECK(multi.spend == single.spend);
    CHECK(multi.conversions == single.conversions);
    CHECK(multi.revenue == single.revenue);
    CHECK(multi.profit == single.profit);
}

}  // namespace

TEST_CASE("baselines at many budgets in one walk equal one compute_baselines call per budget, exactly",
          "[optimize][baselines]") {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 40; ++trial) {
        const std::size_t n = 1 + rng() % 400;
        const std::size_t k_count = 1 + rng() % 3;
        const auto in = random_instance(rng, n, k_count);
        opt::Constraints c = budget(1);
        if (trial % 3 == 1) c.max_contacts = rng() % (n + 1);
        // The curve's budgets (0 included, unsorted here), a budget past everything, and a repeated one.
        std::vector<double> budgets;
        for (const auto& p : opt::budget_curve(in, c, 12)) budgets.push_back(p.budget);
        budgets.push_back(1e9);
        budgets.push_back(budgets[3]);
        std::shuffle(budgets.begin(), budgets.end(), rng);
        const std::uint64_t seed = rng();
        const int repeats = 1 + static_cast<int>(rng() % 5);
        const auto multi = opt::compute_baselines_at(in, c, budgets, seed, repeats, 1 + trial % 2);
        REQUIRE(multi.size() == budgets.size());
        for (std::size_t b = 0; b < budgets.size(); ++b) {
            opt::Constraints one = c;
            one.budget = budgets[b];
            const auto single = opt::compute_baselines(in, one, seed, repeats, 1);
            INFO("trial " << trial << ", budget " << budgets[b]);
            check_same(multi[b].everyone, single.everyone.totals);
            check_same(multi[b].random, single.random.totals);
            check_same(multi[b].response_model, single.response_model.totals);
        }
    }
}

TEST_CASE("optimize() gives the baselines at the plan's budget and at every curve point", "[optimize][baselines]") {
    std::mt19937_64 rng(5);
    const auto in = random_instance(rng, 300, 3);
    opt::OptimizeOptions o;
    o.constraints = budget(40);
    o.random_repeats = 3;
    const auto r = opt::optimize(in, o);
    REQUIRE(r.curve_baselines.size() == r.curve.size());
    const auto at_plan = opt::compute_baselines(in, o.constraints, o.seed, o.random_repeats);
    check_same(r.baselines.everyone.totals, at_plan.everyone.totals);
    check_same(r.baselines.random.totals, at_plan.random.totals);
    check_same(r.baselines.response_model.totals, at_plan.response_model.totals);
    CHECK(r.baselines.random.description == at_plan.random.description);
    for (std::size_t i = 0; i < r.curve.size(); i += 10) {
        opt::Constraints one = o.constraints;
        one.budget = r.curve[i].budget;
        const auto single = opt::compute_baselines(in, one, o.seed, o.random_repeats);
        check_same(r.curve_baselines[i].everyone, single.everyone.totals);
        check_same(r.curve_baselines[i].random, single.random.totals);
        CHECK(r.curve_baselines[i].everyone.spend <= r.curve[i].budget * (1 + 1e-9));
    }
    // More money never buys fewer contacts along a list.
    for (std::size_t i = 1; i < r.curve.size(); ++i) {
        CHECK(r.curve_baselines[i].everyone.contacts >= r.curve_baselines[i - 1].everyone.contacts);
        CHECK(r.curve_baselines[i].response_model.contacts >= r.curve_baselines[i - 1].response_model.contacts);
    }
}

TEST_CASE("the plan itself is a point of its budget curve, so the report's slider opens on the plan",
          "[optimize][curve]") {
    std::mt19937_64 rng(17);
    for (int trial = 0; trial < 30; ++trial) {
        const auto in = random_instance(rng, 1 + rng() % 300, 1 + rng() % 3);
        opt::OptimizeOptions o;
        // Budgets between curve points, on one, and past the point where extra spend stops paying.
        o.constraints = budget(trial % 3 == 2 ? 1e9 : 0.5 + static_cast<double>(rng() % 4000) / 100.0);
        o.random_repeats = 2;
        const auto r = opt::optimize(in, o);
        INFO("trial " << trial << ", budget " << o.constraints.budget);
        std::size_t at_budget = 0;
        for (std::size_t i = 0; i < r.curve.size(); ++i) {
            if (r.curve[i].budget != o.constraints.budget) continue;
            ++at_budget;
            check_same(r.curve[i].totals, r.plan.totals);
            check_same(r.curve_baselines[i].everyone, r.baselines.everyone.totals);
            check_same(r.curve_baselines[i].random, r.baselines.random.totals);
            // Past the plan, profit never falls.
            for (std::size_t k = i + 1; k < r.curve.size(); ++k) {
                CHECK(r.curve[k].totals.profit >= r.curve[k - 1].totals.profit);
            }
        }
        CHECK(at_budget == 1);
        for (std::size_t i = 1; i < r.curve.size(); ++i) CHECK(r.curve[i].budget >= r.curve[i - 1].budget);
        REQUIRE(r.curve_baselines.size() == r.curve.size());
    }
}

TEST_CASE("the command: plan.csv and plan.json, byte-identical across runs and thread counts", "[optimize][cli]") {
    const fs::path dir = fresh_dir("cli");
    const fs::path scores = write_scores(dir, 300, 17);
    const std::string common = "optimize -s " + scores.string() +
                               " --budget 150 --margin 0.3 --basket-col avg_check --channel email=0.1 "
                               "--channel sms=1 --offer \"A:kind=percent,value=10%,channel=email\" "
                               "--offer \"B:kind=coupon,value=3,channel=sms\" --seed 9 -q";
    run_cli(common + " -o " + (dir / "plan.csv").string() + " --threads 1");
    const std::string csv = slurp(dir / "plan.csv");
    const std::string json = slurp(dir / "plan.json");
    run_cli(common + " -o " + (dir / "again.csv").string() + " --threads 2");
    CHECK(slurp(dir / "again.csv") == csv);
    CHECK(slurp(dir / "again.json") == json);

    std::istringstream lines(csv);
    std::string header, first, second;
    std::getline(lines, header);
    CHECK(header ==
          "client_id,offer,offer_code,offer_kind,offer_value,channel,action,expected_uplift,"
          "expected_incremental_revenue,expected_spend,expected_profit,segment,rank,baseline_outcome");
    std::getline(lines, first);
    const std::string before_baseline = first.substr(0, first.rfind(','));
    CHECK(before_baseline.substr(before_baseline.size() - 2) == ",1");
    if (csv.find("c,1") != std::string::npos) CHECK(csv.find("\"c,1 \"\"quoted\"\"\"") != std::string::npos);

    const auto j = nlohmann::json::parse(json);
    for (const char* key : {"budget", "budget_used", "contacts", "expected_incremental_conversions",
                            "expected_incremental_revenue", "expected_spend", "expected_profit", "roi",
                            "useless_discount_share", "upper_bound", "gap", "per_offer", "budget_curve", "baselines",
                            "parameters", "provenance"}) {
        CHECK(j.contains(key));
    }
    CHECK(j["budget_used"].get<double>() <= 150);
    CHECK(j["gap"].get<double>() >= -1e-6);
    CHECK(j["per_offer"].size() == 2);
    for (const char* key : {"offer", "channel", "contacts", "spend", "incremental_conversions", "incremental_revenue",
                            "profit"}) {
        CHECK(j["per_offer"][0].contains(key));
    }
    CHECK(j["budget_curve"].size() >= 50);
    for (const char* key : {"budget", "contacts", "spend", "incremental_conversions", "incremental_revenue", "profit",
                            "roi"}) {
        CHECK(j["budget_curve"][1].contains(key));
    }
    for (const char* name : {"everyone", "random", "response_model"}) {
        for (const auto& point : j["budget_curve"]) {
            for (const char* key : {"contacts", "spend", "incremental_conversions", "incremental_revenue", "profit",
                                    "roi"}) {
                CHECK(point["baselines"][name].contains(key));
            }
            CHECK(point["baselines"][name]["spend"].get<double>() <= point["budget"].get<double>() + 1e-6);
        }
    }
    for (const char* name : {"everyone", "random", "response_model"}) {
        for (const char* key : {"contacts", "spend", "incremental_conversions", "incremental_revenue", "profit", "roi",
                                "description"}) {
            CHECK(j["baselines"][name].contains(key));
        }
        CHECK(j["expected_profit"].get<double>() >= j["baselines"][name]["profit"].get<double>());
    }
    CHECK(j["provenance"]["stage"] == "optimize");

    // Existing outputs need --overwrite; nothing is written before the check.
    CHECK_THROWS_AS(run_cli(common + " -o " + (dir / "plan.csv").string()), uplift::UsageError);
    run_cli(common + " -o " + (dir / "plan.csv").string() + " --overwrite");
    CHECK(slurp(dir / "plan.csv") == csv);
}

TEST_CASE("the command in the simple form of issue 2", "[optimize][cli]") {
    const fs::path dir = fresh_dir("simple");
    const fs::path scores = write_scores(dir, 100, 4);
    run_cli("optimize -s " + scores.string() + " --budget 3 --contact-cost 0.1 --value 20 -q -o " +
            (dir / "plan.csv").string());
    const auto j = nlohmann::json::parse(slurp(dir / "plan.json"));
    CHECK(j["contacts"].get<int>() == 30);  // 3 / 0.1: every one of them pays, and 30 × 0.1 fits a budget of 3
    CHECK(j["budget_used"].get<double>() <= 3);
    CHECK(j["parameters"]["value"] == 20.0);
    CHECK(j["per_offer"][0]["channel"] == "default");

    run_cli("optimize -s " + scores.string() + " --budget 3 --contact-cost 0.1 --value 20 -q -o " +
            (dir / "plan.parquet").string() + " --plan-json " + (dir / "summary.json").string());
    const auto table = uplift::io::read_table(dir / "plan.parquet");
    CHECK(table.num_rows() == 30);
    CHECK(table.column_names() == std::vector<std::string>{"client_id", "offer", "offer_code", "offer_kind",
                                                          "offer_value", "channel", "action", "expected_uplift",
                                                          "expected_incremental_revenue", "expected_spend",
                                                          "expected_profit", "segment", "rank", "baseline_outcome"});
    CHECK(nlohmann::json::parse(slurp(dir / "summary.json"))["contacts"] == 30);
}

TEST_CASE("the command fails cleanly and leaves no output", "[optimize][cli][errors]") {
    const fs::path dir = fresh_dir("errors");
    const fs::path scores = write_scores(dir, 20, 1);
    const std::string out = " -q -o " + (dir / "plan.csv").string();
    const std::string base = "optimize -s " + scores.string();
    CHECK_THROWS_AS(run_cli(base + " --budget 0 --contact-cost 0.1 --value 5" + out), uplift::UsageError);
    CHECK_THROWS_AS(run_cli(base + " --budget 10 --contact-cost 0.1 --value 5 --offer Z" + out), uplift::UsageError);
    CHECK_THROWS_AS(run_cli(base + " --budget 10 --contact-cost -1 --value 5" + out), uplift::UsageError);
    CHECK_THROWS_AS(run_cli(base + " --budget 10 --contact-cost 0.1 --margin 0.3 --basket 5 "
                                   "--offer A:kind=percent,value=1" + out),
                    uplift::UsageError);
    CHECK_THROWS_AS(run_cli(base + " --budget 10 --contact-cost 0.1 --margin 0.3 --basket-col nope" + out),
                    uplift::DataError);
    const fs::path with_nan = write_scores(fresh_dir("nan"), 20, 1, 4);
    CHECK_THROWS_WITH(run_cli("optimize -s " + with_nan.string() + " --budget 10 --contact-cost 0.1 --value 5" + out),
                      Catch::Contains("row 5") && Catch::Contains("'p__A'"));
    CHECK_FALSE(fs::exists(dir / "plan.csv"));
    CHECK_FALSE(fs::exists(dir / "plan.json"));
}

TEST_CASE("the discount to everyone without a budget: the first offer to every client", "[optimize][baselines]") {
    std::mt19937_64 rng(8);
    const auto in = random_instance(rng, 200, 3);
    opt::OptimizeOptions o;
    o.constraints = budget(10);
    o.random_repeats = 2;
    const auto r = opt::optimize(in, o);
    double spend = 0, profit = 0;
    for (std::size_t i = 0; i < in.clients; ++i) {
        opt::Totals one;
        opt::add_option(one, in, i, 0);
        spend += one.spend;
        profit += one.profit;
    }
    CHECK(r.everyone_all.contacts == in.clients);
    CHECK(r.everyone_all.spend == Approx(spend).epsilon(1e-12));
    CHECK(r.everyone_all.profit == Approx(profit).epsilon(1e-12));
    CHECK(r.everyone_all.spend >= r.baselines.everyone.totals.spend);  // the capped list spends at most the budget
}

TEST_CASE("plan.csv neutralises cells a spreadsheet would execute, --raw-csv keeps them", "[optimize][csv]") {
    const auto in = opt::make_instance({0.1, 0.1, 0.1}, {0.5, 0.5, 0.5}, {},
                                       economics({offer("=cmd", opt::OfferKind::Message, 0, "@sms", 0.1)}, 1, 1));
    const auto ids = uplift::io::Column::strings("client_id", {"=HYPERLINK(\"http://x\")", "-42", "A7"});
    const std::vector<std::int8_t> choice{0, 0, 0};
    const std::vector<std::size_t> order{0, 1, 2};
    const opt::PlanRows rows{in, ids, choice, order};
    opt::PlanLayout layout;
    layout.columns = {opt::PlanColumn::Id, opt::PlanColumn::Offer, opt::PlanColumn::OfferCode, opt::PlanColumn::Channel};
    const std::string safe = opt::plan_csv(rows, layout);
    CHECK_THAT(safe, Catch::Contains("\"'=HYPERLINK(\"\"http://x\"\")\",'=cmd,'=cmd,'@sms\n"));
    CHECK_THAT(safe, Catch::Contains("\n'-42,'=cmd,"));
    CHECK_THAT(safe, Catch::Contains("\nA7,'=cmd,'=cmd,'@sms\n"));
    layout.raw_cells = true;
    const std::string raw = opt::plan_csv(rows, layout);
    CHECK_THAT(raw, Catch::Contains("\"=HYPERLINK(\"\"http://x\"\")\",=cmd,=cmd,@sms\n"));
    CHECK_THAT(raw, Catch::Contains("\n-42,=cmd,"));
    // The spreadsheet form keeps the guard too.
    layout.raw_cells = false;
    layout.excel = true;
    CHECK_THAT(opt::plan_csv(rows, layout), Catch::Contains("\n'-42;'=cmd;'=cmd;'@sms\n"));
}
