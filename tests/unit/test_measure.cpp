#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/measurement.hpp"
#include "uplift/artifacts/plan.hpp"
#include "uplift/artifacts/plan_manifest.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/session.hpp"
#include "uplift/optimize/covariate_adjustment.hpp"
#include "uplift/optimize/hold_out.hpp"
#include "uplift/optimize/measure.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace opt = uplift::optimize;
namespace art = uplift::artifacts;

namespace {

void write(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// The fixture's model baseline of client `id`: uneven between contacted and held-out clients by construction.
double baseline_of(int id) { return 0.2 + 0.05 * ((id * id) % 7); }

/// A folder with a plan of two offers: a has 12 contacted + 10 held out, b has 10 + 10; outcomes given
/// below per client.
struct PlanFixture {
    // One folder per process: CTest runs each test case as its own process, two at a time.
    fs::path dir = test_support::fresh_dir("test_measure", "plan");
    /// With `baseline`, the list carries baseline_outcome (the model's p0): baseline_of(client id).
    explicit PlanFixture(bool baseline = false) {
        art::Plan plan;
        art::PlanControl c;
        c.share = 0.4;
        c.seed = 7;
        c.plan_file = "plan.csv";
        c.id_column = "client";
        c.outcome_column = "bought";
        c.outcome_type = "binary";
        c.expected_incremental_conversions = 5.5;
        c.expected_incremental_revenue = 55;
        c.per_offer = {{"a", 22, 12, 10, 4.0, 40.0, 1.2, "A1"}, {"b", 20, 10, 10, 1.5, 15.0, 1.0, "B1"}};
        plan.control = c;
        art::Setting basket;
        basket.key = "basket";
        basket.kind = art::Setting::Kind::Real;
        basket.real = 10.0;
        art::Setting parameters;
        parameters.kind = art::Setting::Kind::Object;
        parameters.members = {basket};
        plan.parameters = parameters;
        write(dir / "plan.json", art::to_json(plan));
        std::string list = "client,offer,channel,expected_uplift,expected_incremental_revenue,expected_spend,"
                           "expected_profit,segment,rank,action";
        list += baseline ? ",baseline_outcome\n" : "\n";
        std::string outcomes = "client,bought\n";
        int id = 0;
        const auto add = [&](const char* offer, bool held, int bought) {
            ++id;
            list += fmt::format("{},{},default,0.1,1,0.1,0.9,persuadable,{},{}", id, offer, id,
                                held ? "hold_out" : "contact");
            list += baseline ? fmt::format(",{:.6f}\n", baseline_of(id)) : std::string("\n");
            outcomes += fmt::format("{},{}\n", id, bought);
        };
        // a: contacted 9 of 12 bought; held out 3 of 10.
        for (int i = 0; i < 12; ++i) add("a", false, i < 9 ? 1 : 0);
        for (int i = 0; i < 10; ++i) add("a", true, i < 3 ? 1 : 0);
        // b: contacted 5 of 10; held out 4 of 10.
        for (int i = 0; i < 10; ++i) add("b", false, i < 5 ? 1 : 0);
        for (int i = 0; i < 10; ++i) add("b", true, i < 4 ? 1 : 0);
        outcomes += "999,1\n";  // not in the plan
        write(dir / "plan.csv", list);
        write(dir / "outcomes.csv", outcomes);
    }
    ~PlanFixture() { fs::remove_all(dir); }
    art::Measurement run(const std::string& outcomes = "outcomes.csv",
                         opt::Adjustment adjustment = opt::Adjustment::Auto) const {
        uplift::io::Session session({.threads = 1, .memory_limit = {}});
        opt::MeasureRequest r;
        r.plan_json = dir / "plan.json";
        r.outcomes = dir / outcomes;
        r.adjustment = adjustment;
        return opt::measure_plan(session, r);
    }
};

/// Welch's standard error of a difference of two proportions k/n, as a hand computation does it.
double se_of(double kc, double nc, double kh, double nh) {
    const double pc = kc / nc, ph = kh / nh;
    const double vc = pc * (1 - pc) * nc / (nc - 1), vh = ph * (1 - ph) * nh / (nh - 1);
    return std::sqrt(vc / nc + vh / nh);
}

}  // namespace

TEST_CASE("difference_of_means matches a hand computation", "[measure]") {
    const std::vector<double> contacted{1, 0, 1, 1};  // mean 0.75, sample variance 0.25
    const std::vector<double> held{0, 0, 1, 0};       // mean 0.25, sample variance 0.25
    const auto f = opt::difference_of_means(contacted, held, 10);
    REQUIRE(f.estimate == Approx(5.0).epsilon(1e-12));
    const double se = 10 * std::sqrt(0.25 / 4 + 0.25 / 4);
    REQUIRE(f.std_error == Approx(se).epsilon(1e-12));
    REQUIRE(f.low == Approx(5.0 - 1.959963984540054 * se).epsilon(1e-12));
    REQUIRE(f.high == Approx(5.0 + 1.959963984540054 * se).epsilon(1e-12));
    REQUIRE_THROWS_AS(opt::difference_of_means(std::vector<double>{1}, held, 1), uplift::UsageError);
}

TEST_CASE("the hold-out is an exact share per offer, the same for a seed, different for another", "[measure]") {
    opt::ResolvedEconomics e;
    e.offers = {opt::Offer{"a", opt::OfferKind::Message, 0, "default", 0.1, {}},
                opt::Offer{"b", opt::OfferKind::Message, 0, "default", 0.1, {}}};
    e.margin = 1;
    e.flat_basket = 1;
    e.outcome = uplift::data::OutcomeType::Binary;
    const std::size_t n = 1000;
    std::vector<double> p0(n, 0.1), pt(2 * n, 0.2);
    const opt::Instance in = opt::make_instance(p0, pt, {}, e);
    std::vector<std::int8_t> choice(n, -1);
    for (std::size_t i = 0; i < n; ++i) choice[i] = i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : -1;
    const auto held = opt::draw_hold_out(in, choice, 0.3, 42);
    std::size_t held_a = 0, held_b = 0, held_unplanned = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (held[i] == 0) continue;
        (choice[i] == 0 ? held_a : choice[i] == 1 ? held_b : held_unplanned) += 1;
    }
    REQUIRE(held_a == opt::hold_out_count(334, 0.3));  // 100
    REQUIRE(held_b == opt::hold_out_count(333, 0.3));  // 100
    REQUIRE(held_unplanned == 0);
    REQUIRE(opt::draw_hold_out(in, choice, 0.3, 42) == held);
    REQUIRE(opt::draw_hold_out(in, choice, 0.3, 43) != held);
    REQUIRE(opt::draw_hold_out(in, choice, 0.0, 42).empty());
}

