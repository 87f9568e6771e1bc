#include "uplift/eval/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "uplift/core/parallel.hpp"
#include "uplift/eval/resample.hpp"

namespace uplift::eval {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::optional<ConfidenceInterval> percentile_interval(std::vector<double> values, double level) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto quantile = [&values](double q) {
        const double position = q * static_cast<double>(values.size() - 1);
        const auto below = static_cast<std::size_t>(std::floor(position));
        const std::size_t above = std::min(below + 1, values.size() - 1);
        const double fraction = position - static_cast<double>(below);
        return values[below] + (values[above] - values[below]) * fraction;
    };
    const double tail = (1.0 - level) / 2.0;
    return ConfidenceInterval{quantile(tail), quantile(1.0 - tail)};
}

BootstrapIntervals bootstrap_intervals(const RankedScores& ranked, std::span<const double> ks, int replicates,
                                       std::uint64_t seed, double level, int threads) {
    detail::check_bootstrap_request(replicates, level, ks);
    const auto reps = static_cast<std::size_t>(replicates);
    const auto seeds = detail::replicate_seeds(seed, reps);
    const detail::ResampleGroups groups(ranked);
    const auto top = detail::top_counts(ranked.size(), ks);

    std::vector<double> qini_values(reps, nan);
    std::vector<double> uplift_values(reps, nan);
    std::vector<std::vector<double>> at_k_values(ks.size(), std::vector<double>(reps, nan));

    const std::size_t parts = detail::replicate_parts(threads, ranked.size(), reps);
    for_each_part(parts, parts, [&](std::size_t part) {
        detail::Resampler resampler(ranked, groups, top);
        for (std::size_t rep = part_begin(reps, parts, part); rep < part_begin(reps, parts, part + 1); ++rep) {
            resampler.draw(seeds[rep]);
            const auto values = resampler.values();
            qini_values[rep] = values.qini_auc;
            uplift_values[rep] = values.uplift_auc;
            for (std::size_t kk = 0; kk < ks.size(); ++kk) at_k_values[kk][rep] = values.uplift_at_k[kk];
        }
    });

    BootstrapIntervals result;
    result.level = level;
    result.replicates = replicates;
    result.qini_auc = percentile_interval(std::move(qini_values), level);
    result.uplift_auc = percentile_interval(std::move(uplift_values), level);
    for (auto& values : at_k_values) result.uplift_at_k.push_back(percentile_interval(std::move(values), level));
    return result;
}

}  // namespace uplift::eval
