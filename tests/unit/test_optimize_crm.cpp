// The CRM list of optimize (issue 20): offer codes, kinds and values, chosen columns, the spreadsheet form,
// one file per channel or offer with a manifest, the budget that cannot pay a contact, and the response list.

#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "uplift/artifacts/plan.hpp"
#include "uplift/artifacts/plan_manifest.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/cheapest_contact.hpp"
#include "uplift/optimize/list_options.hpp"
#include "uplift/optimize/offer_config.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/response_list.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace opt = uplift::optimize;
using uplift::data::OutcomeType;

namespace {

opt::Offer offer(std::string level, opt::OfferKind kind, double value, std::string channel, double cost,
                 std::string code = {}) {
    return opt::Offer{std::move(level), kind, value, std::move(channel), cost, std::move(code)};
}

opt::ResolvedEconomics economics(std::vector<opt::Offer> offers, double margin, double basket) {
    opt::ResolvedEconomics e;
    e.offers = std::move(offers);
    e.margin = margin;
    e.flat_basket = basket;
    return e;
}

/// Four clients, two offers (10% by e-mail as SPRING10, a 5.00 coupon by SMS), basket 100, margin 0.4.
///   client  p0    pt_A  pt_B
///     0     0.10  0.50  0.20     A: Δ = 40·0.4·… a persuadable
///     1     0.90  0.95  0.92     buys anyway: the response list's favourite
///     2     0.30  0.35  0.60
///     3     0.50  0.40  0.45     a sleeping dog
opt::Instance four_clients() {
    return opt::make_instance({0.1, 0.9, 0.3, 0.5}, {0.5, 0.2, 0.95, 0.92, 0.35, 0.6, 0.4, 0.45}, {},
                              economics({offer("A", opt::OfferKind::Percent, 0.1, "email", 0.1, "SPRING10"),
                                         offer("B", opt::OfferKind::Coupon, 5.0, "sms", 0.5)},
                                        0.4, 100));
}

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_optimize_crm", name); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// A scores file shaped like `upliftctl score` output for levels A and B.
fs::path write_scores(const fs::path& dir, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<std::string> ids(n);
    std::vector<double> p0(n), pa(n), pb(n);
    for (std::size_t i = 0; i < n; ++i) {
        ids[i] = "c" + std::to_string(i);
        p0[i] = 0.05 + 0.6 * unit(rng);
        pa[i] = std::clamp(p0[i] + 0.3 * unit(rng) - 0.08, 0.0, 1.0);
        pb[i] = std::clamp(p0[i] + 0.3 * unit(rng) - 0.08, 0.0, 1.0);
    }
    using uplift::io::Column;
    uplift::io::Table t({Column::strings("client_id", ids), Column::doubles("p__control", p0),
                         Column::doubles("p__A", pa), Column::doubles("p__B", pb)});
    uplift::data::Roles r;
    r.id = "client_id";
    r.treatment = "segment";
    r.control = "none";
    r.treatment_levels = {"A", "B"};
    r.outcome = "visit";
    r.outcome_type = OutcomeType::Binary;
    uplift::data::store_roles(t.metadata(), r);
    const fs::path path = dir / "scores.parquet";
    uplift::io::write_table(t, path, {.overwrite = true});
    return path;
}

void run_cli(const std::string& args) {
    CLI::App app{"upliftctl"};
    upliftctl::Invocation invocation;
    upliftctl::register_optimize(app, invocation);
    app.parse(args, false);
    invocation.run();
}

const std::string two_offers = " --channel email=0.1 --channel sms=0.5 --value 2"
                               " --offer \"A:kind=percent,value=10%,channel=email,code=SPRING10\""
                               " --offer \"B:kind=coupon,value=0.5,channel=sms\" -q";

}  // namespace

