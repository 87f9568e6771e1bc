// Times uplift::model::forest::fit_forest (train's defaults: 100 trees, depth 6, kl) on N seeded rows × 12
// features, then the scoring of the same rows, and reports the process's peak RSS (the rows' float matrix
// included). One line on stdout: rows threads fit_seconds predict_seconds peak_rss_mib.
// Usage: bench_forest [N=1000000] [threads=2] [trees=100]   (scripts/bench_forest.sh runs the sizes)

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/model/forest/forest.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    uplift::model::forest::ForestOptions options;
    options.threads = threads;
    if (argc > 3) options.trees = std::stoi(argv[3]);

    // 8 continuous features in [0, 1), 4 binary ones; half the rows treated; the offer adds 0.1 to a 0.1–0.3
    // base rate where x1 > 0.5 and binary b0 is set.
    constexpr std::size_t cols = 12;
    uplift::Rng rng(20261202);
    uplift::model::DenseMatrix x;
    x.rows = n;
    x.cols = cols;
    x.values.resize(n * cols);
    std::vector<double> y(n);
    std::vector<int> arm(n);
    for (std::size_t i = 0; i < n; ++i) {
        float* row = x.values.data() + i * cols;
        for (std::size_t c = 0; c < 8; ++c) row[c] = static_cast<float>(rng.uniform01());
        for (std::size_t c = 8; c < cols; ++c) row[c] = static_cast<float>(rng.below(2));
        arm[i] = static_cast<int>(rng.below(2));
        const double p = 0.1 + 0.2 * row[0] + (arm[i] == 1 && row[1] > 0.5F && row[8] > 0 ? 0.1 : 0.0);
        y[i] = rng.uniform01() < p ? 1.0 : 0.0;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto forest = uplift::model::forest::fit_forest(x, y, arm, 2, options);
    const double fit = seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    const auto arms = uplift::model::forest::predict_arms(forest, x, threads);
    const double predict = seconds_since(t1);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%zu %d %.3f %.3f %.0f\n", n, threads, fit, predict, static_cast<double>(usage.ru_maxrss) / 1024.0);
    return arms[1].empty() && n > 0 ? 1 : 0;
}
