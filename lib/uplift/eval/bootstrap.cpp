#include "uplift/eval/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/eval/curve_walk.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// High and low 64 bits of a 64x64-bit product, portably (no __int128 under -Wpedantic).
void multiply_wide(std::uint64_t a, std::uint64_t b, std::uint64_t& high, std::uint64_t& low) {
    const std::uint64_t a_lo = a & 0xFFFFFFFFu;
    const std::uint64_t a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xFFFFFFFFu;
    const std::uint64_t b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t hi_hi = a_hi * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    low = (cross << 32) | (lo_lo & 0xFFFFFFFFu);
}

// Weight of the row at each rank of a ranking, read from counts kept by rank of the main ranking.
struct MappedCounts {
    const std::vector<std::uint32_t>& counts;
    const std::vector<std::size_t>& to_main;
    double operator()(std::size_t rank) const noexcept { return counts[to_main[rank]]; }
};

struct DirectCounts {
    const std::vector<std::uint32_t>& counts;
    double operator()(std::size_t rank) const noexcept { return counts[rank]; }
};

// Where each rank of `other` sits in `main`: both rank the same input rows.
std::vector<std::size_t> ranks_in(const RankedScores& main, const RankedScores& other) {
    std::vector<std::size_t> rank_of_row(main.size());
    for (std::size_t i = 0; i < main.size(); ++i) rank_of_row[main.row()[i]] = i;
    std::vector<std::size_t> to_main(other.size());
    for (std::size_t i = 0; i < other.size(); ++i) to_main[i] = rank_of_row[other.row()[i]];
    return to_main;
}

template <class Weight>
detail::TrapezoidArea area_of(const RankedScores& ranked, detail::CurveKind kind, const Weight& weight) {
    detail::TrapezoidArea area;
    detail::walk_curve(ranked, kind, weight, area);
    return area;
}

// The perfect uplift ranking for one summand, built on first use: most resamples keep the choice
// of the full data, so the other ranking is rarely needed.
class PerfectUpliftRankings {
public:
    explicit PerfectUpliftRankings(const RankedScores& main) : main_(main) {}
    const RankedScores& get(bool summand_is_outcome, const std::vector<std::size_t>*& to_main) {
        Entry& e = entries_[summand_is_outcome ? 1 : 0];
        if (!e.ranked) {
            e.ranked = detail::rerank_perfect_uplift(main_, summand_is_outcome);
            e.to_main = ranks_in(main_, *e.ranked);
        }
        to_main = &e.to_main;
        return *e.ranked;
    }

private:
    struct Entry {
        std::optional<RankedScores> ranked;
        std::vector<std::size_t> to_main;
    };
    const RankedScores& main_;
    Entry entries_[2];
};

}  // namespace

