#include "uplift/eval/bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/eval/curve_walk.hpp"
#include "uplift/eval/parallel.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

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

// Totals per run of equal perfect scores, when the perfect score takes few values (binary
// outcomes): a resample's perfect curve then comes from a few group totals, with no re-ranking
// and no walk over a second order of the rows.
class GroupedReference {
public:
    static constexpr std::size_t max_groups = 16;

    template <class ScoreOf>
    static std::optional<GroupedReference> build(const RankedScores& ranked, const ScoreOf& score_of) {
        GroupedReference ref;
        std::vector<double> scores;
        const auto y = ranked.y();
        const auto t = ranked.treatment();
        ref.group_of_rank_.resize(ranked.size());
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            const double score = score_of(y[i], t[i]);
            std::size_t g = 0;
            while (g < scores.size() && !(scores[g] == score)) ++g;
            if (g == scores.size()) {
                if (scores.size() == max_groups) return std::nullopt;
                scores.push_back(score);
            }
            ref.group_of_rank_[i] = static_cast<std::uint8_t>(g);
        }
        // Renumber so that group order is descending score, the order of the curve.
        std::vector<std::uint8_t> order(scores.size());
        for (std::size_t g = 0; g < order.size(); ++g) order[g] = static_cast<std::uint8_t>(g);
        std::sort(order.begin(), order.end(), [&scores](std::uint8_t a, std::uint8_t b) { return scores[a] > scores[b]; });
        std::array<std::uint8_t, max_groups> position{};
        for (std::size_t p = 0; p < order.size(); ++p) position[order[p]] = static_cast<std::uint8_t>(p);
        for (std::uint8_t& g : ref.group_of_rank_) g = position[g];
        ref.groups_ = scores.size();
        return ref;
    }

    void reset() { std::fill(totals_.begin(), totals_.end(), detail::TieGroup{}); }

    void add(std::size_t rank, double weight, double y, std::uint8_t treatment) {
        detail::TieGroup& g = totals_[group_of_rank_[rank]];
        const double treated = weight * treatment;
        g.n += weight;
        g.n_t += treated;
        g.y_t += treated * y;
        g.y_c += (weight - treated) * y;
    }

    detail::TrapezoidArea area(detail::CurveKind kind) const {
        detail::TrapezoidArea area;
        detail::walk_groups(std::span<const detail::TieGroup>(totals_.data(), groups_), kind, area);
        return area;
    }

private:
    std::vector<std::uint8_t> group_of_rank_;
    std::size_t groups_ = 0;
    std::array<detail::TieGroup, max_groups> totals_{};
};

// A perfect ranking weighted by the draw counts: the general case (many-valued outcomes).
class RankedReference {
public:
    RankedReference(const RankedScores& main, RankedScores perfect)
        : perfect_(std::move(perfect)), to_main_(ranks_in(main, perfect_)) {}
    detail::TrapezoidArea area(detail::CurveKind kind, const std::vector<std::uint32_t>& counts) const {
        return area_of(perfect_, kind, MappedCounts{counts, to_main_});
    }

private:
    RankedScores perfect_;
    std::vector<std::size_t> to_main_;
};

// The perfect curve of each resample, grouped when possible. The perfect uplift curve switches
// summand with the resample's counts of control responders and treated non-responders.
class PerfectReferences {
public:
    explicit PerfectReferences(const RankedScores& main) : main_(main) {
        qini_grouped_ = GroupedReference::build(main, [](double y, std::uint8_t t) {
            return detail::perfect_qini_score(y, t);
        });
        for (const bool summand_is_outcome : {false, true}) {
            uplift_grouped_[summand_is_outcome ? 1 : 0] =
                GroupedReference::build(main, [summand_is_outcome](double y, std::uint8_t t) {
                    return detail::perfect_uplift_score(y, t, summand_is_outcome);
                });
        }
        if (!qini_grouped_) qini_ranked_.emplace(main, detail::rerank_perfect_qini(main));
    }