TEST_CASE("measure: per offer and in total, against a hand computation", "[measure]") {
    const PlanFixture f;
    const auto m = f.run();
    REQUIRE(m.unknown_ids == 1);
    REQUIRE(m.missing_contacted == 0);
    REQUIRE(m.per_offer.size() == 2);
    const auto& a = m.per_offer[0];
    REQUIRE(a.incremental_conversions.estimate == Approx((9.0 / 12 - 3.0 / 10) * 12).epsilon(1e-12));
    REQUIRE(a.incremental_conversions.std_error == Approx(12 * se_of(9, 12, 3, 10)).epsilon(1e-12));
    REQUIRE(a.incremental_conversions.promised == 4.0);
    const auto& b = m.per_offer[1];
    REQUIRE(b.incremental_conversions.estimate == Approx((0.5 - 0.4) * 10).epsilon(1e-12));
    const double total = (9.0 / 12 - 0.3) * 12 + 1.0;
    REQUIRE(m.total.incremental_conversions.estimate == Approx(total).epsilon(1e-12));
    const double se = std::hypot(12 * se_of(9, 12, 3, 10), 10 * se_of(5, 10, 4, 10));
    REQUIRE(m.total.incremental_conversions.std_error == Approx(se).epsilon(1e-12));
    REQUIRE(m.total.incremental_conversions.promised == 5.5);
    REQUIRE(m.total.incremental_revenue);
    REQUIRE(m.total.incremental_revenue->estimate == Approx(10 * total).epsilon(1e-12));
    REQUIRE(m.total.incremental_revenue->std_error == Approx(10 * se).epsilon(1e-12));
    REQUIRE(m.total.contacted == 22);
    REQUIRE(m.total.held_out == 20);
    // No baseline_outcome in this list: the plain difference is the headline, and the summary says why.
    REQUIRE(m.method == "difference_of_means_normal");
    REQUIRE(m.covariate.empty());
    REQUIRE_THAT(m.adjustment_note, Catch::Contains("has no column 'baseline_outcome'"));
    REQUIRE(m.total.difference_of_means == m.total.incremental_conversions);
    REQUIRE(!m.total.covariate_adjusted);
    REQUIRE(art::measurement_from_json(art::to_json(m), "m.json") == m);
}

