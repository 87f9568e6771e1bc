// simulate: the files are the contract of docs/retail_schema.md, so these tests read them back as text with
// their own small parser (not the generator's code) and check counts, dirt, truth and determinism.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/outcomes.hpp"
#include "uplift/simulate/series.hpp"
#include "uplift/simulate/simulate.hpp"

#include "cli_common.hpp"
#include "commands.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace sim = uplift::simulate;

namespace {

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_simulate", name); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

using Row = std::vector<std::string>;

/// Header line and rows of one of our CSV files (no quoting: simulate never writes commas in fields).
struct Csv {
    std::string header;
    std::vector<Row> rows;
};

Csv read_csv(const fs::path& p) {
    Csv csv;
    std::ifstream in(p, std::ios::binary);
    std::string line;
    std::getline(in, csv.header);
    while (std::getline(in, line)) {
        Row row;
        std::string field;
        for (char c : line) {
            if (c == ',') {
                row.push_back(field);
                field.clear();
            } else {
                field.push_back(c);
            }
        }
        row.push_back(field);
        csv.rows.push_back(std::move(row));
    }
    return csv;
}

/// Strict "YYYY-MM-DD HH:MM:SS" → seconds since the epoch; false for anything else.
bool parse_datetime(const std::string& t, std::int64_t& seconds) {
    if (t.size() != 19 || t[10] != ' ' || t[13] != ':' || t[16] != ':') return false;
    std::int32_t days = 0;
    if (!uplift::io::parse_date(t.substr(0, 10), days)) return false;
    const auto two = [&](std::size_t i) {
        return std::isdigit(static_cast<unsigned char>(t[i])) && std::isdigit(static_cast<unsigned char>(t[i + 1]))
                   ? (t[i] - '0') * 10 + (t[i + 1] - '0')
                   : 99;
    };
    const int h = two(11), m = two(14), s = two(17);
    if (h > 23 || m > 59 || s > 59) return false;
    seconds = std::int64_t{days} * 86400 + h * 3600 + m * 60 + s;
    return true;
}

/// "0.123456" → 123456 (six decimals exactly, as truth.csv writes them; sign allowed).
std::int64_t micro(const std::string& t) {
    const bool negative = !t.empty() && t[0] == '-';
    const std::string u = negative ? t.substr(1) : t;
    REQUIRE(u.size() == 8);
    REQUIRE(u[1] == '.');
    const std::int64_t v = (u[0] - '0') * 1'000'000 + std::stoll(u.substr(2));
    return negative ? -v : v;
}

/// Cents from "123.45" / "-123.45".
std::int64_t cents(const std::string& t) {
    const auto dot = t.find('.');
    REQUIRE(dot != std::string::npos);
    REQUIRE(t.size() == dot + 3);
    const bool negative = t[0] == '-';
    const std::int64_t whole = std::stoll(t.substr(negative ? 1 : 0, dot - (negative ? 1 : 0)));
    const std::int64_t v = whole * 100 + std::stoll(t.substr(dot + 1));
    return negative ? -v : v;
}

sim::SimulateOptions options(const fs::path& out, std::uint64_t clients, int threads, std::uint64_t seed = 42) {
    sim::SimulateOptions o;
    o.clients = clients;
    o.out = out;
    o.threads = threads;
    o.seed = seed;
    return o;
}

nlohmann::json summary(const fs::path& dir) { return nlohmann::json::parse(slurp(dir / "simulate.json")); }

const std::vector<std::string> table_files = {"clients.csv",  "products.csv",  "purchases.csv",
                                              "campaign.csv", "truth.csv",     "simulate.json"};

/// First line of a file.
std::string header_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string line;
    std::getline(in, line);
    return line;
}

/// One moderate run (3000 clients) shared by the read-only checks of this process. CTest runs each
/// case in its own process, possibly two at once, so the folder is per process and removed at exit.
const fs::path& shared_run() {
    struct Run {
        fs::path root = fresh_dir("shared");
        fs::path out = root / "out";
        Run() { sim::simulate_retail(options(out, 3000, 2, 7)); }
        ~Run() {
            std::error_code ignored;
            fs::remove_all(root, ignored);
        }
    };
    static const Run run;
    return run.out;
}

}  // namespace