TEST_CASE("offer codes: code=... in --offer and in an offers file, the level's name by default", "[optimize][crm]") {
    CHECK(opt::parse_offer_spec("Womens E-Mail:kind=percent,value=10%,code=SPRING10").code == "SPRING10");
    CHECK(opt::parse_offer_spec("Womens E-Mail").code.empty());
    CHECK_THROWS_WITH(opt::parse_offer_spec("A:code="), Catch::Contains("code is empty"));
    CHECK_THROWS_WITH(opt::parse_offer_spec("A:colour=red"), Catch::Contains("keys: kind, value, channel, code"));

    uplift::data::Roles roles;
    roles.treatment_levels = {"A", "B"};
    opt::EconomicsConfig config;
    config.value = 2;
    config.channels[opt::default_channel] = 0.1;
    config.offers = {opt::parse_offer_spec("A:code=SPRING10"), opt::parse_offer_spec("B")};
    const auto resolved = opt::resolve_economics(config, roles);
    CHECK(resolved.offers[0].code == "SPRING10");
    CHECK(resolved.offers[1].code == "B");
    CHECK(opt::offer_code(offer("X", opt::OfferKind::Message, 0, "sms", 0)) == "X");

    const fs::path dir = fresh_dir("offers_file");
    std::ofstream(dir / "offers.json") << R"({"channels": {"email": 0.1},
        "offers": [{"level": "A", "kind": "percent", "value": 0.1, "channel": "email", "code": "WELCOME"}]})";
    opt::EconomicsConfig from_file;
    opt::load_offers_file(dir / "offers.json", from_file);
    CHECK(from_file.offers.at(0).code == "WELCOME");
    std::ofstream(dir / "empty_code.json") << R"({"offers": [{"level": "A", "code": ""}]})";
    opt::EconomicsConfig bad;
    CHECK_THROWS_AS(opt::load_offers_file(dir / "empty_code.json", bad), uplift::UsageError);
}

TEST_CASE("the offer's value as the list shows it", "[optimize][crm]") {
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Percent, 0.1, "e", 0)) == "10%");
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Percent, 0.125, "e", 0)) == "12.5%");
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Percent, 0.125, "e", 0), ',') == "12,5%");
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Coupon, 5, "e", 0)) == "5.00");
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Coupon, 2.5, "e", 0), ',') == "2,50");
    CHECK(opt::offer_value_text(offer("A", opt::OfferKind::Message, 0, "e", 0)).empty());
}

TEST_CASE("the columns option chooses and orders the columns, an unknown one names the known ones", "[optimize][crm]") {
    using C = opt::PlanColumn;
    CHECK(opt::parse_plan_columns("id, offer_code ,channel,action") ==
          std::vector<C>{C::Id, C::OfferCode, C::Channel, C::Action});
    CHECK_THROWS_AS(opt::parse_plan_columns("id,cost"), uplift::UsageError);
    CHECK_THROWS_WITH(opt::parse_plan_columns("id,cost"),
                      Catch::Contains("unknown column 'cost'") && Catch::Contains("offer_code") &&
                          Catch::Contains("purchase_probability"));
    CHECK_THROWS_WITH(opt::parse_plan_columns("id,id"), Catch::Contains("given twice"));
    CHECK_THROWS_WITH(opt::parse_plan_columns("id,,rank"), Catch::Contains("empty column name"));
    CHECK_THROWS_AS(opt::parse_plan_columns(""), uplift::UsageError);
    // Every column parses under its own name: the list and the names agree.
    for (const C c : opt::all_plan_columns()) CHECK(opt::parse_plan_columns(opt::column_name(c)).front() == c);
}

