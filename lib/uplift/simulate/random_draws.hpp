#pragma once
/// Continuous and count draws on top of uplift::Rng, written out here because the standard library's
/// distributions (normal, gamma, poisson) leave their algorithms to each implementation: the same seed
/// would give other data with another compiler. These use only Rng's 64-bit words and <cmath>.

#include <cmath>
#include <cstdint>
#include <numbers>

#include "uplift/core/random.hpp"

namespace uplift::simulate {

/// Uniform in (0, 1]: safe under log().
inline double uniform_open0(Rng& rng) { return 1.0 - rng.uniform01(); }

/// Uniform in [a, b).
inline double uniform(Rng& rng, double a, double b) { return a + (b - a) * rng.uniform01(); }

/// Standard normal (Box–Muller, one value per call: simple and stateless, so no hidden cache to reset).
inline double normal(Rng& rng) {
    const double u1 = uniform_open0(rng);
    const double u2 = rng.uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Gamma(shape, scale=1) by Marsaglia and Tsang (2000); shape < 1 through the boost u^(1/shape).
inline double gamma(Rng& rng, double shape) {
    if (shape < 1.0) return gamma(rng, shape + 1.0) * std::pow(uniform_open0(rng), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x = 0;
        double v = 0;
        do {
            x = normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const double u = uniform_open0(rng);
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
}

/// Beta(a, b) as a ratio of gammas.
inline double beta(Rng& rng, double a, double b) {
    const double x = gamma(rng, a);
    const double y = gamma(rng, b);
    return x + y > 0 ? x / (x + y) : 0.5;
}

/// Poisson(mean): inversion by sequential search for moderate means (one uniform per draw), the normal
/// approximation beyond 200 where the exact pmf underflows and the difference no longer matters here.
inline std::int64_t poisson(Rng& rng, double mean) {
    if (mean <= 0) return 0;
    if (mean > 200) {
        const double x = std::round(mean + std::sqrt(mean) * normal(rng));
        return x < 0 ? 0 : static_cast<std::int64_t>(x);
    }
    double p = std::exp(-mean);
    double cdf = p;
    const double u = rng.uniform01();
    std::int64_t k = 0;
    while (u > cdf && k < 10000) {
        ++k;
        p *= mean / static_cast<double>(k);
        cdf += p;
        if (p < 1e-300) break;  // rounding left the cdf just short of u: the tail is exhausted
    }
    return k;
}

/// Gamma–Poisson mixture = negative binomial with the given mean and dispersion `shape` (smaller: wider).
inline std::int64_t negative_binomial(Rng& rng, double mean, double shape) {
    return poisson(rng, mean * gamma(rng, shape) / shape);
}

/// Lognormal with the given median and log-scale sigma.
inline double lognormal(Rng& rng, double median, double sigma) { return median * std::exp(sigma * normal(rng)); }

inline bool bernoulli(Rng& rng, double p) { return rng.uniform01() < p; }

/// A 64-bit mix (SplitMix64's finaliser): derives independent seeds for streams from (seed, index).
inline std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// The seed of stream `index` of domain `domain` under the user's seed.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t domain, std::uint64_t index) {
    return mix64(mix64(seed ^ mix64(domain)) + index);
}

}  // namespace uplift::simulate