std::uint64_t draw_below(std::mt19937_64& rng, std::uint64_t bound) {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    multiply_wide(rng(), bound, high, low);
    if (low < bound) {
        // 2^64 mod bound: products whose low half falls below it would over-represent some values.
        const std::uint64_t threshold = (std::uint64_t{0} - bound) % bound;
        while (low < threshold) multiply_wide(rng(), bound, high, low);
    }
    return high;
}

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
                                       std::uint64_t seed, double level) {
    if (replicates < 1) throw UsageError(fmt::format("bootstrap replicates must be at least 1, got {}", replicates));
    if (!(level > 0.0 && level < 1.0)) {
        throw UsageError(fmt::format("confidence level must be in (0, 1), got {}", level));
    }
    for (const double k : ks) validate_k(k);

    const std::size_t n = ranked.size();
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    std::vector<std::size_t> treated_ranks;
    std::vector<std::size_t> control_ranks;
    treated_ranks.reserve(static_cast<std::size_t>(ranked.n_treatment()));
    control_ranks.reserve(static_cast<std::size_t>(ranked.n_control()));
    for (std::size_t i = 0; i < n; ++i) (t[i] != 0 ? treated_ranks : control_ranks).push_back(i);

    const RankedScores perfect_qini = detail::rerank_perfect_qini(ranked);
    const std::vector<std::size_t> perfect_qini_to_main = ranks_in(ranked, perfect_qini);
    PerfectUpliftRankings perfect_uplift(ranked);

    std::vector<std::size_t> top_counts;
    for (const double k : ks) top_counts.push_back(static_cast<std::size_t>(static_cast<double>(n) * k));

    const auto reps = static_cast<std::size_t>(replicates);
    std::vector<double> qini_values(reps, nan);
    std::vector<double> uplift_values(reps, nan);
    std::vector<std::vector<double>> at_k_values(ks.size(), std::vector<double>(reps, nan));

    std::mt19937_64 rng(seed);
    std::vector<std::uint32_t> counts(n);
    for (std::size_t rep = 0; rep < reps; ++rep) {
        std::fill(counts.begin(), counts.end(), 0u);
        for (std::size_t j = 0; j < treated_ranks.size(); ++j) ++counts[treated_ranks[draw_below(rng, treated_ranks.size())]];
        for (std::size_t j = 0; j < control_ranks.size(); ++j) ++counts[control_ranks[draw_below(rng, control_ranks.size())]];
        const DirectCounts weight{counts};

        const auto qini = area_of(ranked, detail::CurveKind::Qini, weight);
        const auto perfect_q = area_of(perfect_qini, detail::CurveKind::Qini, MappedCounts{counts, perfect_qini_to_main});
        qini_values[rep] = detail::normalised_area(qini.area(), perfect_q.area(), perfect_q.end_x(), perfect_q.end_y());

        std::uint64_t control_responders = 0;
        std::uint64_t treated_non_responders = 0;
        for (std::size_t i = 0; i < n; ++i) {
            control_responders += (t[i] == 0 && y[i] == 1.0) ? counts[i] : 0u;
            treated_non_responders += (t[i] != 0 && y[i] == 0.0) ? counts[i] : 0u;
        }
        const std::vector<std::size_t>* to_main = nullptr;
        const RankedScores& perfect_u = perfect_uplift.get(control_responders > treated_non_responders, to_main);
        const auto uplift = area_of(ranked, detail::CurveKind::Uplift, weight);
        const auto perfect_up = area_of(perfect_u, detail::CurveKind::Uplift, MappedCounts{counts, *to_main});
        uplift_values[rep] =
            detail::normalised_area(uplift.area(), perfect_up.area(), perfect_up.end_x(), perfect_up.end_y());

        for (std::size_t kk = 0; kk < ks.size(); ++kk) {
            double sum_t = 0.0;
            double sum_c = 0.0;
            std::uint64_t n_t = 0;
            std::uint64_t n_c = 0;
            std::size_t remaining = top_counts[kk];
            for (std::size_t i = 0; i < n && remaining > 0; ++i) {
                const std::size_t take = std::min<std::size_t>(counts[i], remaining);
                remaining -= take;
                if (t[i] != 0) {
                    n_t += take;
                    sum_t += static_cast<double>(take) * y[i];
                } else {
                    n_c += take;
                    sum_c += static_cast<double>(take) * y[i];
                }
            }
            if (n_t > 0 && n_c > 0) {
                at_k_values[kk][rep] = sum_t / static_cast<double>(n_t) - sum_c / static_cast<double>(n_c);
            }
        }
        for (double* v : {&qini_values[rep], &uplift_values[rep]}) {
            if (!std::isfinite(*v)) *v = nan;
        }
    }

    BootstrapIntervals result;
    result.level = level;
    result.replicates = replicates;
    result.qini_auc = percentile_interval(std::move(qini_values), level);
    result.uplift_auc = percentile_interval(std::move(uplift_values), level);
    for (auto& values : at_k_values) result.uplift_at_k.push_back(percentile_interval(std::move(values), level));
    return result;
}

}  // namespace uplift::eval
