// The helper program of scripts/bench_flat.sh (issue 19): the data, the floor and the comparison.
//
//   bench_flat make N SEED out.csv        N flat rows: id, treatment, outcome, x01..x12 (see kTrueUplift)
//   bench_flat holdout MODEL_DIR ids.bin  the ids of train's holdout rows, as little-endian int64, for the
//                                         Python reference to fit on exactly the rows train fitted on
//   bench_flat floor data.csv ids.bin scores.parquet reference_uplift.bin THREADS SEED
//       times one DuckDB read_csv of the file, then the bare XGBoost work through the C API on the same
//       arrays (a fit per arm on the non-holdout rows, a prediction of every row per model), and prints
//       the holdout Qini AUC of upliftctl's scores, of the reference's and of the true uplift.
//
// Output lines are `key value` so the script can pick them up.

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "uplift/eval/metrics.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"

namespace {

constexpr int kFeatures = 12;
// The known truth: P(outcome) = 0.05 + 0.1 x01 + 0.05 x02 + treatment * uplift, x uniform on [0, 1).
constexpr const char* kBaseRate = "0.05 + 0.1 * x01 + 0.05 * x02";
constexpr const char* kTrueUplift = "(0.1 * x03 - 0.05 * x04)";

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check(int rc, const char* what) {
    if (rc != 0) throw std::runtime_error(fmt::format("{}: {}", what, XGBGetLastError()));
}

std::string feature_list() {
    std::string out;
    for (int k = 1; k <= kFeatures; ++k) out += fmt::format("{}x{:02}", k > 1 ? ", " : "", k);
    return out;
}

void make(long long n, long long seed, const std::string& out) {
    // Uniform [0, 1) on a grid of 1e-6 from a seeded hash of (row, column): the same file for the same
    // N and seed, and six decimals of text per feature, as an exported numeric table has.
    std::string features;
    for (int k = 1; k <= kFeatures; ++k) {
        features += fmt::format(", (hash(i, {}, {}) % 1000000)::DOUBLE / 1e6 AS x{:02}", seed, k, k);
    }
    const std::string sql = fmt::format(
        "COPY (SELECT i + 1 AS id, treatment, "
        "CASE WHEN u < {} + treatment * {} THEN 1 ELSE 0 END AS outcome, {} FROM ("
        "SELECT i, (hash(i, {}, 100) % 2)::INT AS treatment, (hash(i, {}, 101) % 1000000)::DOUBLE / 1e6 AS u{} "
        "FROM range({}) t(i)) ORDER BY i) TO {} (FORMAT csv, HEADER)",
        kBaseRate, kTrueUplift, feature_list(), seed, seed, features, n, uplift::io::quote_literal(out));
    uplift::io::Session session;
    session.execute(sql);
    std::printf("rows %lld\n", n);
}

void write_int64s(const std::string& path, std::span<const std::int64_t> v) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size_bytes()));
    if (!f) throw std::runtime_error("cannot write " + path);
}

template <typename T>
std::vector<T> read_binary(const std::string& path) {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<T> v(static_cast<std::size_t>(f.tellg()) / sizeof(T));
    f.seekg(0);
    f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
    return v;
}

void holdout(const std::string& model_dir, const std::string& out) {
    uplift::io::Session session;
    const auto t = session.query(fmt::format("SELECT id::BIGINT AS id FROM read_parquet({}) ORDER BY id",
                                             uplift::io::quote_literal(model_dir + "/holdout.parquet")));
    write_int64s(out, t.column("id").int64_values());
    std::printf("holdout_rows %zu\n", t.num_rows());
}

/// One booster on `rows` of the row-major matrix, with the same settings as the script gives both tools.
BoosterHandle fit(const std::vector<float>& x, const std::vector<float>& y, const std::vector<std::size_t>& rows,
                  int threads, long long seed) {
    std::vector<float> xs(rows.size() * kFeatures), ys(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(rows[r] * kFeatures), kFeatures,
                    xs.begin() + static_cast<std::ptrdiff_t>(r * kFeatures));
        ys[r] = y[rows[r]];
    }
    DMatrixHandle d = nullptr;
    check(XGDMatrixCreateFromMat_omp(xs.data(), rows.size(), kFeatures, NAN, &d, threads), "dmatrix");
    check(XGDMatrixSetFloatInfo(d, "label", ys.data(), ys.size()), "label");
    BoosterHandle b = nullptr;
    check(XGBoosterCreate(&d, 1, &b), "booster");
    const std::vector<std::pair<std::string, std::string>> params{
        {"objective", "binary:logistic"}, {"tree_method", "hist"}, {"eta", "0.3"},
        {"max_depth", "6"},               {"nthread", std::to_string(threads)}, {"seed", std::to_string(seed)}};
    for (const auto& [k, v] : params) check(XGBoosterSetParam(b, k.c_str(), v.c_str()), "param");
    for (int round = 0; round < 100; ++round) check(XGBoosterUpdateOneIter(b, round, d), "update");
    check(XGDMatrixFree(d), "free");
    return b;
}

/// Predicts every row in place from the dense buffer (no DMatrix copy): the cheapest prediction there is.
std::vector<double> predict(BoosterHandle b, const std::vector<float>& x, std::size_t n, int threads) {
    const std::string array = fmt::format(
        R"({{"data": [{}, false], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
        reinterpret_cast<std::uintptr_t>(x.data()), n, kFeatures);
    const std::string config = fmt::format(
        R"({{"type": 0, "training": false, "cache_id": 0, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false, "missing": NaN, "nthread": {}}})",
        threads);
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* out = nullptr;
    check(XGBoosterPredictFromDense(b, array.c_str(), config.c_str(), nullptr, &shape, &dim, &out), "predict");
    return std::vector<double>(out, out + n);
}

