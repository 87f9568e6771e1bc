// segment::compute_segments end to end on small files: the default columns, imputation, the scores join, the
// recommended offer, the outputs written together, and the report's portraits block in both languages.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>

#include "support/experiments.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/report/monthly_blocks.hpp"
#include "uplift/segment/segments.hpp"

namespace fs = std::filesystem;
namespace us = uplift::segment;
using uplift::io::Column;
using uplift::io::Table;

namespace {

/// 40 clients in two clear groups by x (0 or 10), y noise; every fifth x missing; the id "c<i>".
Table features_table() {
    std::vector<std::string> ids;
    std::vector<double> x, y, age;
    std::vector<std::uint8_t> valid;
    for (int i = 0; i < 40; ++i) {
        ids.push_back("c" + std::to_string(i));
        const bool high = i >= 20;
        x.push_back(high ? 10.0 + (i % 3) : 0.0 + (i % 3));
        y.push_back(double(i % 5));
        age.push_back(high ? 60 : 30);
    }
    // The id is text, a treatment and outcome are present: none of them may be clustered on.
    Table t({Column::strings("client_id", ids), Column::strings("treatment_flg", std::vector<std::string>(40, "0")),
             Column::doubles("target", std::vector<double>(40, 0)), Column::doubles("x", x), Column::doubles("y", y),
             Column::doubles("age", age)});
    uplift::artifacts::Roles roles;
    roles.id = "client_id";
    roles.treatment = "treatment_flg";
    roles.control = "0";
    roles.treatment_levels = {"1"};
    roles.outcome = "target";
    roles.features = {"x", "y", "age"};
    uplift::artifacts::store(t.metadata(), roles);
    return t;
}

/// Scores for the first 30 clients only: offer "sms" helps the high group, "mail" helps nobody.
Table scores_table() {
    std::vector<std::string> ids;
    std::vector<double> sms, mail;
    for (int i = 0; i < 30; ++i) {
        ids.push_back("c" + std::to_string(i));
        sms.push_back(i >= 20 ? 0.1 : -0.02);
        mail.push_back(-0.01);
    }
    return Table({Column::strings("client_id", ids), Column::doubles("uplift__sms", sms),
                  Column::doubles("uplift__mail", mail)});
}

}  // namespace

TEST_CASE("segments: two groups, joined scores and the offer each should get", "[segment]") {
    const auto dir = test_support::fresh_dir("segments", "run");
    uplift::io::Session session({.threads = 1, .memory_limit = {}});
    uplift::io::write_table(session, features_table(), dir / "features.parquet");
    uplift::io::write_table(session, scores_table(), dir / "scores.csv");
    us::SegmentsRequest r;
    r.features = dir / "features.parquet";
    r.scores = dir / "scores.csv";
    r.k_min = 2;
    r.k_max = 4;
    r.names = {{1, "seniors"}};
    const auto result = us::compute_segments(session, r);
    const auto& p = result.portraits;
    CHECK(p.columns == std::vector<std::string>{"x", "y", "age"});
    CHECK(p.k_chosen_by == uplift::artifacts::k_by_silhouette);
    REQUIRE(p.k == 2);
    CHECK(p.rows == 40);
    CHECK(p.scored == 30);
    CHECK(p.offers == std::vector<std::string>{"sms", "mail"});
    REQUIRE(p.clusters.size() == 2);
    // Equal sizes: cluster 0 is the one whose first row comes first (the low group).
    CHECK(p.clusters[0].size == 20);
    CHECK(p.clusters[0].scored == 20);
    CHECK(p.clusters[1].scored == 10);
    CHECK_FALSE(p.clusters[0].recommended_offer);  // sms −0.02, mail −0.01: no offer
    REQUIRE(p.clusters[1].recommended_offer);
    CHECK(*p.clusters[1].recommended_offer == "sms");
    CHECK(*p.clusters[1].uplift[0].mean_uplift == Approx(0.1));
    CHECK(p.clusters[1].name == "seniors");
    CHECK(p.clusters[0].name.find("low ") == 0);
    REQUIRE(p.clusters[1].profile.size() == 1);
    CHECK(p.clusters[1].profile[0].label == "age");
    CHECK(*p.clusters[1].profile[0].mean == 60);
    // The clusters table: the id as it was, then the cluster, in the features' order.
    REQUIRE(result.clusters.num_columns() == 2);
    CHECK(result.clusters.column("client_id").string_values()[25] == "c25");
    CHECK(result.clusters.column("cluster").int64_values()[25] == 1);
    CHECK(result.clusters.column("cluster").int64_values()[3] == 0);

    us::write_segments(session, result, dir / "clusters.csv", dir / "portraits.json", false);
    CHECK(fs::exists(dir / "clusters.csv"));
    CHECK(fs::exists(dir / "portraits.json"));
    // Without --overwrite nothing is replaced, neither output.
    CHECK_THROWS_AS(us::write_segments(session, result, dir / "clusters2.csv", dir / "portraits.json", false),
                    uplift::UsageError);
    CHECK_FALSE(fs::exists(dir / "clusters2.csv"));

    // The report's block, in both languages, from the same record.
    uplift::report::Report report;
    report.portraits = p;
    const auto en = uplift::report::portraits_block(report);
    REQUIRE(en);
    CHECK(en->id == "portraits");
    CHECK(en->title == "Client portraits");
    REQUIRE(en->tables.size() == 1);
    CHECK(en->tables[0].rows[1][1] == "seniors");
    CHECK(en->tables[0].rows[1][4] == "sms");
    CHECK(en->tables[0].rows[0][4] == "no offer");
    CHECK(en->notes.size() == 1);
    report.options.lang = uplift::report::Lang::Ru;
    const auto ru = uplift::report::portraits_block(report);
    REQUIRE(ru);
    CHECK(ru->title == "Портреты клиентов");
    CHECK(ru->tables[0].rows[0][4] == "без предложения");
    CHECK_FALSE(uplift::report::portraits_block(uplift::report::Report{}));
    fs::remove_all(dir);
}

TEST_CASE("segments: missing values are imputed and text columns refused", "[segment]") {
    const auto dir = test_support::fresh_dir("segments", "missing");
    uplift::io::Session session({.threads = 1, .memory_limit = {}});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> x = {0, 1, nan, 10, 11, nan};
    Table t({Column::doubles("x", x), Column::strings("label", {"a", "b", "c", "d", "e", "f"})});
    uplift::io::write_table(session, t, dir / "plain.csv");
    us::SegmentsRequest r;
    r.features = dir / "plain.csv";
    r.k = 2;
    // No roles: every numeric column; no id: the row number.
    const auto result = us::compute_segments(session, r);
    CHECK(result.portraits.columns == std::vector<std::string>{"x"});
    CHECK(result.portraits.imputed_values == 2);
    CHECK(result.portraits.id_column == "row");
    CHECK(result.clusters.column("row").int64_values()[5] == 5);
    const auto labels = result.clusters.column("cluster").int64_values();
    CHECK(labels[0] == labels[1]);
    CHECK(labels[3] == labels[4]);
    CHECK(labels[0] != labels[3]);
    r.columns = {"label"};
    CHECK_THROWS_AS(us::compute_segments(session, r), uplift::UsageError);
    r.columns = {"nope"};
    CHECK_THROWS_AS(us::compute_segments(session, r), uplift::UsageError);
    r.columns = {};
    r.scores = dir / "missing.csv";
    CHECK_THROWS_AS(us::compute_segments(session, r), uplift::IoError);
    fs::remove_all(dir);
}
