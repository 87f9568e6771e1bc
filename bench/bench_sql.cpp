// Runs SQL statements through upliftctl's own DuckDB session and times each one: the reference figures
// for feature benchmarks (e.g. one full scan of a Parquet file) come from the same engine and settings.
// Usage: bench_sql [--threads N] [--memory-limit 8GB] 'statement' | @file.sql ...
// Prints, per argument, the wall seconds and (for a statement) the result's first row on stdout; a
// @file runs all the statements in the file.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/session.hpp"

int main(int argc, char** argv) {
    uplift::io::SessionOptions options;
    std::vector<std::string> statements;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            options.threads = std::stoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--memory-limit") == 0 && i + 1 < argc) {
            options.memory_limit = argv[++i];
        } else {
            statements.emplace_back(argv[i]);
        }
    }
    try {
        uplift::io::Session session(options);
        for (const auto& sql : statements) {
            const auto start = std::chrono::steady_clock::now();
            if (sql.starts_with('@')) {
                std::ifstream in(sql.substr(1));
                std::stringstream text;
                text << in.rdbuf();
                if (!in) throw uplift::IoError("cannot read " + sql.substr(1));
                session.execute(text.str());
                const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
                std::printf("%.3f s\t%s\n", elapsed.count(), sql.c_str());
                continue;
            }
            const auto result = session.query(sql);
            const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
            std::string first;
            for (const auto& c : result.columns()) first += (first.empty() ? "" : " ") + c.name() + "=" + (result.num_rows() > 0 ? c.text_at(0) : "");
            std::printf("%.3f s\t%s\n", elapsed.count(), first.c_str());
        }
    } catch (const uplift::Error& e) {
        std::fprintf(stderr, "bench_sql: %s\n", e.what());
        return 1;
    }
    return 0;
}
