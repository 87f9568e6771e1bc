// Retail features (features --data): hand-computed values for three clients, point in time, roles and
// manifest, and the checks on the input tables.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/retail_features.hpp"
#include "uplift/features/retail_ingest.hpp"
#include "uplift/features/retail_template.hpp"
#include "uplift/io/table_io.hpp"
#include "support/tables.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace features = uplift::features;
using uplift::io::Session;
using uplift::io::Table;

namespace {

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_retail", name); }

void copy_to(Session& s, const std::string& select, const fs::path& file) {
    s.execute("COPY (" + select + ") TO '" + file.string() + "' (FORMAT parquet)");
}

const char* clients_sql =
    "SELECT client_id, CAST(fi AS TIMESTAMP) AS first_issue_date, CAST(fr AS TIMESTAMP) AS first_redeem_date, "
    "CAST(age AS BIGINT) AS age, gender FROM (VALUES "
    "('A', '2019-01-01 10:00:00', '2019-02-10 12:00:00', 35, 'F'), "
    "('B', '2018-12-01 09:00:00', NULL, 999, 'M'), "          // absurd age
    "('C', '2019-03-01 09:00:00', '2019-03-25 09:00:00', NULL, 'U'), "  // redeemed only after the cutoff
    "('D', '2018-01-01 09:00:00', NULL, 50, 'M')"              // not in the campaign
    ") t(client_id, fi, fr, age, gender)";

/// Purchase lines: client, transaction, datetime, received (regular, express), spent (regular, express),
/// purchase_sum, store, product, line sum. The cutoff is 2019-03-19 (a Tuesday).
std::string purchases_sql(const std::string& extra_rows = "") {
    return "SELECT c AS client_id, t AS transaction_id, CAST(dt AS TIMESTAMP) AS transaction_datetime, "
           "CAST(rr AS DOUBLE) AS regular_points_received, CAST(er AS DOUBLE) AS express_points_received, "
           "CAST(rs AS DOUBLE) AS regular_points_spent, CAST(es AS DOUBLE) AS express_points_spent, "
           "CAST(ps AS DOUBLE) AS purchase_sum, st AS store_id, pr AS product_id, 1.0 AS product_quantity, "
           "CAST(ls AS DOUBLE) AS trn_sum_from_iss, CAST(NULL AS DOUBLE) AS trn_sum_from_red FROM (VALUES "
           "('A', 't1', '2019-03-18 10:30:00', 1.0, 0.0, -5.0, 0.0, 100.0, 's1', 'p1', 60.0), "  // Monday
           "('A', 't1', '2019-03-18 10:30:00', 1.0, 0.0, -5.0, 0.0, 100.0, 's1', 'p2', 40.0), "
           "('A', 't2', '2019-03-10 19:00:00', 0.5, 0.0, 0.0, 0.0, 50.0, 's2', 'p1', 50.0), "   // Sunday
           "('A', 't3', '2019-01-15 08:00:00', 0.3, 0.0, 0.0, -2.0, 30.0, 's1', 'p3', 30.0), "  // Tuesday
           "('B', 't5', '2019-03-12 13:00:00', 2.0, 0.0, 0.0, 0.0, 200.0, 's3', 'p2', 150.0), " // Tuesday
           "('B', 't5', '2019-03-12 13:00:00', 2.0, 0.0, 0.0, 0.0, 200.0, 's3', 'p3', 50.0), "
           "('D', 't6', '2019-03-15 13:00:00', 2.0, 0.0, 0.0, 0.0, 70.0, 's3', 'p3', 70.0)" +
           extra_rows + ") t(c, t, dt, rr, er, rs, es, ps, st, pr, ls)";
}

const char* products_sql =
    "SELECT product_id, level_1, 'x' AS level_2, 'x' AS level_3, 'x' AS level_4, 'x' AS segment_id, "
    "'x' AS brand_id, 'x' AS vendor_id, 1.0 AS netto, CAST(own AS BIGINT) AS is_own_trademark, "
    "CAST(alc AS BIGINT) AS is_alcohol FROM (VALUES ('p1', 'L1', 1, 0), ('p2', 'L2', 0, 1), ('p3', 'L1', 0, 0)) "
    "t(product_id, level_1, own, alc)";

const char* campaign_sql =
    "SELECT client_id, CAST(tr AS BIGINT) AS treatment_flg, CAST(y AS BIGINT) AS target FROM (VALUES "
    "('A', 1, 1), ('B', 0, 0), ('C', 1, 0), ('E', 0, 1)) t(client_id, tr, y)";  // E: not in clients

/// The three-client dataset; `future` adds what a later export would hold: purchases at and after the
/// cutoff (also by the client without history) and a first redemption after the cutoff.
fs::path make_dataset(const std::string& name, bool future = false, bool products = true) {
    const fs::path dir = fresh_dir(name);
    Session s;
    std::string clients = clients_sql;
    if (future) {
        const std::string from = "('B', '2018-12-01 09:00:00', NULL, 999, 'M')";
        clients.replace(clients.find(from), from.size(), "('B', '2018-12-01 09:00:00', '2019-04-02 10:00:00', 999, 'M')");
    }
    copy_to(s, clients, dir / "clients.parquet");
    copy_to(s, purchases_sql(future ? ", ('A', 't4', '2019-03-19 00:00:00', 9.0, 9.0, -9.0, -9.0, 1000.0, 's9', 'p9', 1000.0)"
                                      ", ('C', 't7', '2019-03-19 08:00:00', 1.0, 0.0, -3.0, 0.0, 77.0, 's1', 'p1', 77.0)"
                                      ", ('B', 't8', '2019-04-20 21:00:00', 1.0, 0.0, 0.0, -1.0, 12.0, 's7', 'p2', 12.0)"
                                    : ""),
            dir / "purchases.parquet");
    copy_to(s, campaign_sql, dir / "campaign.parquet");
    if (products) copy_to(s, products_sql, dir / "products.parquet");
    return dir;
}

features::RetailFeatureOptions options_for(const fs::path& dir) {
    features::RetailFeatureOptions o;
    o.data_dir = dir;
    o.cutoff = "2019-03-19";
    o.windows = {7, 30};
    return o;
}

/// Row of client `id` (rows are ordered by client id).
std::size_t row_of(const Table& t, const std::string& id) {
    const auto& ids = t.column("client_id").string_values();
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

double value(const Table& t, const std::string& id, const std::string& column) {
    return t.column(column).number_at(row_of(t, id));
}

bool is_null(const Table& t, const std::string& id, const std::string& column) {
    return !t.column(column).is_valid(row_of(t, id));
}

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The "history" parameter of the features' provenance: which tables the run read.
std::string history_of(const Table& t) {
    const std::string& provenance = t.metadata().at(uplift::artifacts::provenance_key);
    const bool derived =
        provenance.find("\"history\":\"transactions.parquet, product_firsts.parquet\"") != std::string::npos;
    return derived ? "derived" : "lines";
}

}  // namespace

TEST_CASE("retail features match hand-computed values for three clients", "[features][retail]") {
    Session session;
    const auto r = features::build_retail_features(session, options_for(make_dataset("hand")));
    const Table& t = r.table;
    REQUIRE(t.column("client_id").string_values() == std::vector<std::string>{"A", "B", "C"});
    REQUIRE(t.column("treatment_flg").string_values() == std::vector<std::string>{"1", "0", "1"});
    REQUIRE(t.column("target").int64_values()[0] == 1);
    REQUIRE(r.stats.missing_clients == 1);  // E is in the campaign but not in clients.parquet
    REQUIRE(r.stats.missing_sample == std::vector<std::string>{"E"});
    REQUIRE(r.stats.without_purchases == 1);

    // A: t1 1 day before the cutoff (100, points spent), t2 9 days (50), t3 63 days (30, express spent).
    CHECK(value(t, "A", "recency_days") == 1);
    CHECK(value(t, "A", "history_days") == 63);
    CHECK(value(t, "A", "frequency_all") == 3);
    CHECK(value(t, "A", "monetary_all") == 180);
    CHECK(value(t, "A", "frequency_7d") == 1);
    CHECK(value(t, "A", "monetary_7d") == 100);
    CHECK(value(t, "A", "frequency_30d") == 2);
    CHECK(value(t, "A", "monetary_30d") == 150);
    CHECK(value(t, "A", "avg_check_7d") == 100);
    CHECK(value(t, "A", "avg_check_30d") == 75);
    CHECK(value(t, "A", "check_trend_7d") == Approx(100.0 / 75.0));
    CHECK(value(t, "A", "points_received_7d") == 1);
    CHECK(value(t, "A", "points_received_30d") == 1.5);
    CHECK(value(t, "A", "points_spent_30d") == 5);
    CHECK(value(t, "A", "express_points_spent_30d") == 0);
    CHECK(value(t, "A", "points_spent_share_7d") == 1);
    CHECK(value(t, "A", "points_spent_share_30d") == 0.5);
    CHECK(value(t, "A", "weekday_share_mon") == Approx(1.0 / 3));
    CHECK(value(t, "A", "weekday_share_tue") == Approx(1.0 / 3));
    CHECK(value(t, "A", "weekday_share_sun") == Approx(1.0 / 3));
    CHECK(value(t, "A", "weekday_share_wed") == 0);
    CHECK(value(t, "A", "hour_share_morning") == Approx(2.0 / 3));
    CHECK(value(t, "A", "hour_share_evening") == Approx(1.0 / 3));
    CHECK(value(t, "A", "distinct_stores") == 2);
    CHECK(value(t, "A", "avg_lines_per_transaction") == Approx(4.0 / 3));
    CHECK(value(t, "A", "distinct_products") == 3);
    CHECK(value(t, "A", "own_trademark_share") == Approx(110.0 / 180));
    CHECK(value(t, "A", "alcohol_share") == Approx(40.0 / 180));
    CHECK(value(t, "A", "level_1_share_l1") == Approx(140.0 / 180));
    CHECK(value(t, "A", "level_1_share_l2") == Approx(40.0 / 180));
    CHECK(value(t, "A", "age") == 35);
    CHECK(value(t, "A", "gender_f") == 1);
    CHECK(value(t, "A", "gender_m") == 0);
    CHECK(value(t, "A", "days_since_first_issue") == 77);   // 2019-01-01 .. 2019-03-19
    CHECK(value(t, "A", "days_since_first_redeem") == 37);  // 2019-02-10 .. 2019-03-19
    CHECK(value(t, "A", "has_redeemed") == 1);

    // B: one transaction exactly 7 days before the cutoff (inside the 7-day window), two lines.
    CHECK(value(t, "B", "recency_days") == 7);
    CHECK(value(t, "B", "frequency_7d") == 1);
    CHECK(value(t, "B", "monetary_7d") == 200);
    CHECK(value(t, "B", "check_trend_7d") == 1);
    CHECK(value(t, "B", "points_spent_share_7d") == 0);
    CHECK(value(t, "B", "weekday_share_tue") == 1);
    CHECK(value(t, "B", "hour_share_afternoon") == 1);
    CHECK(value(t, "B", "avg_lines_per_transaction") == 2);
    CHECK(value(t, "B", "alcohol_share") == 0.75);
    CHECK(is_null(t, "B", "age"));  // 999 is not an age
    CHECK(value(t, "B", "gender_m") == 1);
    CHECK(value(t, "B", "days_since_first_issue") == 108);  // 31 + 31 + 28 + 18
    CHECK(is_null(t, "B", "days_since_first_redeem"));

    // C: no purchases: counts and sums 0, averages, shares and recency NULL; redeemed only after the cutoff.
    CHECK(value(t, "C", "frequency_all") == 0);
    CHECK(value(t, "C", "monetary_30d") == 0);
    CHECK(value(t, "C", "points_spent_30d") == 0);
    CHECK(value(t, "C", "distinct_stores") == 0);
    CHECK(value(t, "C", "distinct_products") == 0);
    for (const char* column : {"recency_days", "avg_check_30d", "check_trend_7d", "points_spent_share_30d",
                               "weekday_share_mon", "own_trademark_share", "level_1_share_l1", "age",
                               "days_since_first_redeem"}) {
        INFO(column);
        CHECK(is_null(t, "C", column));
    }
    CHECK(value(t, "C", "gender_u") == 1);
    CHECK(value(t, "C", "days_since_first_issue") == 18);
    CHECK(value(t, "C", "has_redeemed") == 0);
}

TEST_CASE("nothing at or after the cutoff changes any feature", "[features][retail]") {
    const auto run = [](const fs::path& dir, const fs::path& out, int threads) {
        Session session({.threads = threads, .memory_limit = {}});
        auto r = features::build_retail_features(session, options_for(dir));
        uplift::io::write_table(session, r.table, out, {.overwrite = true});
        return r.table;
    };
    const fs::path now = make_dataset("pit_now");
    const fs::path later = make_dataset("pit_later", true);
    // The later export goes through the derived tables ingest writes, the earlier one through the lines.
    {
        Session s;
        (void)features::write_retail_derived(s, later);
    }
    const Table a = run(now, now / "features.csv", 1);
    const Table b = run(later, later / "features.csv", 2);
    REQUIRE(history_of(b) == "derived");
    test_support::require_same_values(a, b);
    // The CSV holds only the values (provenance, which fingerprints the changed inputs, is in the sidecar):
    // byte-identical, though the later export has more rows and one more thread did the work.
    const std::string bytes = file_text(now / "features.csv");
    REQUIRE(bytes.size() > 100);
    REQUIRE(bytes == file_text(later / "features.csv"));
}

TEST_CASE("the derived tables ingest writes give exactly the features of the purchase lines", "[features][retail]") {
    for (const bool products : {true, false}) {
        INFO("products " << products);
        const fs::path dir = make_dataset(products ? "derived" : "derived_noproducts", true, products);
        Session session;
        const auto lines = features::build_retail_features(session, options_for(dir));
        CHECK(history_of(lines.table) == "lines");
        const auto counts = features::write_retail_derived(session, dir);
        CHECK(counts.transactions == 8);     // t1..t8: every transaction, the future ones too
        // Days with a product bought for the first time: A on 01-15 (p3), 03-10 (p1), 03-18 (p2), 03-19 (p9);
        // B on 03-12 (p2, p3; p2 again on 04-20 is no first); C on 03-19; D on 03-15.
        CHECK(counts.product_firsts == 7);
        Session other({.threads = 1, .memory_limit = {}});
        const auto derived = features::build_retail_features(other, options_for(dir));
        CHECK(history_of(derived.table) == "derived");
        test_support::require_same_values(lines.table, derived.table);
    }
}

TEST_CASE("derived tables not made from the purchases beside them are not used", "[features][retail]") {
    const fs::path dir = make_dataset("stale");
    Session session;
    (void)features::write_retail_derived(session, dir);
    // A later export replaces purchases.parquet: C now bought something before the cutoff.
    copy_to(session, purchases_sql(", ('C', 't9', '2019-03-01 08:00:00', 1.0, 0.0, 0.0, 0.0, 20.0, 's1', 'p1', 20.0)"),
            dir / "purchases.parquet");
    const auto r = features::build_retail_features(session, options_for(dir));
    CHECK(history_of(r.table) == "lines");
    CHECK(value(r.table, "C", "frequency_all") == 1);
    CHECK(value(r.table, "C", "distinct_products") == 1);
    // Derived again, they are used and agree.
    (void)features::write_retail_derived(session, dir);
    const auto again = features::build_retail_features(session, options_for(dir));
    CHECK(history_of(again.table) == "derived");
    test_support::require_same_values(r.table, again.table);
}

TEST_CASE("retail features carry roles and a manifest that train and --list read", "[features][retail]") {
    Session session;
    const auto r = features::build_retail_features(session, options_for(make_dataset("roles")));
    const auto roles = uplift::data::load_roles(r.table.metadata());
    REQUIRE(roles.has_value());
    CHECK(roles->id == "client_id");
    CHECK(roles->treatment == "treatment_flg");
    CHECK(roles->control == "0");
    CHECK(roles->treatment_levels == std::vector<std::string>{"1"});
    CHECK(roles->outcome == "target");
    CHECK(roles->outcome_type == uplift::data::OutcomeType::Binary);
    const auto manifest =
        uplift::artifacts::feature_manifest_from_json(r.table.metadata().at(uplift::artifacts::feature_manifest_key), "test");
    REQUIRE(manifest.size() == roles->features.size());
    REQUIRE(r.table.num_columns() == 3 + manifest.size());
    for (std::size_t i = 0; i < manifest.size(); ++i) {
        CHECK(manifest[i].name == roles->features[i]);
        CHECK(manifest[i].name == r.table.columns()[3 + i].name());
        CHECK_FALSE(manifest[i].description.empty());
        CHECK(r.table.columns()[3 + i].is_numeric());
    }
    const auto find = [&](const std::string& name) {
        return *std::find_if(manifest.begin(), manifest.end(), [&](const auto& f) { return f.name == name; });
    };
    CHECK(find("frequency_7d").family == "rfm");
    CHECK(find("frequency_7d").window == "7d");
    CHECK(find("check_trend_7d").window == "7d/30d");
    CHECK(find("age").window == "static");
    CHECK(find("level_1_share_l2").family == "basket");
    // --list gives the same manifest without reading purchases.
    Session other;
    const auto listed = features::retail_feature_manifest(other, options_for(make_dataset("roles_list")));
    REQUIRE(listed.size() == manifest.size());
    CHECK(listed.back().name == manifest.back().name);
}

TEST_CASE("without products.parquet the product-mix shares are left out", "[features][retail]") {
    Session session;
    const auto r = features::build_retail_features(session, options_for(make_dataset("noproducts", false, false)));
    CHECK_FALSE(r.stats.products);
    CHECK_FALSE(r.table.has("own_trademark_share"));
    CHECK(value(r.table, "A", "distinct_products") == 3);
}

TEST_CASE("bad options and bad tables fail with the documented error kinds", "[features][retail]") {
    const fs::path dir = make_dataset("bad");
    Session session;
    auto o = options_for(dir);
    o.cutoff = "2019-13-01";
    CHECK_THROWS_AS(features::build_retail_features(session, o), uplift::UsageError);
    o = options_for(dir / "missing");
    CHECK_THROWS_AS(features::build_retail_features(session, o), uplift::IoError);
    CHECK(features::parse_windows("30,7,30") == std::vector<int>{7, 30});
    CHECK_THROWS_AS(features::parse_windows("7,x"), uplift::UsageError);
    CHECK_THROWS_AS(features::parse_windows("0"), uplift::UsageError);

    // A campaign with a duplicate client, and then a treatment flag that is not 0/1.
    Session s;
    copy_to(s, "SELECT * FROM (VALUES ('A', 1, 1), ('A', 0, 0)) t(client_id, treatment_flg, target)",
            dir / "campaign.parquet");
    CHECK_THROWS_WITH(features::build_retail_features(session, options_for(dir)),
                      Catch::Contains("campaign.parquet', column 'client_id': 1 duplicate"));
    copy_to(s, "SELECT * FROM (VALUES ('A', 2, 1)) t(client_id, treatment_flg, target)", dir / "campaign.parquet");
    CHECK_THROWS_WITH(features::build_retail_features(session, options_for(dir)),
                      Catch::Contains("column 'treatment_flg': 1 row(s) not 0 or 1, e.g. '2'"));
    // A purchases table whose datetime is text: the file, column and types are named.
    copy_to(s, "SELECT * REPLACE (CAST(transaction_datetime AS VARCHAR) AS transaction_datetime) FROM (" +
                   purchases_sql() + ")",
            dir / "purchases.parquet");
    CHECK_THROWS_AS(features::build_retail_features(session, options_for(dir)), uplift::DataError);
    CHECK_THROWS_WITH(features::build_retail_features(session, options_for(dir)),
                      Catch::Contains("column 'transaction_datetime': type VARCHAR, expected TIMESTAMP"));
}

TEST_CASE("recipe templates expand windows and read the manifest from comments", "[features][retail]") {
    features::RecipeContext ctx;
    ctx.cutoff = "TIMESTAMP '2019-03-19 00:00:00'";
    ctx.cutoff_date = "DATE '2019-03-19'";
    ctx.windows = {7, 30};
    const auto r = features::expand_recipe("demo",
                                           "--@window all\n"
                                           "SELECT x AS total  -- everything before {cutoff_date}\n"
                                           "--@each window\n"
                                           "     , y{w} AS n_{w}d  -- last {w} days\n"
                                           "--@end\n"
                                           "--@if products\n"
                                           "     , z AS hidden  -- not without products\n"
                                           "--@end\n",
                                           ctx);
    REQUIRE(r.features.size() == 3);
    CHECK(r.features[0].description == "everything before DATE '2019-03-19'");
    CHECK(r.features[0].window == "all");
    CHECK(r.features[2].name == "n_30d");
    CHECK(r.features[2].window == "30d");
    CHECK(r.sql.find("hidden") == std::string::npos);
    CHECK_THROWS_AS(features::expand_recipe("demo", "--@each window\n", ctx), uplift::InternalError);
    const auto levels = features::category_levels({"Milk & Eggs", "milk_eggs", ""});
    CHECK(levels[0].key == "milk___eggs");
    CHECK(levels[1].key == "milk_eggs");
    CHECK(levels[2].key == "blank");
}

TEST_CASE("a transaction id reused by another client or at another time reaches no feature", "[features][retail]") {
    // The export of make_dataset plus two reused ids: A's t3 (2019-01-15, 30.00) again at 2019-03-25 with
    // 1000.00, which would have made t3 a 1000.00 purchase of January; and A's t2 on a line of client B.
    const fs::path raw = fresh_dir("reused_raw");
    {
        Session s;
        copy_to(s, clients_sql, raw / "clients.parquet");
        copy_to(s,
                purchases_sql(", ('A', 't3', '2019-03-25 09:00:00', 9.0, 0.0, 0.0, 0.0, 1000.0, 's1', 'p1', 1000.0)"
                              ", ('B', 't2', '2019-03-10 19:00:00', 0.5, 0.0, 0.0, 0.0, 50.0, 's2', 'p1', 50.0)"),
                raw / "purchases.parquet");
        copy_to(s, campaign_sql, raw / "campaign.parquet");
        copy_to(s, products_sql, raw / "products.parquet");
    }
    uplift::data::RetailIngestOptions in;
    in.clients = raw / "clients.parquet";
    in.purchases = raw / "purchases.parquet";
    in.products = raw / "products.parquet";
    in.campaign = raw / "campaign.parquet";
    in.out = raw / "out";
    in.max_reject_rate = 1.0;
    Session session;
    (void)features::ingest_retail(session, in);
    // Every line of t2 and t3 is rejected (which of them is right is unknown), rows in file order.
    const Table rejects = uplift::io::read_table(in.out / "rejects" / "purchases.csv");
    const auto lines = rejects.column("line").int64_values();
    CHECK(std::vector<std::int64_t>(lines.begin(), lines.end()) == std::vector<std::int64_t>{3, 4, 8, 9});
    for (std::size_t i = 0; i < rejects.num_rows(); ++i) {
        CHECK(rejects.column("reason").text_at(i) ==
              "transaction_id repeats with another client_id or transaction_datetime");
    }
    const auto r = features::build_retail_features(session, options_for(in.out));
    CHECK(history_of(r.table) == "derived");
    CHECK(value(r.table, "A", "frequency_all") == 1);  // t1 only
    CHECK(value(r.table, "A", "monetary_all") == 100);
    CHECK(value(r.table, "B", "frequency_all") == 1);  // t5 only
    CHECK(value(r.table, "B", "monetary_all") == 200);
}

// ---- populations (issue 17): whose rows, and rows without campaign outcomes ---------------------------

namespace {

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("population all: every client with a card before the cutoff, for scoring only", "[features][retail][population]") {
    Session session;
    auto o = options_for(make_dataset("population_all"));
    o.population = features::parse_population("all");
    const auto r = features::build_retail_features(session, o);
    CHECK(r.table.column("client_id").string_values() == std::vector<std::string>{"A", "B", "C", "D"});
    CHECK_FALSE(r.table.has("treatment_flg"));
    CHECK_FALSE(r.table.has("target"));
    CHECK_FALSE(r.stats.outcomes);
    CHECK(value(r.table, "D", "frequency_all") == 1);
    const auto roles = uplift::data::load_roles(r.table.metadata());
    REQUIRE(roles.has_value());
    CHECK(roles->scoring_only);
    CHECK(roles->treatment.empty());
    CHECK(roles->outcome.empty());
    CHECK(roles->features.size() + 1 == r.table.num_columns());
    // A card issued at or after the cutoff: not yet a client.
    o.cutoff = "2019-02-01";
    o.allow_outside_history = true;
    const auto earlier = features::build_retail_features(session, o);
    CHECK(earlier.table.column("client_id").string_values() == std::vector<std::string>{"A", "B", "D"});
}

TEST_CASE("a population FILE keeps ids byte for byte and reports unknown ones", "[features][retail][population]") {
    const fs::path dir = make_dataset("population_file");
    write_text(dir / "ids.csv", "client_id,note\nD,x\n007,unknown\nA,y\n");
    Session session;
    auto o = options_for(dir);
    o.population = features::parse_population((dir / "ids.csv").string());
    const auto r = features::build_retail_features(session, o);
    CHECK(r.table.column("client_id").string_values() == std::vector<std::string>{"A", "D"});
    CHECK(r.stats.population_rows == 3);
    CHECK(r.stats.missing_clients == 1);
    CHECK(r.stats.missing_sample == std::vector<std::string>{"007"});  // not 7: read as text
    CHECK_FALSE(r.table.has("treatment_flg"));
    write_text(dir / "ids.csv", "id\nA\n");
    CHECK_THROWS_WITH(features::build_retail_features(session, o), Catch::Contains("has no column 'client_id'"));
    write_text(dir / "ids.csv", "client_id\nA\nA\n");
    CHECK_THROWS_WITH(features::build_retail_features(session, o), Catch::Contains("1 duplicate row(s), e.g. 'A'"));
}

TEST_CASE("a folder without a campaign, or with one without outcomes, builds scoring rows", "[features][retail][population]") {
    const fs::path dir = make_dataset("population_nocampaign");
    Session s;
    copy_to(s, "SELECT * FROM (VALUES ('B'), ('A')) t(client_id)", dir / "campaign.parquet");
    Session session;
    const auto listed = features::build_retail_features(session, options_for(dir));
    CHECK(listed.stats.population == "campaign");
    CHECK(listed.table.column("client_id").string_values() == std::vector<std::string>{"A", "B"});
    CHECK_FALSE(listed.table.has("treatment_flg"));
    CHECK(uplift::data::load_roles(listed.table.metadata())->scoring_only);
    copy_to(s, "SELECT * FROM (VALUES ('A', 1)) t(client_id, treatment_flg)", dir / "campaign.parquet");
    CHECK_THROWS_WITH(features::build_retail_features(session, options_for(dir)),
                      Catch::Contains("campaign.parquet' has no column 'target'"));
    fs::remove(dir / "campaign.parquet");
    const auto all = features::build_retail_features(session, options_for(dir));
    CHECK(all.stats.population == "all");
    CHECK(all.table.num_rows() == 4);
    auto o = options_for(dir);
    o.population = features::parse_population("campaign");
    CHECK_THROWS_AS(features::build_retail_features(session, o), uplift::UsageError);
}

TEST_CASE("a cutoff far after the history or before it is a data problem", "[features][retail][population]") {
    Session session;
    auto o = options_for(make_dataset("population_cutoff"));
    o.cutoff = "2020-06-01";  // 441 days after the last purchase (2019-03-18)
    CHECK_THROWS_AS(features::build_retail_features(session, o), uplift::DataError);
    CHECK_THROWS_WITH(features::build_retail_features(session, o),
                      Catch::Contains("--cutoff 2020-06-01 is 441 days after the last purchase") &&
                          Catch::Contains("--allow-outside-history"));
    o.allow_outside_history = true;
    CHECK(features::build_retail_features(session, o).stats.days_after_history == 441);
    o.cutoff = "2019-01-10";  // before the first purchase: nobody has history
    o.allow_outside_history = false;
    CHECK_THROWS_WITH(features::build_retail_features(session, o),
                      Catch::Contains("none of the 3 client(s) of the population has a purchase before --cutoff 2019-01-10"));
    o.allow_outside_history = true;
    CHECK(features::build_retail_features(session, o).stats.without_purchases == 3);
}

TEST_CASE("level_1_share___other__ takes the categories without a column", "[features][retail][population]") {
    Session session;
    auto o = options_for(make_dataset("other_share"));
    const auto all = features::build_retail_features(session, o);
    CHECK(value(all.table, "A", "level_1_share___other__") == 0);
    CHECK(is_null(all.table, "C", "level_1_share___other__"));
    o.max_level_1 = 1;  // L1 (two products) keeps its column; L2 folds in
    const auto one = features::build_retail_features(session, o);
    CHECK_FALSE(one.table.has("level_1_share_l2"));
    CHECK(value(one.table, "A", "level_1_share___other__") == Approx(40.0 / 180.0));
    CHECK(value(one.table, "A", "level_1_share_l1") + value(one.table, "A", "level_1_share___other__") == Approx(1.0));
}

TEST_CASE("like MODEL builds exactly the model's features: folded, zeroed, in its order", "[features][retail][population]") {
    const fs::path dir = make_dataset("like");
    const fs::path model = dir / "model";
    fs::create_directories(model);
    uplift::artifacts::ModelManifest m;
    m.features = {"level_1_share___other__", "frequency_all", "level_1_share_gone", "level_1_share_l1"};
    m.roles.features = m.features;
    write_text(model / "model.json", uplift::artifacts::to_json(m));
    Session session;
    auto o = options_for(dir);
    o.like = model;
    const auto r = features::build_retail_features(session, o);
    std::vector<std::string> columns;
    for (const auto& c : r.table.columns()) columns.push_back(c.name());
    CHECK(columns == std::vector<std::string>{"client_id", "treatment_flg", "target", "level_1_share___other__",
                                              "frequency_all", "level_1_share_gone", "level_1_share_l1"});
    CHECK(r.stats.folded == std::vector<std::string>{"level_1_share_l2"});
    CHECK(r.stats.folded_rows == 2);  // A and B bought p2 (L2)
    CHECK(r.stats.zeroed == std::vector<std::string>{"level_1_share_gone"});
    CHECK(value(r.table, "A", "level_1_share___other__") == Approx(40.0 / 180.0));
    CHECK(value(r.table, "A", "level_1_share_gone") == 0);
    CHECK(is_null(r.table, "C", "level_1_share_gone"));  // no purchases: NULL, as every share
    CHECK(uplift::data::load_roles(r.table.metadata())->features == m.features);
    // A feature these tables cannot give (another window) is a model error naming it.
    m.features.push_back("frequency_14d");
    write_text(model / "model.json", uplift::artifacts::to_json(m));
    CHECK_THROWS_AS(features::build_retail_features(session, o), uplift::ModelError);
    CHECK_THROWS_WITH(features::build_retail_features(session, o), Catch::Contains("frequency_14d"));
}