TEST_CASE("plan.csv: every client with code, kind, value, channel, action, uplift, profit and rank", "[optimize][crm]") {
    const auto in = four_clients();
    const auto ids = uplift::io::Column::strings("client_id", {"a", "b", "c", "d"});
    const std::vector<std::int8_t> choice{0, 1, 1, -1};
    const std::vector<std::size_t> order{0, 2, 1};
    const std::vector<std::uint8_t> held_out{0, 0, 1, 0};
    const opt::PlanRows rows{in, ids, choice, order, held_out};
    opt::PlanLayout layout;
    const auto lines = lines_of(opt::plan_csv(rows, layout));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "client_id,offer,offer_code,offer_kind,offer_value,channel,action,expected_uplift,"
                      "expected_incremental_revenue,expected_spend,expected_profit,segment,rank,baseline_outcome");
    // Client a, offer A: u 0.4, revenue 40, spend 0.5·100·0.1 + 0.1 = 5.1, profit 16 − 5.1 = 10.9; p0 0.1, the
    // baseline measure adjusts for.
    CHECK(lines[1] ==
          "a,A,SPRING10,percent,10%,email,contact,0.400000,40.000000,5.100000,10.900000,persuadable,1,0.100000");
    CHECK(lines[2].rfind("c,B,B,coupon,5.00,sms,hold_out,0.300000,", 0) == 0);
    CHECK(lines[3].substr(lines[3].size() - 11) == ",3,0.900000");

    // Chosen columns, the CRM's id header, no BOM by default.
    layout.columns = opt::parse_plan_columns("rank,id,offer_code,purchase_probability");
    layout.id_name = "customer_id";
    const std::string chosen = opt::plan_csv(rows, layout);
    CHECK(chosen.rfind("rank,customer_id,offer_code,purchase_probability\n1,a,SPRING10,0.500000\n", 0) == 0);

    // The spreadsheet form: BOM, ';', decimal commas, and a field holding ';' quoted.
    const auto semicolon_ids = uplift::io::Column::strings("client;id", {"a;1", "b", "c", "d"});
    const opt::PlanRows rows2{in, semicolon_ids, choice, order, held_out};
    opt::PlanLayout excel;
    excel.excel = true;
    excel.columns = opt::parse_plan_columns("id,offer_value,expected_profit,rank");
    const std::string x = opt::plan_csv(rows2, excel);
    CHECK(x.rfind("\xEF\xBB\xBF\"client;id\";offer_value;expected_profit;rank\n\"a;1\";10%;10,900000;1\n", 0) == 0);
    CHECK(x.find("5,00") != std::string::npos);
    CHECK(opt::plan_csv(rows, opt::PlanLayout{}).rfind("client_id,", 0) == 0);  // no BOM without --excel
}

TEST_CASE("plan.parquet follows --columns and --id-col", "[optimize][crm]") {
    const auto in = four_clients();
    const auto ids = uplift::io::Column::strings("client_id", {"a", "b", "c", "d"});
    const std::vector<std::int8_t> choice{0, 1, -1, -1};
    const std::vector<std::size_t> order{1, 0};
    opt::PlanLayout layout;
    layout.columns = opt::parse_plan_columns("id,offer_code,expected_profit,rank");
    layout.id_name = "kunde";
    const auto table = opt::plan_table({in, ids, choice, order}, layout);
    CHECK(table.column_names() == std::vector<std::string>{"kunde", "offer_code", "expected_profit", "rank"});
    CHECK(table.find("kunde")->text_at(0) == "b");
    CHECK(table.find("offer_code")->text_at(1) == "SPRING10");
    CHECK(table.find("rank")->text_at(1) == "2");
}

TEST_CASE("split lists: safe file names, one part per value in offer order, rows by offer", "[optimize][crm]") {
    CHECK(opt::safe_file_part("email") == "email");
    CHECK(opt::safe_file_part("Womens E-Mail") == "Womens_E-Mail");
    CHECK(opt::safe_file_part("../etc/passwd") == "etc_passwd");
    CHECK(opt::safe_file_part("SMS: 50%") == "SMS_50");
    CHECK(opt::safe_file_part("Ж") == "part");
    CHECK(opt::safe_file_part(std::string(100, 'x')).size() == 64);

    const std::vector<opt::Offer> offers{offer("A", opt::OfferKind::Message, 0, "SMS", 0),
                                         offer("B", opt::OfferKind::Message, 0, "email", 0),
                                         offer("C", opt::OfferKind::Message, 0, "sms", 0),
                                         offer("D", opt::OfferKind::Message, 0, "email", 0)};
    auto parts = opt::plan_parts(offers, opt::SplitBy::Channel, "out/plan.csv");
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].file == fs::path("out/plan.SMS.csv"));
    CHECK(parts[1].file == fs::path("out/plan.email.csv"));
    CHECK(parts[2].file == fs::path("out/plan.sms_2.csv"));  // "sms" and "SMS" are one name on Windows and macOS
    const std::vector<std::int8_t> choice{3, 0, -1, 1, 2};
    const std::vector<std::size_t> order{3, 0, 1, 4};
    opt::assign_rows(parts, offers, opt::SplitBy::Channel, choice, order);
    CHECK(parts[0].positions == std::vector<std::size_t>{2});
    CHECK(parts[1].positions == std::vector<std::size_t>{0, 1});
    CHECK(parts[2].positions == std::vector<std::size_t>{3});
    CHECK(opt::manifest_path("out/plan.csv") == fs::path("out/plan.manifest.json"));
    CHECK(opt::plan_parts(offers, opt::SplitBy::Offer, "p.parquet").back().file == fs::path("p.D.parquet"));
    CHECK_THROWS_WITH(opt::split_by_from_string("segment"), Catch::Contains("channel or offer"));
}