    // One sequential pass over the counts of a resample; drawing rows stays the only random access.
    void accumulate(const std::vector<std::uint32_t>& counts) {
        control_responders_ = 0;
        treated_non_responders_ = 0;
        if (qini_grouped_) qini_grouped_->reset();
        for (auto& g : uplift_grouped_) {
            if (g) g->reset();
        }
        const auto y = main_.y();
        const auto t = main_.treatment();
        for (std::size_t i = 0; i < counts.size(); ++i) {
            if (counts[i] == 0) continue;
            const double weight = counts[i];
            control_responders_ += (t[i] == 0 && y[i] == 1.0) ? counts[i] : 0u;
            treated_non_responders_ += (t[i] != 0 && y[i] == 0.0) ? counts[i] : 0u;
            if (qini_grouped_) qini_grouped_->add(i, weight, y[i], t[i]);
            for (auto& g : uplift_grouped_) {
                if (g) g->add(i, weight, y[i], t[i]);
            }
        }
    }

    detail::TrapezoidArea qini(const std::vector<std::uint32_t>& counts) const {
        return qini_grouped_ ? qini_grouped_->area(detail::CurveKind::Qini)
                             : qini_ranked_->area(detail::CurveKind::Qini, counts);
    }

    detail::TrapezoidArea uplift(const std::vector<std::uint32_t>& counts) {
        const std::size_t summand = control_responders_ > treated_non_responders_ ? 1 : 0;
        if (uplift_grouped_[summand]) return uplift_grouped_[summand]->area(detail::CurveKind::Uplift);
        // Built on first use: most resamples keep the summand of the full data.
        auto& ranked = uplift_ranked_[summand];
        if (!ranked) ranked.emplace(main_, detail::rerank_perfect_uplift(main_, summand == 1));
        return ranked->area(detail::CurveKind::Uplift, counts);
    }

private:
    const RankedScores& main_;
    std::optional<GroupedReference> qini_grouped_;
    std::optional<GroupedReference> uplift_grouped_[2];
    std::optional<RankedReference> qini_ranked_;
    std::optional<RankedReference> uplift_ranked_[2];
    std::uint64_t control_responders_ = 0;
    std::uint64_t treated_non_responders_ = 0;
};

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

    std::vector<std::size_t> top_counts;
    for (const double k : ks) top_counts.push_back(static_cast<std::size_t>(static_cast<double>(n) * k));

    const auto reps = static_cast<std::size_t>(replicates);
    // One seed per replicate makes replicates independent of each other, hence of the thread count.
    std::vector<std::uint64_t> seeds(reps);
    Rng seeder(seed);
    for (std::uint64_t& s : seeds) s = seeder.next();

    std::vector<double> qini_values(reps, nan);
    std::vector<double> uplift_values(reps, nan);
    std::vector<std::vector<double>> at_k_values(ks.size(), std::vector<double>(reps, nan));

    const std::size_t parts = std::min(detail::thread_count(threads, n * reps), reps);
    for_each_part(parts, parts, [&](std::size_t part) {
        PerfectReferences perfect(ranked);
        std::vector<std::uint32_t> counts(n);
        for (std::size_t rep = part_begin(reps, parts, part); rep < part_begin(reps, parts, part + 1);
             ++rep) {
            Rng rng(seeds[rep]);
            std::fill(counts.begin(), counts.end(), 0u);
            for (const auto* group : {&treated_ranks, &control_ranks}) {
                for (std::size_t j = 0; j < group->size(); ++j) ++counts[(*group)[rng.below(group->size())]];
            }
            perfect.accumulate(counts);
            const DirectCounts weight{counts};

            const auto qini = area_of(ranked, detail::CurveKind::Qini, weight);
            const auto perfect_q = perfect.qini(counts);
            const double q = detail::normalised_area(qini.area(), perfect_q.area(), perfect_q.end_x(), perfect_q.end_y());
            const auto uplift = area_of(ranked, detail::CurveKind::Uplift, weight);
            const auto perfect_u = perfect.uplift(counts);
            const double u =
                detail::normalised_area(uplift.area(), perfect_u.area(), perfect_u.end_x(), perfect_u.end_y());
            qini_values[rep] = std::isfinite(q) ? q : nan;
            uplift_values[rep] = std::isfinite(u) ? u : nan;

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
