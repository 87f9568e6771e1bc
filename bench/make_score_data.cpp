// Writes N synthetic clients for the `score` benchmark: client_id, arm (control / offer), bought (0/1) and
// 20 numeric features x01..x20, as zstd Parquet. Deterministic (DuckDB's hash of the row number), so
// every run benchmarks the same file. Usage: make_score_data N out.parquet

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_score_data N out.parquet\n");
        return 2;
    }
    const long long n = std::stoll(argv[1]);
    // Uniform [0, 1) from a hash of (row, feature); the outcome depends on x01 and x02 and, for the offer
    // arm, on x03: a real uplift for the T-learner to find.
    std::string features;
    for (int k = 1; k <= 20; ++k) {
        features += fmt::format(", (hash(i, {}) % 1000000)::DOUBLE / 1e6 AS x{:02}", k, k);
    }
    const std::string sql = fmt::format(
        "COPY (SELECT client_id, arm, "
        "CASE WHEN u < 0.05 + 0.1 * x01 + 0.05 * x02 + (arm = 'offer')::INT * 0.1 * x03 THEN 1 ELSE 0 END AS bought, "
        "* EXCLUDE (client_id, arm, u) FROM (SELECT i AS client_id, "
        "CASE WHEN hash(i, 100) % 2 = 0 THEN 'control' ELSE 'offer' END AS arm, "
        "(hash(i, 101) % 1000000)::DOUBLE / 1e6 AS u{} FROM range({}) t(i)) ORDER BY client_id) "
        "TO {} (FORMAT parquet, COMPRESSION zstd)",
        features, n, uplift::io::quote_literal(argv[2]));
    uplift::io::Session session;
    session.execute(sql);
    std::printf("%lld rows -> %s\n", n, argv[2]);
    return 0;
}