TEST_CASE("a budget below the cheapest contact is bad data naming its cost, offer and channel", "[optimize][crm]") {
    const auto in = four_clients();
    const auto cheapest = opt::cheapest_contact(in);
    // A's spend is pt·100·0.1 + 0.1: client 0 at 5.1 is the smallest of A; B's is pt·5 + 0.5: 1.5 for client 0.
    CHECK(cheapest.offer == 1);
    CHECK(cheapest.client == 0);
    CHECK(cheapest.spend == Approx(1.5));
    CHECK_THROWS_AS(opt::check_budget_reaches_a_contact(in, 1.4), uplift::DataError);
    CHECK_THROWS_WITH(opt::check_budget_reaches_a_contact(in, 1.4),
                      "budget 1.4 is below the cheapest contact's cost 1.5 (offer 'B', channel 'sms'): no client can "
                      "be contacted; raise --budget to at least 1.5");
    CHECK_NOTHROW(opt::check_budget_reaches_a_contact(in, 1.5));
    opt::OptimizeOptions o;
    o.constraints.budget = 1;
    CHECK_THROWS_AS(opt::optimize(in, o), uplift::DataError);
}

TEST_CASE("the response list: above --min-p, most likely buyers first, within budget and contacts", "[optimize][crm]") {
    const auto in = four_clients();
    opt::Constraints c;
    c.budget = 100;
    // Best p_t: client 0 0.5 (A), 1 0.95 (A), 2 0.6 (B), 3 0.45 (B).
    auto list = opt::response_list(in, c, 0.45);
    CHECK(list.above_threshold == 3);  // 0.45 does not exceed 0.45
    CHECK(list.order == std::vector<std::size_t>{1, 2, 0});
    CHECK(list.choice == std::vector<std::int8_t>{0, 0, 1, -1});
    c.max_contacts = 2;
    CHECK(opt::response_list(in, c, 0.45).order == std::vector<std::size_t>{1, 2});
    c.max_contacts.reset();
    c.budget = 10;  // client 1's 10% costs 0.95·100·0.1 + 0.1 = 9.6; client 2's coupon 3.5 no longer fits
    CHECK(opt::response_list(in, c, 0.45).order == std::vector<std::size_t>{1});

    // What it wastes: client 1 buys anyway (uplift 0.05 > 0), so no client with uplift ≤ 0 here; client 3 would be.
    const auto f = opt::list_figures(in, {0, 0, 1, 1});
    CHECK(f.non_positive_uplift == 1);
    CHECK(f.summary.totals.contacts == 4);

    CHECK_THROWS_AS(opt::check_min_p(1.0, in), uplift::UsageError);
    CHECK_THROWS_AS(opt::check_min_p(-0.1, in), uplift::UsageError);
    auto spend = in;
    spend.outcome = OutcomeType::Continuous;
    CHECK_THROWS_WITH(opt::check_min_p(0.5, spend), Catch::Contains("continuous"));
    CHECK_THROWS_WITH(opt::rank_by_from_string("uplift"), Catch::Contains("profit") && Catch::Contains("response"));
}

TEST_CASE("list options that cannot be written or measured are usage errors", "[optimize][crm]") {
    opt::ListOptions o;
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0, false));
    o.layout.excel = true;
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.parquet", 0, false), Catch::Contains("--excel"));
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0.2, false));  // plan.json records the dialect
    o.layout.excel = false;
    o.split_by = opt::SplitBy::Channel;
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0.2, false));  // measure reads the manifest
    o.split_by = opt::SplitBy::None;
    o.layout.columns = opt::parse_plan_columns("id,offer_code");
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0.2, false), Catch::Contains("keep 'action'"));
    o.layout.columns = opt::parse_plan_columns("offer,action");
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0.2, false), Catch::Contains("keep 'id'"));
    o.layout.columns = opt::parse_plan_columns("id,offer_code,action");
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0.2, false));  // the offer: measure_offer_column
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0, false));
    o.layout.id_name = "";
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0, true), Catch::Contains("--id-col is empty"));
    o.rank_by = opt::RankBy::Response;
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0, false), Catch::Contains("needs --min-p"));
    o.min_p = 1.5;
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0, false), Catch::Contains("--min-p 1.5"));
    o.min_p = 0.9;
    CHECK_NOTHROW(opt::check_list_options(o, "plan.csv", 0.1, false));  // the hold-out of the priority list
    o.rank_by = opt::RankBy::Profit;
    CHECK_THROWS_WITH(opt::check_list_options(o, "plan.csv", 0, false), Catch::Contains("add --rank-by response"));
}

