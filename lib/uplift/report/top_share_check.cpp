#include "uplift/report/top_share_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/eval/metrics.hpp"

namespace uplift::report {

namespace {

struct TopSums {
    double sum_t = 0, sum_c = 0, n_t = 0, n_c = 0;
};

// Sums over the first `top` rows of the ranking, each rank counted `weight(rank)` times.
template <class Weight>
TopSums top_sums(const eval::RankedScores& ranked, std::size_t top, const Weight& weight) {
    TopSums s;
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    std::size_t remaining = top;
    for (std::size_t i = 0; i < ranked.size() && remaining > 0; ++i) {
        const std::size_t take = std::min<std::size_t>(weight(i), remaining);
        remaining -= take;
        const auto w = static_cast<double>(take);
        if (t[i] != 0) {
            s.n_t += w;
            s.sum_t += w * y[i];
        } else {
            s.n_c += w;
            s.sum_c += w * y[i];
        }
    }
    return s;
}

double uplift_of(const TopSums& s) {
    if (s.n_t == 0 || s.n_c == 0) return std::numeric_limits<double>::quiet_NaN();
    return s.sum_t / s.n_t - s.sum_c / s.n_c;
}

double useless_of(const TopSums& s) {
    if (s.n_t == 0 || s.n_c == 0 || s.sum_t <= 0) return std::numeric_limits<double>::quiet_NaN();
    return std::min(1.0, (s.sum_c / s.n_c) / (s.sum_t / s.n_t));
}

std::optional<double> defined(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

TopShareCheck check_top_share(const eval::RankedScores& ranked, double share, bool binary, int replicates,
                              std::uint64_t seed, double level) {
    if (!(share > 0.0 && share <= 1.0)) throw UsageError(fmt::format("top share must be in (0, 1], got {}", share));
    if (replicates < 0) throw UsageError(fmt::format("bootstrap replicates must be >= 0, got {}", replicates));
    const std::size_t n = ranked.size();
    const auto top = static_cast<std::size_t>(static_cast<double>(n) * share);

    TopShareCheck out;
    out.share = share;
    out.rows = static_cast<std::int64_t>(top);
    const auto once = [](std::size_t) { return std::size_t{1}; };
    const TopSums point = top_sums(ranked, top, once);
    out.rows_treatment = static_cast<std::int64_t>(point.n_t);
    out.rows_control = static_cast<std::int64_t>(point.n_c);
    if (top == 0) return out;
    out.uplift = eval::uplift_at_k(ranked, share, eval::Strategy::Overall);
    if (binary) out.useless_share = defined(useless_of(point));
    if (replicates == 0) return out;

    std::vector<std::size_t> treated_ranks;
    std::vector<std::size_t> control_ranks;
    for (std::size_t i = 0; i < n; ++i) (ranked.treatment()[i] != 0 ? treated_ranks : control_ranks).push_back(i);
    const auto reps = static_cast<std::size_t>(replicates);
    std::vector<double> uplifts(reps);
    std::vector<double> useless(reps);
    std::vector<std::uint32_t> counts(n);
    Rng rng(seed);
    for (std::size_t rep = 0; rep < reps; ++rep) {
        std::fill(counts.begin(), counts.end(), 0u);
        for (std::size_t j = 0; j < treated_ranks.size(); ++j) {
            ++counts[treated_ranks[rng.below(treated_ranks.size())]];
        }
        for (std::size_t j = 0; j < control_ranks.size(); ++j) {
            ++counts[control_ranks[rng.below(control_ranks.size())]];
        }
        const TopSums s = top_sums(ranked, top, [&](std::size_t i) { return std::size_t{counts[i]}; });
        uplifts[rep] = uplift_of(s);
        useless[rep] = useless_of(s);
    }
    out.uplift_range = eval::percentile_interval(std::move(uplifts), level);
    if (binary) out.useless_share_range = eval::percentile_interval(std::move(useless), level);
    return out;
}

std::optional<double> qini_peak_share(const eval::Curve& qini, std::int64_t n) {
    if (n <= 0) return std::nullopt;
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < qini.x.size() && i < qini.y.size(); ++i) {
        if (qini.x[i] <= 0 || !std::isfinite(qini.y[i]) || qini.y[i] <= 0) continue;
        if (!best || qini.y[i] > qini.y[*best]) best = i;
    }
    if (!best) return std::nullopt;
    return std::min(1.0, qini.x[*best] / static_cast<double>(n));
}

}  // namespace uplift::report
