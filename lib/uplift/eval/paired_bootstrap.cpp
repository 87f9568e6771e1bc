#include "uplift/eval/paired_bootstrap.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/eval/bootstrap.hpp"
#include "uplift/eval/resample.hpp"

namespace uplift::eval {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// NaN unless both are defined: a replicate where either model's metric is undefined says nothing of the gap.
double difference(double challenger, double champion) {
    return std::isnan(challenger) || std::isnan(champion) ? nan : challenger - champion;
}

/// The champion's ranks in the challenger's ranking, after checking that both rank the same rows.
std::vector<std::size_t> same_rows(const RankedScores& champion, const RankedScores& challenger) {
    if (champion.size() != challenger.size()) {
        throw InternalError(fmt::format("paired bootstrap of {} rows against {}", challenger.size(), champion.size()));
    }
    auto to_challenger = detail::ranks_in(challenger, champion);
    for (std::size_t i = 0; i < champion.size(); ++i) {
        const std::size_t j = to_challenger[i];
        if (champion.y()[i] != challenger.y()[j] || champion.treatment()[i] != challenger.treatment()[j]) {
            throw InternalError(fmt::format("paired bootstrap: input row {} differs between the two rankings",
                                            champion.row()[i]));
        }
    }
    return to_challenger;
}

}  // namespace

PairedIntervals paired_bootstrap(const RankedScores& champion, const RankedScores& challenger,
                                 std::span<const double> ks, int replicates, std::uint64_t seed, double level,
                                 int threads) {
    detail::check_bootstrap_request(replicates, level, ks);
    const auto to_challenger = same_rows(champion, challenger);
    const auto reps = static_cast<std::size_t>(replicates);
    const auto seeds = detail::replicate_seeds(seed, reps);
    const detail::ResampleGroups groups(challenger);
    const auto top = detail::top_counts(challenger.size(), ks);

    std::vector<double> qini_values(reps, nan);
    std::vector<std::vector<double>> at_k_values(ks.size(), std::vector<double>(reps, nan));
    // Two rankings measured per resample: parts as for twice the rows.
    const std::size_t parts = detail::replicate_parts(threads, 2 * challenger.size(), reps);
    for_each_part(parts, parts, [&](std::size_t part) {
        detail::Resampler resampler(challenger, groups, top);
        for (std::size_t rep = part_begin(reps, parts, part); rep < part_begin(reps, parts, part + 1); ++rep) {
            resampler.draw(seeds[rep]);
            const auto new_model = resampler.values();
            const auto old_model = resampler.values(champion, to_challenger);
            qini_values[rep] = difference(new_model.qini_auc, old_model.qini_auc);
            for (std::size_t kk = 0; kk < ks.size(); ++kk) {
                at_k_values[kk][rep] = difference(new_model.uplift_at_k[kk], old_model.uplift_at_k[kk]);
            }
        }
    });

    PairedIntervals result;
    result.level = level;
    result.replicates = replicates;
    result.qini_auc = percentile_interval(std::move(qini_values), level);
    for (auto& values : at_k_values) result.uplift_at_k.push_back(percentile_interval(std::move(values), level));
    return result;
}

}  // namespace uplift::eval