TEST_CASE("simulate: headers are exactly the contract's", "[simulate]") {
    const fs::path& d = shared_run();
    REQUIRE(header_of(d / "clients.csv") == "client_id,first_issue_date,first_redeem_date,age,gender");
    REQUIRE(header_of(d / "products.csv") ==
            "product_id,level_1,level_2,level_3,level_4,segment_id,brand_id,vendor_id,netto,is_own_trademark,is_alcohol");
    REQUIRE(header_of(d / "purchases.csv") ==
            "client_id,transaction_id,transaction_datetime,regular_points_received,express_points_received,"
            "regular_points_spent,express_points_spent,purchase_sum,store_id,product_id,product_quantity,"
            "trn_sum_from_iss,trn_sum_from_red");
    REQUIRE(header_of(d / "campaign.csv") == "client_id,treatment_flg,target");
    REQUIRE(header_of(d / "truth.csv") == "client_id,p_control,p_treatment,uplift,kind,true_gender");
    for (const auto& name : table_files) REQUIRE(fs::exists(d / name));
}

TEST_CASE("simulate: same seed gives the same bytes whatever the thread count, another seed differs", "[simulate]") {
    const fs::path root = fresh_dir("threads");
    sim::simulate_retail(options(root / "t1", 1500, 1));
    sim::simulate_retail(options(root / "t3", 1500, 3));
    sim::simulate_retail(options(root / "s2", 1500, 2, 43));
    for (const auto& name : table_files) {
        INFO(name);
        REQUIRE(slurp(root / "t1" / name) == slurp(root / "t3" / name));
    }
    REQUIRE(slurp(root / "t1" / "purchases.csv") != slurp(root / "s2" / "purchases.csv"));
    fs::remove_all(root);
}

TEST_CASE("simulate: row counts in simulate.json match the files and add up", "[simulate]") {
    const fs::path& d = shared_run();
    const auto j = summary(d);
    const auto clients = read_csv(d / "clients.csv");
    const auto purchases = read_csv(d / "purchases.csv");
    REQUIRE(j["clients"] == 3000);
    REQUIRE(j["rows"]["clients"] == clients.rows.size());
    REQUIRE(j["rows"]["products"] == read_csv(d / "products.csv").rows.size());
    REQUIRE(j["rows"]["purchases"] == purchases.rows.size());
    REQUIRE(j["rows"]["campaign"] == 3000);
    REQUIRE(read_csv(d / "campaign.csv").rows.size() == 3000);
    REQUIRE(read_csv(d / "truth.csv").rows.size() == 3000);
    // clients rows = distinct clients + repeated ids
    std::set<std::string> ids;
    for (const auto& r : clients.rows) ids.insert(r[0]);
    REQUIRE(ids.size() == 3000);
    REQUIRE(clients.rows.size() == 3000 + j["dirty"]["clients_duplicate_id"].get<std::size_t>());
    std::set<std::string> transactions;
    for (const auto& r : purchases.rows) transactions.insert(r[1]);
    REQUIRE(j["transactions"] == transactions.size());
    std::int64_t kinds = 0;
    for (const auto& [kind, n] : j["kinds"].items()) kinds += n.get<std::int64_t>();
    REQUIRE(kinds == 3000);
    REQUIRE(j["cutoff"] == "2019-03-19");
}

TEST_CASE("simulate: dirty rows are present in exactly the numbers simulate.json states", "[simulate]") {
    const fs::path& d = shared_run();
    const auto dirty = summary(d)["dirty"];
    const auto clients = read_csv(d / "clients.csv");
    std::map<std::string, int> seen;
    std::int64_t duplicates = 0;
    std::int64_t bad_issue = 0;
    for (const auto& r : clients.rows) {
        REQUIRE(r.size() == 5);
        if (++seen[r[0]] > 1) ++duplicates;
        std::int64_t s = 0;
        if (!parse_datetime(r[1], s)) ++bad_issue;
    }
    const auto purchases = read_csv(d / "purchases.csv");
    std::int64_t bad_dates = 0;
    std::int64_t negative = 0;
    std::int64_t orphan_rows = 0;
    std::set<std::string> orphans;
    for (const auto& r : purchases.rows) {
        REQUIRE(r.size() == 13);
        std::int64_t s = 0;
        if (!parse_datetime(r[2], s)) ++bad_dates;
        if (cents(r[7]) < 0 || cents(r[11]) < 0) ++negative;
        if (!seen.count(r[0])) {
            ++orphan_rows;
            orphans.insert(r[0]);
        }
    }
    REQUIRE(duplicates > 0);
    REQUIRE(bad_issue > 0);
    REQUIRE(bad_dates > 0);
    REQUIRE(negative > 0);
    REQUIRE(orphan_rows > 0);
    CHECK(dirty["clients_duplicate_id"] == duplicates);
    CHECK(dirty["clients_bad_date"] == bad_issue);
    CHECK(dirty["purchases_bad_datetime"] == bad_dates);
    CHECK(dirty["purchases_negative_sum"] == negative);
    CHECK(dirty["purchases_orphan"] == orphan_rows);
    CHECK(dirty["orphan_clients"] == orphans.size());
    // A small share: well under 1% of purchase rows are damaged (orphans aside).
    REQUIRE(static_cast<double>(bad_dates + negative) < 0.001 * static_cast<double>(purchases.rows.size()));
}