TEST_CASE("measure adjusts for the list's baseline_outcome and keeps the plain difference beside it", "[measure]") {
    const PlanFixture f(true);
    const auto m = f.run();
    REQUIRE(m.method == "covariate_adjusted_lin_hc2");
    REQUIRE(m.covariate == "baseline_outcome");
    REQUIRE(m.adjustment == "auto");
    REQUIRE(m.adjustment_note.empty());
    // The plain estimate is the hand computation of the case above.
    const double plain = (9.0 / 12 - 0.3) * 12 + 1.0;
    REQUIRE(m.total.difference_of_means.estimate == Approx(plain).epsilon(1e-12));
    // The headline is offer by offer Lin's estimate at the contacted clients' mean baseline, summed.
    double estimate = 0, var = 0;
    for (const auto& g : m.per_offer) {
        REQUIRE(g.covariate_adjusted);
        REQUIRE(g.incremental_conversions == *g.covariate_adjusted);
        REQUIRE(g.variance_reduction);
        estimate += g.covariate_adjusted->estimate;
        var += g.covariate_adjusted->std_error * g.covariate_adjusted->std_error;
        REQUIRE(*g.variance_reduction ==
                Approx(1 - std::pow(g.covariate_adjusted->std_error / g.difference_of_means.std_error, 2)));
    }
    // Offer a by hand: contacted clients 1..12, held out 13..22.
    std::vector<double> yc, xc, yh, xh;
    double target = 0;
    for (int id = 1; id <= 22; ++id) {
        const double x = baseline_of(id);
        if (id <= 12) {
            yc.push_back(id <= 9 ? 1 : 0);
            xc.push_back(x);
            target += x / 12;
        } else {
            yh.push_back(id <= 15 ? 1 : 0);
            xh.push_back(x);
        }
    }
    const auto a = opt::lin_adjusted_difference({yc, xc}, {yh, xh}, target, 12, opt::z95);
    REQUIRE(m.per_offer[0].covariate_adjusted->estimate == Approx(a.estimate).epsilon(1e-12));
    REQUIRE(m.per_offer[0].covariate_adjusted->std_error == Approx(a.std_error).epsilon(1e-12));
    REQUIRE(m.total.incremental_conversions.estimate == Approx(estimate).epsilon(1e-12));
    REQUIRE(m.total.incremental_conversions.std_error == Approx(std::sqrt(var)).epsilon(1e-12));
    REQUIRE(m.total.incremental_conversions.estimate != Approx(plain).epsilon(1e-6));
    REQUIRE(m.total.incremental_revenue->estimate == Approx(10 * estimate).epsilon(1e-12));
    REQUIRE(m.total.mean_covariate_held_out);
    REQUIRE(art::measurement_from_json(art::to_json(m), "m.json") == m);
    const std::string text = opt::measure_text(m);
    REQUIRE_THAT(text, Catch::Contains("unadjusted difference of means; the adjustment cut the variance by"));
    REQUIRE_THAT(text, Catch::Contains("covariate      baseline_outcome"));
    REQUIRE_THAT(text, Catch::Contains("population     42 planned clients: 22 contacted, 20 held out"));

    // --adjust off: the plain difference is the headline again, the column ignored.
    const auto off = f.run("outcomes.csv", opt::Adjustment::Off);
    REQUIRE(off.method == "difference_of_means_normal");
    REQUIRE(off.covariate.empty());
    REQUIRE(off.adjustment_note.empty());
    REQUIRE(off.total.incremental_conversions.estimate == Approx(plain).epsilon(1e-12));
    REQUIRE(!off.per_offer[0].covariate_adjusted);
}

TEST_CASE("measure.json of a build before the adjustment still reads, its headline as the plain estimate",
          "[measure][artifacts]") {
    const PlanFixture f;
    auto j = nlohmann::json::parse(art::to_json(f.run()));
    for (const char* key : {"adjustment", "covariate", "adjustment_note"}) j.erase(key);
    for (const char* key : {"difference_of_means", "covariate_adjusted", "variance_reduction",
                            "mean_covariate_contacted", "mean_covariate_held_out"}) {
        j["total"].erase(key);
    }
    const auto old = art::measurement_from_json(j.dump(), "old.json");
    REQUIRE(old.adjustment == "off");
    REQUIRE(old.total.difference_of_means == old.total.incremental_conversions);
    REQUIRE(!old.total.covariate_adjusted);
}

