// uplift@k: the uplift among the rows ranked highest.

#include <array>
#include <cmath>

#include "uplift/eval/metrics.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

// numpy's mean of an empty slice is NaN; we report it as "no value".
std::optional<double> difference_of_means(double sum_t, std::int64_t n_t, double sum_c, std::int64_t n_c) {
    if (n_t == 0 || n_c == 0) return std::nullopt;
    const double value = sum_t / static_cast<double>(n_t) - sum_c / static_cast<double>(n_c);
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

// Python's int(count * k): the float product, truncated.
std::int64_t top_count(std::int64_t count, double k) {
    return static_cast<std::int64_t>(static_cast<double>(count) * k);
}

}  // namespace

std::optional<double> uplift_at_k(const RankedScores& ranked, double k, Strategy strategy) {
    validate_k(k);
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    if (strategy == Strategy::Overall) {
        const auto n_top = static_cast<std::size_t>(top_count(static_cast<std::int64_t>(ranked.size()), k));
        std::int64_t n_t = 0;
        double sum_t = 0.0;
        double sum_c = 0.0;
        // Branch-free: adding an exact 0.0 for the other group leaves each sum bit-identical.
        for (std::size_t i = 0; i < n_top; ++i) {
            const double treated = t[i];
            n_t += t[i];
            sum_t += treated * y[i];
            sum_c += (1.0 - treated) * y[i];
        }
        return difference_of_means(sum_t, n_t, sum_c, static_cast<std::int64_t>(n_top) - n_t);
    }
    // Index 0 control, 1 treated.
    const std::array<std::int64_t, 2> want{top_count(ranked.n_control(), k), top_count(ranked.n_treatment(), k)};
    std::array<std::int64_t, 2> taken{};
    std::array<double, 2> sum{};
    for (std::size_t i = 0; i < y.size() && (taken[0] < want[0] || taken[1] < want[1]); ++i) {
        const std::size_t g = t[i];
        if (taken[g] < want[g]) {
            sum[g] += y[i];
            ++taken[g];
        }
    }
    return difference_of_means(sum[1], taken[1], sum[0], taken[0]);
}

std::optional<double> uplift_at_k(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                  std::span<const double> score, double k, Strategy strategy) {
    validate_k(k);
    return uplift_at_k(RankedScores(y, treatment, score), k, strategy);
}

}  // namespace uplift::eval