void floor(const std::string& csv, const std::string& ids_file, const std::string& scores,
           const std::string& reference_file, int threads, long long seed) {
    uplift::io::Session session({.threads = threads, .memory_limit = {}});
    auto start = std::chrono::steady_clock::now();
    session.execute(fmt::format("CREATE TABLE d AS SELECT * FROM read_csv({})", uplift::io::quote_literal(csv)));
    std::printf("duckdb_read_csv_s %.2f\n", seconds_since(start));

    const auto t = session.query(fmt::format("SELECT id, treatment, outcome, {} FROM d ORDER BY id", feature_list()));
    const std::size_t n = t.num_rows();
    std::vector<float> x(n * kFeatures), y(n);
    for (int k = 0; k < kFeatures; ++k) {
        const auto v = t.column(fmt::format("x{:02}", k + 1)).double_values();
        for (std::size_t r = 0; r < n; ++r) x[r * kFeatures + static_cast<std::size_t>(k)] = static_cast<float>(v[r]);
    }
    const auto outcome = t.column("outcome").int64_values();
    const auto treatment = t.column("treatment").int64_values();
    for (std::size_t r = 0; r < n; ++r) y[r] = static_cast<float>(outcome[r]);
    const auto holdout_ids = read_binary<std::int64_t>(ids_file);
    std::vector<std::uint8_t> held(n, 0);
    for (auto id : holdout_ids) held[static_cast<std::size_t>(id - 1)] = 1;  // ids are 1..N in row order
    std::vector<std::size_t> rows_treated, rows_control;
    for (std::size_t r = 0; r < n; ++r) {
        if (!held[r]) (treatment[r] == 1 ? rows_treated : rows_control).push_back(r);
    }

    start = std::chrono::steady_clock::now();
    BoosterHandle treated = fit(x, y, rows_treated, threads, seed);
    BoosterHandle control = fit(x, y, rows_control, threads, seed);
    std::printf("floor_fit_s %.2f\n", seconds_since(start));
    const auto predict_start = std::chrono::steady_clock::now();
    const auto p_treated = predict(treated, x, n, threads);
    const auto p_control = predict(control, x, n, threads);
    std::printf("floor_predict_s %.2f\n", seconds_since(predict_start));
    std::printf("floor_s %.2f\n", seconds_since(start));
    XGBoosterFree(treated);
    XGBoosterFree(control);

    // Qini AUC on the holdout rows, in the order of ids.bin (which the reference's uplift follows).
    session.execute(fmt::format("CREATE TABLE s AS SELECT id::BIGINT AS id, uplift FROM read_parquet({})",
                                uplift::io::quote_literal(scores)));
    std::unordered_map<std::int64_t, double> ours;
    {
        const auto st = session.query("SELECT s.id, s.uplift FROM s");
        const auto sid = st.column("id").int64_values();
        const auto su = st.column("uplift").double_values();
        for (std::size_t i = 0; i < sid.size(); ++i) ours.emplace(sid[i], su[i]);
    }
    const auto reference = read_binary<double>(reference_file);
    if (reference.size() != holdout_ids.size()) throw std::runtime_error("reference uplift: wrong length");
    std::vector<double> hy, hu_ours, hu_truth;
    std::vector<std::uint8_t> ht;
    const auto x03 = t.column("x03").double_values();
    const auto x04 = t.column("x04").double_values();
    for (auto id : holdout_ids) {
        const auto r = static_cast<std::size_t>(id - 1);
        hy.push_back(y[r]);
        ht.push_back(static_cast<std::uint8_t>(treatment[r]));
        hu_ours.push_back(ours.at(id));
        hu_truth.push_back(0.1 * x03[r] - 0.05 * x04[r]);  // kTrueUplift
    }
    std::printf("qini_upliftctl %.4f\n", uplift::eval::qini_auc_score(hy, ht, hu_ours));
    std::printf("qini_reference %.4f\n", uplift::eval::qini_auc_score(hy, ht, reference));
    std::printf("qini_truth %.4f\n", uplift::eval::qini_auc_score(hy, ht, hu_truth));
    double max_diff = 0;
    for (std::size_t i = 0; i < reference.size(); ++i) max_diff = std::max(max_diff, std::abs(reference[i] - hu_ours[i]));
    std::printf("max_abs_uplift_diff %.6f\n", max_diff);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> a(argv + 1, argv + argc);
    try {
        if (a.size() == 4 && a[0] == "make") {
            make(std::stoll(a[1]), std::stoll(a[2]), a[3]);
        } else if (a.size() == 3 && a[0] == "holdout") {
            holdout(a[1], a[2]);
        } else if (a.size() == 7 && a[0] == "floor") {
            floor(a[1], a[2], a[3], a[4], std::stoi(a[5]), std::stoll(a[6]));
        } else {
            std::fprintf(stderr, "usage: bench_flat make N SEED out.csv | holdout MODEL_DIR ids.bin | "
                                 "floor data.csv ids.bin scores.parquet reference_uplift.bin THREADS SEED\n");
            return 2;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_flat: %s\n", e.what());
        return 1;
    }
    return 0;
}