TEST_CASE("simulate: clean purchase rows are consistent and inside the history", "[simulate]") {
    const fs::path& d = shared_run();
    std::int64_t first = 0;
    std::int64_t end = 0;
    REQUIRE(parse_datetime("2018-11-21 00:00:00", first));
    REQUIRE(parse_datetime("2019-03-19 00:00:00", end));
    std::map<std::string, std::int64_t> line_total;
    std::map<std::string, std::int64_t> receipt_total;
    std::set<std::string> damaged;
    for (const auto& r : read_csv(d / "purchases.csv").rows) {
        std::int64_t t = 0;
        const bool date_ok = parse_datetime(r[2], t);
        if (!date_ok || cents(r[7]) < 0) {
            damaged.insert(r[1]);
            continue;
        }
        REQUIRE(t >= first);
        REQUIRE(t < end);
        REQUIRE(std::stod(r[5]) <= 0);  // points spent are <= 0 (X5 convention)
        REQUIRE(std::stod(r[6]) <= 0);
        REQUIRE(cents(r[11]) >= 100);
        if (!r[12].empty()) REQUIRE(std::stod(r[5]) < 0);  // paid with points only when points were spent
        line_total[r[1]] += cents(r[11]);
        receipt_total[r[1]] = cents(r[7]);
    }
    std::size_t checked = 0;
    for (const auto& [transaction, total] : line_total) {
        if (damaged.count(transaction)) continue;
        INFO(transaction);
        REQUIRE(total == receipt_total[transaction]);  // purchase_sum = sum of the lines' trn_sum_from_iss
        ++checked;
    }
    REQUIRE(checked > 1000);
}