TEST_CASE("measure tells a held-out list's offers apart by offer, by a unique code, or not at all", "[optimize][crm]") {
    const auto offer = [](std::string level, std::string code) {
        opt::Offer o;
        o.level = std::move(level);
        o.code = std::move(code);
        return o;
    };
    const std::vector<opt::Offer> one{offer("a", "")};
    const std::vector<opt::Offer> coded{offer("a", "A1"), offer("b", "B1")};
    const std::vector<opt::Offer> shared{offer("a", "X"), offer("b", "X")};
    CHECK(opt::measure_offer_column(opt::parse_plan_columns("id,offer,action"), shared) == "offer");
    CHECK(opt::measure_offer_column(opt::parse_plan_columns("id,action"), one).empty());  // every row is it
    CHECK(opt::measure_offer_column(opt::parse_plan_columns("id,offer_code,action"), coded) == "offer_code");
    CHECK_THROWS_WITH(opt::measure_offer_column(opt::parse_plan_columns("id,offer_code,action"), shared),
                      Catch::Contains("two offers share a code"));
    CHECK_THROWS_WITH(opt::measure_offer_column(opt::parse_plan_columns("id,action"), coded),
                      Catch::Contains("or 'offer_code' when every offer has its own code"));
}

TEST_CASE("the manifest reads back as written", "[optimize][crm][artifacts]") {
    uplift::artifacts::PlanManifest m;
    m.split_by = "channel";
    m.format = "csv";
    m.separator = ";";
    m.bom = true;
    m.columns = {"customer_id", "offer_code"};
    m.plan_json = "plan.json";
    m.rows = 5;
    m.files = {{"email", "plan.email.csv", 3, 2, 1}, {"sms", "plan.sms.csv", 2, 2, 0}};
    const std::string text = uplift::artifacts::to_json(m);
    CHECK(uplift::artifacts::plan_manifest_from_json(text, "m.json") == m);
    CHECK(text.back() == '\n');
    CHECK_THROWS_AS(uplift::artifacts::plan_manifest_from_json("{\"split_by\": 1}", "m.json"), uplift::DataError);
}

TEST_CASE("the command: --split-by writes one plain CSV per value beside a manifest, all or nothing",
          "[optimize][crm][cli]") {
    const fs::path dir = fresh_dir("split");
    const fs::path scores = write_scores(dir, 400, 5);
    const std::string base = "optimize -s " + scores.string() + " --budget 40" + two_offers;
    run_cli(base + " -o " + (dir / "plan.csv").string() + " --split-by channel --id-col customer_id");
    CHECK_FALSE(fs::exists(dir / "plan.csv"));
    const auto manifest =
        uplift::artifacts::plan_manifest_from_json(slurp(dir / "plan.manifest.json"), "plan.manifest.json");
    const auto plan = nlohmann::json::parse(slurp(dir / "plan.json"));
    REQUIRE(manifest.files.size() == 2);
    CHECK(manifest.files[0].file == "plan.email.csv");
    CHECK(manifest.files[1].file == "plan.sms.csv");
    CHECK(manifest.plan_json == "plan.json");
    CHECK(manifest.rows == plan["contacts"].get<std::int64_t>());
    std::int64_t sum = 0;
    for (const auto& f : manifest.files) {
        // Each file imports as plain CSV: our own reader finds the header and every row.
        const auto table = uplift::io::read_table(dir / f.file);
        CHECK(table.num_rows() == static_cast<std::size_t>(f.rows));
        CHECK(table.column_names().front() == "customer_id");
        for (const auto& channel : table.find("channel")->to_texts()) CHECK(channel == f.value);
        sum += f.rows;
    }
    CHECK(sum == manifest.rows);
    CHECK(slurp(dir / "plan.email.csv").find(",SPRING10,percent,10%,email,contact,") != std::string::npos);
    // The same files at another thread count, byte for byte.
    run_cli(base + " -o " + (dir / "again.csv").string() + " --split-by channel --id-col customer_id --threads 1");
    CHECK(slurp(dir / "again.email.csv") == slurp(dir / "plan.email.csv"));
    CHECK(slurp(dir / "again.sms.csv") == slurp(dir / "plan.sms.csv"));

    // By offer code, as Parquet.
    run_cli(base + " -o " + (dir / "byoffer.parquet").string() + " --split-by offer");
    CHECK(fs::exists(dir / "byoffer.SPRING10.parquet"));
    CHECK(fs::exists(dir / "byoffer.B.parquet"));
    CHECK(fs::exists(dir / "byoffer.manifest.json"));

    // A part that cannot be written (a folder under its name) fails before any work: no file of the run appears.
    fs::create_directories(dir / "blocked.sms.csv");
    CHECK_THROWS(run_cli(base + " -o " + (dir / "blocked.csv").string() + " --split-by channel --overwrite"));
    CHECK_FALSE(fs::exists(dir / "blocked.email.csv"));
    CHECK_FALSE(fs::exists(dir / "blocked.manifest.json"));
    CHECK_FALSE(fs::exists(dir / "blocked.json"));
}