TEST_CASE("measure refuses what it cannot measure, naming file, row and value", "[measure]") {
    const PlanFixture f;
    // Too few held-out clients with an outcome: keep only 5 of offer a's held-out rows.
    std::ifstream in(f.dir / "outcomes.csv");
    std::string line, few, bad, dup;
    int row = 0;
    while (std::getline(in, line)) {
        const bool held_a = row >= 13 && row <= 22;  // rows of offer a's held-out clients (after the header)
        if (!(held_a && row > 17)) few += line + "\n";
        bad += (row == 3 ? std::string("3,2") : line) + "\n";
        dup += line + "\n";
        ++row;
    }
    dup += "5,0\n";
    write(f.dir / "few.csv", few);
    write(f.dir / "bad.csv", bad);
    write(f.dir / "dup.csv", dup);
    REQUIRE_THROWS_WITH(f.run("few.csv"), Catch::Contains("offer 'a': 5 held-out and 12 contacted") &&
                                              Catch::Contains("at least 10"));
    REQUIRE_THROWS_AS(f.run("few.csv"), uplift::DataError);
    REQUIRE_THROWS_WITH(f.run("bad.csv"), Catch::Contains("row 3, column 'bought': '2' is not 0 or 1"));
    REQUIRE_THROWS_WITH(f.run("dup.csv"), Catch::Contains("rows 5 and 44: client '5' has two outcomes"));
    write(f.dir / "plan.json", "{}");
    REQUIRE_THROWS_WITH(f.run(), Catch::Contains("no hold-out to measure against"));
}

TEST_CASE("plan.json's control section reads back as it was written", "[measure][artifacts]") {
    art::Plan plan;
    art::PlanControl c;
    c.rule = "per offer";
    c.share = 0.25;
    c.seed = 11;
    c.planned = 8;
    c.contacted = 6;
    c.held_out = 2;
    c.plan_file = "plan.csv";
    c.id_column = "id";
    c.outcome_column = "y";
    c.outcome_type = "binary";
    c.expected_incremental_conversions = 1.5;
    c.expected_spend = 0.6;
    c.spend_saved = 0.2;
    c.per_offer = {{"a", 8, 6, 2, 1.5, 3.0, 0.6, "A1"}};
    plan.control = c;
    REQUIRE(art::plan_from_json(art::to_json(plan), "plan.json") == plan);
    REQUIRE(art::to_json(art::Plan{}).find("control") == std::string::npos);  // no hold-out, no section
}

TEST_CASE("measure matches ids byte for byte: '12.0' in the outcomes is not client '12' of the plan", "[measure]") {
    const PlanFixture f;
    // The outcomes file's ids written as decimals (an export that went through a spreadsheet): other text, so
    // other clients. A type sniffer reading both columns as numbers matched them all.
    std::ifstream in(f.dir / "outcomes.csv");
    std::string line, decimals;
    std::getline(in, line);
    decimals = line + "\n";
    while (std::getline(in, line)) decimals += line.insert(line.find(','), ".0") + "\n";
    write(f.dir / "decimals.csv", decimals);
    REQUIRE_THROWS_WITH(f.run("decimals.csv"), Catch::Contains("0 held-out and 0 contacted"));
    REQUIRE(f.run().total.contacted == 22);
}

TEST_CASE("measure reads a list split by optimize --split-by through its manifest", "[measure]") {
    const PlanFixture f;
    const auto whole = f.run();
    // The fixture's list cut by offer into two files, as --split-by offer writes them, and the manifest.
    std::ifstream in(f.dir / "plan.csv");
    std::string header, line, a = "", b = "";
    std::getline(in, header);
    std::int64_t rows_a = 0, rows_b = 0;
    while (std::getline(in, line)) {
        const bool is_a = line.find(",a,") != std::string::npos;
        (is_a ? a : b) += line + "\n";
        ++(is_a ? rows_a : rows_b);
    }
    write(f.dir / "plan.a.csv", header + "\n" + a);
    write(f.dir / "plan.b.csv", header + "\n" + b);
    art::PlanManifest m;
    m.split_by = "offer";
    m.format = "csv";
    m.separator = ",";
    m.plan_json = "plan.json";
    m.rows = rows_a + rows_b;
    m.files = {{"a", "plan.a.csv", rows_a, 0, 0}, {"b", "plan.b.csv", rows_b, 0, 0}};
    write(f.dir / "plan.manifest.json", art::to_json(m));
    auto plan = art::read_plan_file(f.dir / "plan.json");
    plan.control->plan_file = "plan.manifest.json";
    write(f.dir / "plan.json", art::to_json(plan));

    const auto split = f.run();
    CHECK(split.total.incremental_conversions == whole.total.incremental_conversions);
    CHECK(split.per_offer == whole.per_offer);
    CHECK(split.total.contacted == 22);
    CHECK(split.total.held_out == 20);

    // A part shorter than its manifest says is an incomplete list, not a smaller plan.
    m.files[1].rows += 1;
    write(f.dir / "plan.manifest.json", art::to_json(m));
    CHECK_THROWS_WITH(f.run(), Catch::Contains("plan.b.csv' has 20 rows, but its manifest") &&
                                   Catch::Contains("says 21: the list is incomplete"));
    m.files[1].rows -= 1;
    m.separator = ";";
    write(f.dir / "plan.manifest.json", art::to_json(m));
    CHECK_THROWS_AS(f.run(), uplift::DataError);
}