TEST_CASE("simulate: truth is consistent and the kinds have their signs", "[simulate]") {
    const fs::path& d = shared_run();
    std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> by_kind;
    for (const auto& r : read_csv(d / "truth.csv").rows) {
        REQUIRE(r.size() == 6);
        const std::int64_t pc = micro(r[1]);
        const std::int64_t pt = micro(r[2]);
        REQUIRE(micro(r[3]) == pt - pc);
        REQUIRE(pc > 0);
        REQUIRE(pc < 1'000'000);
        REQUIRE(pt > 0);
        REQUIRE(pt < 1'000'000);
        by_kind[r[4]].emplace_back(pc, pt);
    }
    REQUIRE(by_kind.size() == 4);
    const auto mean_pc = [&](const std::string& k) {
        double s = 0;
        for (const auto& [pc, pt] : by_kind[k]) s += static_cast<double>(pc) / 1e6;
        return s / static_cast<double>(by_kind[k].size());
    };
    for (const auto& [pc, pt] : by_kind["persuadable"]) REQUIRE(pt - pc > 50'000);
    for (const auto& [pc, pt] : by_kind["sleeping_dog"]) REQUIRE(pt - pc < 0);
    for (const auto& [pc, pt] : by_kind["sure_thing"]) REQUIRE((pt - pc >= 0 && pt - pc <= 40'000));
    for (const auto& [pc, pt] : by_kind["lost_cause"]) REQUIRE((pt - pc >= 0 && pt - pc <= 30'000));
    REQUIRE(mean_pc("sure_thing") > 0.6);
    REQUIRE(mean_pc("lost_cause") < 0.15);
    // Sleeping dogs are a minority.
    REQUIRE(by_kind["sleeping_dog"].size() < by_kind["persuadable"].size() / 2);
}

TEST_CASE("simulate: outcomes follow the truth and the arms are a fair coin", "[simulate]") {
    const fs::path& d = shared_run();
    const auto truth = read_csv(d / "truth.csv");
    const auto campaign = read_csv(d / "campaign.csv");
    REQUIRE(truth.rows.size() == campaign.rows.size());
    double expected = 0;  // sum over clients of the probability of the arm they got
    double variance = 0;
    double observed = 0;
    std::int64_t treated = 0;
    for (std::size_t i = 0; i < truth.rows.size(); ++i) {
        REQUIRE(truth.rows[i][0] == campaign.rows[i][0]);
        const bool t = campaign.rows[i][1] == "1";
        REQUIRE((campaign.rows[i][1] == "0" || t));
        REQUIRE((campaign.rows[i][2] == "0" || campaign.rows[i][2] == "1"));
        treated += t ? 1 : 0;
        const double p = static_cast<double>(micro(truth.rows[i][t ? 2 : 1])) / 1e6;
        expected += p;
        variance += p * (1 - p);
        observed += campaign.rows[i][2] == "1" ? 1 : 0;
    }
    REQUIRE(std::abs(observed - expected) < 4 * std::sqrt(variance));
    REQUIRE(std::abs(static_cast<double>(treated) - 1500) < 4 * std::sqrt(750.0));
}

TEST_CASE("simulate: the history reveals the kind (discount-seekers spend points, lapsed clients stop)", "[simulate]") {
    const fs::path& d = shared_run();
    std::map<std::string, std::string> kind;
    for (const auto& r : read_csv(d / "truth.csv").rows) kind[r[0]] = r[4];
    struct Habit {
        std::set<std::string> transactions, spending;
        std::int64_t last = 0;
    };
    std::map<std::string, Habit> habit;
    for (const auto& r : read_csv(d / "purchases.csv").rows) {
        std::int64_t t = 0;
        if (!kind.count(r[0]) || !parse_datetime(r[2], t)) continue;
        Habit& h = habit[r[0]];
        h.transactions.insert(r[1]);
        if (std::stod(r[5]) < 0) h.spending.insert(r[1]);
        h.last = std::max(h.last, t);
    }
    std::int64_t end = 0;
    REQUIRE(parse_datetime("2019-03-19 00:00:00", end));
    std::map<std::string, double> share, visits, recency, n;
    for (const auto& [id, h] : habit) {
        const std::string& k = kind[id];
        share[k] += static_cast<double>(h.spending.size()) / static_cast<double>(h.transactions.size());
        visits[k] += static_cast<double>(h.transactions.size());
        recency[k] += static_cast<double>(end - h.last) / 86400.0;
        n[k] += 1;
    }
    for (auto* m : {&share, &visits, &recency}) {
        for (auto& [k, v] : *m) v /= n[k];
    }
    REQUIRE(share["persuadable"] > 2 * share["sure_thing"]);
    REQUIRE(share["persuadable"] > 5 * share["sleeping_dog"]);
    REQUIRE(visits["sure_thing"] > 1.8 * visits["persuadable"]);
    REQUIRE(recency["lost_cause"] > 3 * recency["persuadable"]);
}

TEST_CASE("simulate: about 112 purchase lines per client on average", "[simulate]") {
    const fs::path d = fresh_dir("mean") / "out";
    sim::simulate_retail(options(d, 12000, 2, 11));
    const auto j = summary(d);
    fs::remove_all(d.parent_path());
    const double clean = j["rows"]["purchases"].get<double>() - j["dirty"]["purchases_orphan"].get<double>();
    const double mean = clean / 12000.0;
    INFO("mean lines per client " << mean);
    REQUIRE(mean > 104);
    REQUIRE(mean < 120);
}

TEST_CASE("simulate: transaction counts are over-dispersed", "[simulate]") {
    // Gamma-Poisson: the variance of the clients' transaction counts is well above their mean (Poisson: equal).
    std::map<std::string, std::set<std::string>> per_client;
    for (const auto& r : read_csv(shared_run() / "purchases.csv").rows) per_client[r[0]].insert(r[1]);
    double s = 0, ss = 0;
    for (const auto& [id, t] : per_client) {
        s += static_cast<double>(t.size());
        ss += static_cast<double>(t.size() * t.size());
    }
    const double m = s / static_cast<double>(per_client.size());
    const double var = ss / static_cast<double>(per_client.size()) - m * m;
    INFO("mean " << m << " variance " << var);
    REQUIRE(var > 5 * m);
}

TEST_CASE("simulate: refuses an existing folder without overwrite, replaces it with", "[simulate]") {
    const fs::path d = fresh_dir("overwrite") / "out";
    sim::simulate_retail(options(d, 50, 1));
    REQUIRE_THROWS_AS(sim::simulate_retail(options(d, 60, 1)), uplift::UsageError);
    REQUIRE(summary(d)["clients"] == 50);
    auto o = options(d, 60, 1);
    o.overwrite = true;
    sim::simulate_retail(o);
    REQUIRE(summary(d)["clients"] == 60);
    // Nothing but the folder itself is left beside it (no temporary).
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(d.parent_path())) ++entries;
    REQUIRE(entries == 1);
    REQUIRE_THROWS_AS(sim::simulate_retail(options(d.parent_path() / "no" / "such", 5, 1)), uplift::IoError);
    REQUIRE_THROWS_AS(sim::simulate_retail(options(d.parent_path() / "zero", 0, 1)), uplift::UsageError);
    REQUIRE_THROWS_AS(sim::parse_cutoff("2019-02-30", "--cutoff"), uplift::UsageError);
    fs::remove_all(d.parent_path());
}

TEST_CASE("simulate: --cutoff moves the history to end the day before", "[simulate]") {
    const fs::path d = fresh_dir("cutoff") / "out";
    auto o = options(d, 200, 1);
    o.cutoff = sim::parse_cutoff("2020-06-01", "--cutoff");
    sim::simulate_retail(o);
    REQUIRE(summary(d)["cutoff"] == "2020-06-01");
    REQUIRE(summary(d)["history_end"] == "2020-05-31");
    std::int64_t end = 0;
    REQUIRE(parse_datetime("2020-06-01 00:00:00", end));
    std::int64_t latest = 0;
    for (const auto& r : read_csv(d / "purchases.csv").rows) {
        std::int64_t t = 0;
        if (parse_datetime(r[2], t)) latest = std::max(latest, t);
    }
    REQUIRE(latest < end);
    REQUIRE(latest > end - 7 * 86400);
    fs::remove_all(d.parent_path());
}

TEST_CASE("simulate: Parquet holds the CSV's rows as text, deterministically", "[simulate]") {
    const fs::path root = fresh_dir("parquet");
    sim::simulate_retail(options(root / "csv", 400, 1));
    auto o = options(root / "pq1", 400, 1);
    o.format = sim::TableFormat::Parquet;
    sim::simulate_retail(o);
    o.out = root / "pq2";
    o.threads = 2;
    sim::simulate_retail(o);
    uplift::io::Session session;
    for (const std::string table : {"clients", "products", "purchases", "campaign"}) {
        INFO(table);
        REQUIRE(fs::exists(root / "pq1" / (table + ".parquet")));
        REQUIRE_FALSE(fs::exists(root / "pq1" / (table + ".csv")));
        REQUIRE(slurp(root / "pq1" / (table + ".parquet")) == slurp(root / "pq2" / (table + ".parquet")));
        const auto csv_rows = read_csv(root / "csv" / (table + ".csv")).rows.size();
        const auto t = session.query("SELECT count(*) AS n FROM read_parquet('" +
                                     (root / "pq1" / (table + ".parquet")).string() + "')");
        REQUIRE(t.column("n").int64_values()[0] == static_cast<std::int64_t>(csv_rows));
    }
    // The first purchase row reads back field for field, empty fields as NULL.
    const auto first = read_csv(root / "csv" / "purchases.csv").rows[0];
    const auto t = session.query("SELECT * FROM read_parquet('" + (root / "pq1" / "purchases.parquet").string() +
                                 "') LIMIT 1");
    for (std::size_t c = 0; c < first.size(); ++c) {
        INFO("column " << c);
        if (first[c].empty()) {
            REQUIRE_FALSE(t.columns()[c].is_valid(0));
        } else {
            REQUIRE(t.columns()[c].text_at(0) == first[c]);
        }
    }
    REQUIRE(slurp(root / "pq1" / "truth.csv") == slurp(root / "csv" / "truth.csv"));
    fs::remove_all(root);
}

TEST_CASE("simulate: the command line parses into a run step, bad values are parse errors", "[simulate][cli]") {
    const auto parse = [](const std::string& line) {
        CLI::App app{"upliftctl", "upliftctl"};
        upliftctl::Invocation invocation;
        upliftctl::register_commands(app, invocation);
        app.parse(line, false);
        return std::make_pair(static_cast<bool>(invocation.run), invocation.global);
    };
    const auto [has_run, global] = parse("simulate --clients 10 --out x --format parquet --seed 3 --threads 2");
    REQUIRE(has_run);
    REQUIRE(global.seed == 3);
    REQUIRE(global.threads == 2);
    REQUIRE_THROWS_AS(parse("simulate --clients 0 --out x"), CLI::ValidationError);
    REQUIRE_THROWS_AS(parse("simulate --clients 10 --out x --format xlsx"), CLI::ValidationError);
    // --clients is required by the generating forms only (not by --continue or --outcomes-for).
    REQUIRE_THROWS_AS(parse("simulate --out x"), CLI::ValidationError);
    REQUIRE(parse("simulate --clients 10 --months 3 --drift basket=1.3 --drift-from-month 2 -o s").first);
    REQUIRE(parse("simulate --continue s").first);
    REQUIRE(parse("simulate --outcomes-for plan.csv --truth s/month-02/truth.csv -o outcomes.csv").first);
    // Flags of one form with another's, or a series flag without --months, are usage errors at parse time.
    REQUIRE_THROWS_AS(parse("simulate --continue s --clients 10"), CLI::ValidationError);
    REQUIRE_THROWS_AS(parse("simulate --continue s --seed 4"), CLI::ValidationError);
    REQUIRE_THROWS_AS(parse("simulate --clients 10 -o x --drift basket=2 --drift-from-month 2"), CLI::ValidationError);
    REQUIRE_THROWS_AS(parse("simulate --outcomes-for plan.csv -o o.csv"), CLI::ValidationError);
    REQUIRE_THROWS_AS(parse("simulate --clients 10 --months 100 -o x"), CLI::ValidationError);
}

TEST_CASE("simulate: a failing writer stops the block makers and leaves no output", "[simulate]") {
    // 6 blocks on one maker: the window holds 4, so the maker is waiting for a free slot when the writer
    // fails after the first block. The run must end (not hang) with the writer's error.
    const fs::path d = fresh_dir("writer_fails") / "out";
    auto o = options(d, 6 * sim::clients_per_block, 1);
    o.progress = [](std::uint64_t done, std::uint64_t) {
        if (done == 1) throw uplift::IoError("disk full (test)");
    };
    REQUIRE_THROWS_WITH(sim::simulate_retail(o), "disk full (test)");
    CHECK(!fs::exists(d));
    fs::remove_all(d.parent_path());
}

// --- the month series (--months, --continue, --drift, --outcomes-for) ----------------------------------------

namespace {

sim::SeriesOptions series(const fs::path& out, int months, int threads, sim::SeriesDrift drift = {}) {
    sim::SeriesOptions o;
    o.clients = 800;
    o.new_clients = 40;
    o.months = months;
    o.out = out;
    o.seed = 11;
    o.threads = threads;
    o.drift = drift;
    return o;
}

/// Seconds of a row's transaction_datetime; nullopt when it is one of the deliberately bad dates.
std::optional<std::int64_t> when(const Row& purchase) {
    std::int64_t s = 0;
    return parse_datetime(purchase[2], s) ? std::optional(s) : std::nullopt;
}

std::int64_t midnight(const std::string& date) {
    std::int32_t days = 0;
    REQUIRE(uplift::io::parse_date(date, days));
    return std::int64_t{days} * 86400;
}

std::multiset<Row> rows_of(const fs::path& p) {
    const Csv c = read_csv(p);
    return {c.rows.begin(), c.rows.end()};
}

std::set<std::string> ids_of(const fs::path& p) {
    std::set<std::string> ids;
    for (const Row& r : read_csv(p).rows) ids.insert(r[0]);
    return ids;
}

/// A series shared by the read-only checks: 3 months, no drift.
const fs::path& shared_series() {
    struct Run {
        fs::path root = fresh_dir("series");
        fs::path out = root / "s";
        Run() { sim::simulate_series(series(out, 3, 2)); }
        ~Run() {
            std::error_code ec;
            fs::remove_all(root, ec);
        }
    };
    static const Run run;
    return run.out;
}

double share_of_kind(const fs::path& truth, const std::string& kind) {
    const Csv c = read_csv(truth);
    double n = 0;
    for (const Row& r : c.rows) n += r[4] == kind ? 1 : 0;
    return n / static_cast<double>(c.rows.size());
}

}  // namespace

TEST_CASE("simulate series: month cutoffs are calendar months, clamped to the month's length", "[simulate][series]") {
    const auto at = [](const char* first, int month) {
        return uplift::io::format_date(sim::month_cutoff(static_cast<std::int32_t>(midnight(first) / 86400), month));
    };
    CHECK(at("2019-03-19", 1) == "2019-03-19");
    CHECK(at("2019-03-19", 2) == "2019-04-19");
    CHECK(at("2019-11-19", 3) == "2020-01-19");
    CHECK(at("2019-01-31", 2) == "2019-02-28");
    CHECK(at("2019-01-31", 3) == "2019-03-31");
    CHECK(at("2020-01-31", 2) == "2020-02-29");
    CHECK(sim::month_folder(7) == "month-07");
}

TEST_CASE("simulate series: each month continues the last one's history, clients and catalogue", "[simulate][series]") {
    const fs::path& s = shared_series();
    for (int k = 1; k <= 2; ++k) {
        const fs::path now = s / sim::month_folder(k);
        const fs::path next = s / sim::month_folder(k + 1);
        const auto j = summary(now);
        const std::string cutoff = j["cutoff"].get<std::string>();
        CHECK(summary(next)["cutoff"].get<std::string>() == uplift::io::format_date(sim::month_cutoff(17974, k + 1)));
        // Purchases: month k+1 holds every row of month k, and its other rows are dated at or after k's cutoff.
        const auto old_rows = rows_of(now / "purchases.csv");
        auto new_rows = rows_of(next / "purchases.csv");
        REQUIRE(new_rows.size() > old_rows.size());
        for (const Row& r : old_rows) {
            const auto it = new_rows.find(r);
            REQUIRE(it != new_rows.end());
            new_rows.erase(it);
        }
        std::int64_t dirty = 0;
        for (const Row& r : new_rows) {
            const auto t = when(r);
            if (!t) {
                ++dirty;
                continue;
            }
            REQUIRE(*t >= midnight(cutoff));
            REQUIRE(*t < midnight(summary(next)["cutoff"].get<std::string>()));
        }
        CHECK(dirty <= 10);
        // Clients persist and 40 new ones appear, in clients, campaign and truth alike, with cards issued in
        // the month before the new cutoff.
        const auto old_ids = ids_of(now / "clients.csv");
        const auto new_ids = ids_of(next / "clients.csv");
        REQUIRE(std::includes(new_ids.begin(), new_ids.end(), old_ids.begin(), old_ids.end()));
        CHECK(new_ids.size() == old_ids.size() + 40);
        CHECK(ids_of(next / "campaign.csv") == new_ids);
        CHECK(ids_of(next / "truth.csv") == new_ids);
        CHECK(summary(next)["new_clients"] == 40);
        for (const Row& r : read_csv(next / "clients.csv").rows) {
            if (old_ids.count(r[0]) > 0) continue;
            std::int64_t issued = 0;
            if (!parse_datetime(r[1], issued)) continue;  // a deliberately bad date
            CHECK(issued >= midnight(cutoff));
        }
        CHECK(slurp(next / "products.csv") == slurp(now / "products.csv"));
    }
}

TEST_CASE("simulate series: a month's campaign responders make their purchase in the next month", "[simulate][series]") {
    const fs::path& s = shared_series();
    const std::int64_t c1 = midnight("2019-03-19");
    std::set<std::string> bought_after;
    for (const Row& r : read_csv(s / "month-02" / "purchases.csv").rows) {
        const auto t = when(r);
        if (t && *t >= c1 && *t < c1 + 14 * 86400) bought_after.insert(r[0]);
    }
    for (const Row& r : read_csv(s / "month-01" / "campaign.csv").rows) {
        if (r[2] == "1") REQUIRE(bought_after.count(r[0]) == 1);
    }
}

TEST_CASE("simulate series: --continue writes the month --months K+1 would, at any thread count", "[simulate][series]") {
    const fs::path root = fresh_dir("series_continue");
    sim::simulate_series(series(root / "two", 2, 1));
    const auto m = sim::continue_series(root / "two", 2, {});
    CHECK(m.month == 3);
    const fs::path& three = shared_series();
    for (int k = 1; k <= 3; ++k) {
        for (const auto& f : table_files) {
            INFO(sim::month_folder(k) << "/" << f);
            REQUIRE(slurp(root / "two" / sim::month_folder(k) / f) == slurp(three / sim::month_folder(k) / f));
        }
    }
    // A folder that is not a series, or a series with a gap, is refused.
    REQUIRE_THROWS_AS(sim::continue_series(root / "nothing", 1, {}), uplift::UsageError);
    fs::create_directories(root / "two" / "month-05");
    REQUIRE_THROWS_AS(sim::continue_series(root / "two", 1, {}), uplift::UsageError);
    fs::remove_all(root);
}

TEST_CASE("simulate series: basket drift scales the drifted months' baskets only, not the truth", "[simulate][series]") {
    const fs::path root = fresh_dir("series_basket");
    sim::SeriesDrift drift;
    drift.basket = 1.5;
    drift.from_month = 3;
    sim::simulate_series(series(root / "d", 3, 2, drift));
    const fs::path& plain = shared_series();
    for (const char* f : {"purchases.csv", "truth.csv", "campaign.csv"}) {
        CHECK(slurp(root / "d" / "month-02" / f) == slurp(plain / "month-02" / f));
    }
    CHECK(slurp(root / "d" / "month-03" / "truth.csv") == slurp(plain / "month-03" / "truth.csv"));
    // Month 3: rows before month 2's cutoff as before; after it, the mean transaction value is 1.5 times.
    const std::int64_t c2 = midnight("2019-04-19");
    const auto mean_after = [&](const fs::path& p, std::multiset<Row>& before) {
        double sum = 0;
        double n = 0;
        for (const Row& r : read_csv(p).rows) {
            const auto t = when(r);
            if (!t || r[7][0] == '-') continue;
            if (*t < c2) {
                before.insert(r);
            } else {
                sum += static_cast<double>(cents(r[11]));
                ++n;
            }
        }
        return sum / n;
    };
    std::multiset<Row> drifted_before;
    std::multiset<Row> plain_before;
    const double ratio = mean_after(root / "d" / "month-03" / "purchases.csv", drifted_before) /
                         mean_after(plain / "month-03" / "purchases.csv", plain_before);
    CHECK(drifted_before == plain_before);
    CHECK(ratio > 1.35);
    CHECK(ratio < 1.65);
    fs::remove_all(root);
}

TEST_CASE("simulate series: discount-seekers drift raises their share from the month given", "[simulate][series]") {
    const fs::path root = fresh_dir("series_seekers");
    sim::SeriesDrift drift;
    drift.discount_seekers = 0.2;
    drift.from_month = 2;
    const auto months = sim::simulate_series(series(root / "d", 2, 2, drift));
    const fs::path& plain = shared_series();
    for (const auto& f : table_files) {
        if (f != "simulate.json") CHECK(slurp(root / "d" / "month-01" / f) == slurp(plain / "month-01" / f));
    }
    const double before = share_of_kind(plain / "month-02" / "truth.csv", "persuadable");
    const double after = share_of_kind(root / "d" / "month-02" / "truth.csv", "persuadable");
    CHECK(after - before > 0.15);
    CHECK(after - before < 0.25);
    CHECK(months[1].counts.switched > 0);
    CHECK(summary(root / "d" / "month-02")["switched_to_discount-seekers"].is_null());
    CHECK(summary(root / "d" / "month-02")["switched_to_discount_seekers"] == months[1].counts.switched);
    // The switched clients' habits show in the data: more receipts with points spent in month 2's new month.
    const auto points_share = [](const fs::path& p) {
        double spent = 0;
        double n = 0;
        for (const Row& r : read_csv(p).rows) {
            const auto t = when(r);
            if (!t || *t < midnight("2019-03-19")) continue;
            spent += r[5] != "0.0" ? 1 : 0;
            ++n;
        }
        return spent / n;
    };
    CHECK(points_share(root / "d" / "month-02" / "purchases.csv") >
          points_share(plain / "month-02" / "purchases.csv") + 0.03);
    REQUIRE_THROWS_AS(sim::parse_drift("basket=0", drift), uplift::UsageError);
    REQUIRE_THROWS_AS(sim::parse_drift("discount-seekers=0.9", drift), uplift::UsageError);
    REQUIRE_THROWS_AS(sim::parse_drift("weather=1", drift), uplift::UsageError);
    sim::parse_drift("discount-seekers=+0.1", drift);
    CHECK(drift.discount_seekers == 0.1);
    fs::remove_all(root);
}

TEST_CASE("simulate series: --outcomes-for draws contacted clients from p_treatment, others from p_control", "[simulate][series]") {
    const fs::path root = fresh_dir("series_outcomes");
    const fs::path truth = shared_series() / "month-02" / "truth.csv";
    const Csv t = read_csv(truth);
    // A plan of the first 600 clients: even rows contacted, odd rows held out.
    std::string plan = "client_id,offer,action\n";
    double expected = 0;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        if (i < 600) plan += t.rows[i][0] + ",offer," + (i % 2 == 0 ? "contact\n" : "hold_out\n");
        expected += static_cast<double>(micro(i < 600 && i % 2 == 0 ? t.rows[i][2] : t.rows[i][1])) / 1e6;
    }
    {
        std::ofstream(root / "plan.csv") << plan;
    }
    const auto r = sim::draw_outcomes({.plan = root / "plan.csv", .truth = truth, .out = root / "o.csv", .seed = 5,
                                       .overwrite = false});
    CHECK(r.contacted == 300);
    CHECK(r.held_out == 300);
    CHECK(r.clients == static_cast<std::int64_t>(t.rows.size()));
    const Csv o = read_csv(root / "o.csv");
    CHECK(o.header == "client_id,target");
    REQUIRE(o.rows.size() == t.rows.size());
    CHECK(std::abs(static_cast<double>(r.targets) - expected) < 4 * std::sqrt(expected));
    // Same seed, same bytes; a planned client the truth does not know is bad data.
    sim::draw_outcomes({.plan = root / "plan.csv", .truth = truth, .out = root / "o2.csv", .seed = 5, .overwrite = false});
    CHECK(slurp(root / "o.csv") == slurp(root / "o2.csv"));
    {
        std::ofstream(root / "stranger.csv") << "client_id,offer,action\nffffffffff,offer,contact\n";
    }
    REQUIRE_THROWS_AS(sim::draw_outcomes({.plan = root / "stranger.csv", .truth = truth, .out = root / "o3.csv",
                                          .seed = 5, .overwrite = false}),
                      uplift::DataError);
    CHECK(!fs::exists(root / "o3.csv"));
    fs::remove_all(root);
}