TEST_CASE("the command: a budget below every contact exits as bad data and writes nothing", "[optimize][crm][cli]") {
    const fs::path dir = fresh_dir("tiny_budget");
    const fs::path scores = write_scores(dir, 50, 2);
    CHECK_THROWS_WITH(run_cli("optimize -s " + scores.string() + " --budget 0.05 --contact-cost 0.1 --value 2 -q -o " +
                              (dir / "plan.csv").string()),
                      Catch::Contains("budget 0.05 is below the cheapest contact's cost 0.1 (offer 'A', channel "
                                      "'default')"));
    CHECK_FALSE(fs::exists(dir / "plan.csv"));
    CHECK_FALSE(fs::exists(dir / "plan.json"));
}

TEST_CASE("the command: --rank-by response writes the priority list and compares it in plan.json",
          "[optimize][crm][cli]") {
    const fs::path dir = fresh_dir("response");
    const fs::path scores = write_scores(dir, 500, 8);
    run_cli("optimize -s " + scores.string() + " --budget 1000" + two_offers +
            " --rank-by response --min-p 0.5 --columns id,offer_code,purchase_probability,rank -o " +
            (dir / "list.csv").string());
    const auto lines = lines_of(slurp(dir / "list.csv"));
    REQUIRE(lines.size() > 2);
    CHECK(lines[0] == "client_id,offer_code,purchase_probability,rank");
    double previous = 1;
    for (std::size_t r = 1; r < lines.size(); ++r) {
        const double p = std::stod(lines[r].substr(lines[r].find_last_of(',', lines[r].rfind(',') - 1) + 1));
        CHECK(p > 0.5);
        CHECK(p <= previous);
        previous = p;
    }
    const auto j = nlohmann::json::parse(slurp(dir / "list.json"));
    const auto back = uplift::artifacts::plan_from_json(slurp(dir / "list.json"), "list.json");
    REQUIRE(back.response_list);
    const auto& rl = *back.response_list;
    CHECK(rl.min_p == 0.5);
    CHECK(rl.list.figures.contacts == static_cast<double>(lines.size() - 1));
    CHECK(rl.uplift_plan.figures.contacts.value() <= *rl.list.figures.contacts);  // the same size at most
    CHECK(rl.uplift_plan.figures.profit.value() >= *rl.list.figures.profit);       // it cannot do worse
    CHECK(rl.list.non_positive_uplift > 0);  // p_t > 0.5 picks clients who buy anyway, some with uplift ≤ 0
    CHECK(rl.list.non_positive_uplift_share.value() > 0);
    CHECK(rl.uplift_plan.non_positive_uplift == 0);
    CHECK(j["response_list"]["list"].contains("useless_discount_share"));
    CHECK(uplift::artifacts::to_json(back) == slurp(dir / "list.json"));
}
