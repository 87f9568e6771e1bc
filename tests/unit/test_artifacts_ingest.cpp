#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/core/errors.hpp"

namespace ua = uplift::artifacts;
using Json = nlohmann::ordered_json;

namespace {

ua::FlatIngestSummary flat() {
    ua::FlatIngestSummary s;
    s.input = "hillstrom.csv";
    s.rows_in = 64000;
    s.rows_kept = 42690;
    s.rows_rejected = 3;
    s.rows_excluded = 21307;
    s.kept_per_level = {{"No E-Mail", 21306}, {"Womens E-Mail", 21384}};
    s.excluded_per_level = {{"Mens E-Mail", 21307}};
    s.rejects_per_reason = {{"visit is not a number", 3}};
    s.outcome_mean_per_level = {{"No E-Mail", 0.106}, {"Womens E-Mail", 0.151}};
    s.outcome_type = "binary";
    s.features = {"recency", "history", "zip_code"};
    return s;
}

ua::RetailIngestSummary retail() {
    ua::RetailIngestSummary s;
    s.max_reject_rate = 0.05;
    s.derived_transactions = 38741;
    s.derived_product_firsts = 1200;
    ua::RetailIngestTable clients{"clients", "clients.csv", 2007, 1997, 10, {{"age not an integer", 1}, {"dup", 9}}, {}};
    clients.samples = {{2007, "age", "abc", "age not an integer"}, {12, "client_id", "x1", "dup"}, {15, "", "", "dup"}};
    s.tables = {clients, {"purchases", "purchases.parquet", 100, 100, 0, {}, {}},
                {"campaign", "campaign.csv", 2000, 1997, 3, {{"client_id rejected in clients", 3}}, {}}};
    return s;
}

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const uplift::DataError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("flat ingest summary: written and read back equal, bytes as before", "[artifacts]") {
    const ua::FlatIngestSummary s = flat();
    const std::string text = ua::to_json(s);
    CHECK(ua::flat_ingest_summary_from_json(text, "d.ingest.json") == s);
    CHECK(text.rfind("{\n  \"input\": \"hillstrom.csv\",\n  \"rows_in\": 64000,\n  \"rows_kept\": 42690,\n", 0) == 0);
    CHECK(text.back() == '\n');
    // The input's folder is not written: the same inputs give the same bytes wherever they live.
    ua::FlatIngestSummary elsewhere = s;
    elsewhere.input = "/some/where/hillstrom.csv";
    CHECK(ua::to_json(elsewhere) == text);
    const Json j = Json::parse(text);
    CHECK(j["kept_per_level"]["Womens E-Mail"] == 21384);
    CHECK(j["features"].size() == 3);
}

TEST_CASE("retail ingest summary: written and read back equal, outputs named from the table", "[artifacts]") {
    const ua::RetailIngestSummary s = retail();
    const std::string text = ua::to_json(s);
    CHECK(ua::retail_ingest_summary_from_json(text, "ingest.json") == s);
    const Json j = Json::parse(text);
    CHECK(j.begin().key() == "tool");
    CHECK(j["tool"] == "upliftctl");
    CHECK(j["tables"].begin().key() == "clients");  // tables keep their order
    CHECK(j["tables"]["purchases"]["output"] == "purchases.parquet");
    CHECK(j["tables"]["purchases"]["rejects"] == "rejects/purchases.csv");
    CHECK(j["tables"]["clients"]["samples"][2]["column"] == "");
    CHECK(j["derived"]["transactions.parquet"] == 38741);
    CHECK(j["derived"]["product_firsts.parquet"] == 1200);
}

TEST_CASE("ingest summaries: a missing key or a wrong type is an error naming the key", "[artifacts]") {
    Json j = Json::parse(ua::to_json(flat()));
    j.erase("rows_kept");
    CHECK_THAT(error_of([&] { ua::flat_ingest_summary_from_json(j.dump(), "d.ingest.json"); }),
               Catch::StartsWith("d.ingest.json: 'rows_kept' is missing"));
    j = Json::parse(ua::to_json(flat()));
    j["kept_per_level"]["No E-Mail"] = "many";
    CHECK_THAT(error_of([&] { ua::flat_ingest_summary_from_json(j.dump(), "d.ingest.json"); }),
               Catch::StartsWith("d.ingest.json: 'kept_per_level.No E-Mail' must be an integer, not a string"));
    j = Json::parse(ua::to_json(retail()));
    j["tables"]["clients"]["samples"][1]["line"] = nullptr;
    CHECK_THAT(error_of([&] { ua::retail_ingest_summary_from_json(j.dump(), "ingest.json"); }),
               Catch::StartsWith("ingest.json: 'tables.clients.samples[1].line' must be an integer, not null"));
    CHECK_THAT(error_of([&] { ua::retail_ingest_summary_from_json("[]", "ingest.json"); }),
               Catch::StartsWith("ingest.json: must be an object, not an array"));
    CHECK_THAT(error_of([&] { ua::retail_ingest_summary_from_json("{", "ingest.json"); }),
               Catch::StartsWith("ingest.json: not valid JSON"));
}
