// The boosters' prediction: XGBoost 1.7's in-place prediction against our walk of the same trees
// (model/tree_ensemble.hpp), on the same rows, with the bits compared.
//
//   build/bench/bench_predict MODEL.json [rows=1000000] [threads=2] [runs=5]
//
// Rows are uniform on [0, 1) (seeded), the flat benchmark's features; a model of scripts/bench_flat.sh
// (model/base/outcome_1.json) fits them. Prints the median wall time of each and their ratio.
#include "uplift/model/gbm.hpp"
#include "uplift/model/tree_ensemble.hpp"
#include "uplift/model/xgb_handles.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

template <class F>
double median_seconds(int runs, const F& f) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_predict MODEL.json [rows] [threads] [runs]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t rows = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const int runs = argc > 4 ? std::atoi(argv[4]) : 5;

    using namespace uplift::model;
    xgb::Booster booster = xgb::Booster::from_buffer(json);
    booster.set_param("nthread", std::to_string(threads));
    const auto cols = static_cast<std::size_t>(booster.num_features());
    std::string why_not;
    const auto ensemble = TreeEnsemble::from_ubjson(booster.save_ubj(), cols, &why_not);
    if (!ensemble) {
        std::fprintf(stderr, "bench_predict: the walk does not take this model: %s\n", why_not.c_str());
        return 1;
    }
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    std::vector<float> x(rows * cols);
    for (float& v : x) v = u(rng);

    std::vector<float> expected, got(rows);
    const double t_xgb = median_seconds(runs, [&] { expected = booster.predict_dense(x, rows, cols); });
    const double t_walk = median_seconds(runs, [&] { ensemble->predict(x.data(), rows, got.data(), threads); });
    const bool same = expected.size() == rows && std::memcmp(expected.data(), got.data(), rows * sizeof(float)) == 0;
    std::printf("rows %zu, features %zu, trees %zu, threads %d, median of %d runs\n", rows, cols, ensemble->num_trees(),
                threads, runs);
    std::printf("xgboost_predict_s %.3f\nwalk_predict_s %.3f\nspeedup %.2f\nsame_bits %s\n", t_xgb, t_walk,
                t_xgb / t_walk, same ? "yes" : "NO");
    return same ? 0 : 1;
}
