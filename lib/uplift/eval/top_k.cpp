// uplift@k: the uplift among the rows ranked highest.

#include <cmath>
#include <limits>

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
    double sum_t = 0.0;
    double sum_c = 0.0;
    std::int64_t n_t = 0;
    std::int64_t n_c = 0;
    if (strategy == Strategy::Overall) {
        const auto n_top = static_cast<std::size_t>(top_count(static_cast<std::int64_t>(ranked.size()), k));
        for (std::size_t i = 0; i < n_top; ++i) {
            if (t[i] != 0) {
                sum_t += y[i];
                ++n_t;
            } else {
                sum_c += y[i];
                ++n_c;
            }
        }
        return difference_of_means(sum_t, n_t, sum_c, n_c);
    }
    const std::int64_t want_t = top_count(ranked.n_treatment(), k);
    const std::int64_t want_c = top_count(ranked.n_control(), k);
    for (std::size_t i = 0; i < y.size() && (n_t < want_t || n_c < want_c); ++i) {
        if (t[i] != 0) {
            if (n_t < want_t) {
                sum_t += y[i];
                ++n_t;
            }
        } else if (n_c < want_c) {
            sum_c += y[i];
            ++n_c;
        }
    }
    return difference_of_means(sum_t, n_t, sum_c, n_c);
}

std::optional<double> uplift_at_k(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                  std::span<const double> score, double k, Strategy strategy) {
    validate_k(k);
    return uplift_at_k(RankedScores(y, treatment, score), k, strategy);
}

}  // namespace uplift::eval
