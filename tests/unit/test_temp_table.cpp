#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "uplift/io/session.hpp"
#include "uplift/io/temp_table.hpp"

using uplift::io::Session;
using uplift::io::TempTable;
using uplift::io::TempType;

namespace {

bool table_exists(Session& s, const std::string& name) {
    const auto t = s.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '" + name + "'");
    return t.column("n").number_at(0) > 0;
}

bool type_exists(Session& s, const std::string& name) {
    const auto t = s.query("SELECT count(*) AS n FROM duckdb_types() WHERE type_name = '" + name + "'");
    return t.column("n").number_at(0) > 0;
}

}  // namespace

TEST_CASE("TempTable: a fresh name per object, the table dropped when the owner goes", "[io][temp_table]") {
    Session s;
    std::string name;
    {
        const TempTable a(s, "rows");
        const TempTable b(s, "rows");
        CHECK(a.name() != b.name());
        CHECK(a.name().rfind("upliftctl_rows_", 0) == 0);
        CHECK(a.sql() == "\"" + a.name() + "\"");
        s.execute("CREATE TEMP TABLE " + a.sql() + " AS SELECT 1 AS x");
        name = a.name();
        CHECK(table_exists(s, name));
    }  // b was never created: dropping it is no error
    CHECK(!table_exists(s, name));
}

TEST_CASE("TempTable: moving hands the table over, drop() empties the name for re-use", "[io][temp_table]") {
    Session s;
    TempTable a(s, "moved");
    s.execute("CREATE TEMP TABLE " + a.sql() + " AS SELECT 1 AS x");
    const std::string name = a.name();
    {
        const TempTable b = std::move(a);
        CHECK(b.name() == name);
    }
    CHECK(!table_exists(s, name));  // dropped by b, the new owner

    TempTable c(s, "again");
    s.execute("CREATE TEMP TABLE " + c.sql() + " AS SELECT 1 AS x");
    c.drop();
    CHECK(!table_exists(s, c.name()));
    s.execute("CREATE TEMP TABLE " + c.sql() + " AS SELECT 2 AS x");  // the name stays reserved
    CHECK(table_exists(s, c.name()));
}

TEST_CASE("TempType: an ENUM type dropped at scope end", "[io][temp_table]") {
    Session s;
    std::string name;
    {
        const TempType t(s, "kind");
        s.execute("CREATE TYPE " + t.sql() + " AS ENUM ('a', 'b')");
        name = t.name();
        CHECK(type_exists(s, name));
        const auto cast = s.query("SELECT try_cast('c' AS " + t.sql() + ") IS NULL AS unknown");
        CHECK(cast.column("unknown").number_at(0) == 1);
    }
    CHECK(!type_exists(s, name));
}
