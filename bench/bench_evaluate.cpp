// Times uplift::eval::evaluate() (all metrics, no bootstrap) on N synthetic rows.
// Usage: bench_evaluate [N=10000000] [bootstrap=0]

#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "uplift/eval/evaluation.hpp"

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 10'000'000;
    const int bootstrap = argc > 2 ? std::stoi(argv[2]) : 0;

    // Continuous scores (nearly all distinct: the most curve points) with a real treatment effect.
    std::mt19937_64 rng(20240601);
    const auto unit = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    std::vector<double> y(n);
    std::vector<std::uint8_t> treatment(n);
    std::vector<double> score(n);
    for (std::size_t i = 0; i < n; ++i) {
        score[i] = unit() * 2.0 - 1.0;
        treatment[i] = (rng() & 1u) != 0 ? 1 : 0;
        const double rate = 0.1 + (treatment[i] != 0 ? 0.05 * (score[i] + 1.0) : 0.0);
        y[i] = unit() < rate ? 1.0 : 0.0;
    }

    uplift::eval::EvaluationOptions options;
    options.bootstrap = bootstrap;
    // CPU time beside wall time: on a shared machine the wall figure depends on the neighbours.
    const std::clock_t cpu_start = std::clock();
    const auto start = std::chrono::steady_clock::now();
    const uplift::eval::Evaluation result = uplift::eval::evaluate(y, treatment, score, options);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;

    std::printf("rows %zu  bootstrap %d  qini_auc %.6f  evaluate %.3f s (cpu %.3f s, all threads)\n", n, bootstrap,
                result.qini_auc.value_or(0.0), elapsed.count(), cpu);
    return EXIT_SUCCESS;
}
