#include "uplift/eval/resample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/eval/curve_walk.hpp"
#include "uplift/eval/parallel.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval::detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Weight of the row at each rank of a ranking, read from counts kept by rank of the main ranking.
struct MappedCounts {
    const std::vector<std::uint32_t>& counts;
    std::span<const std::size_t> to_main;
    double operator()(std::size_t rank) const noexcept { return counts[to_main[rank]]; }
};

struct DirectCounts {
    const std::vector<std::uint32_t>& counts;
    double operator()(std::size_t rank) const noexcept { return counts[rank]; }
};

template <class Weight>
TrapezoidArea area_of(const RankedScores& ranked, CurveKind kind, const Weight& weight) {
    TrapezoidArea area;
    walk_curve(ranked, kind, weight, area);
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

    void reset() { std::fill(totals_.begin(), totals_.end(), TieGroup{}); }

    void add(std::size_t rank, double weight, double y, std::uint8_t treatment) {
        TieGroup& g = totals_[group_of_rank_[rank]];
        const double treated = weight * treatment;
        g.n += weight;
        g.n_t += treated;
        g.y_t += treated * y;
        g.y_c += (weight - treated) * y;
    }

    TrapezoidArea area(CurveKind kind) const {
        TrapezoidArea area;
        walk_groups(std::span<const TieGroup>(totals_.data(), groups_), kind, area);
        return area;
    }

private:
    std::vector<std::uint8_t> group_of_rank_;
    std::size_t groups_ = 0;
    std::array<TieGroup, max_groups> totals_{};
};

// A perfect ranking weighted by the draw counts: the general case (many-valued outcomes).
class RankedReference {
public:
    RankedReference(const RankedScores& main, RankedScores perfect)
        : perfect_(std::move(perfect)), to_main_(ranks_in(main, perfect_)) {}
    TrapezoidArea area(CurveKind kind, const std::vector<std::uint32_t>& counts) const {
        return area_of(perfect_, kind, MappedCounts{counts, to_main_});
    }

private:
    RankedScores perfect_;
    std::vector<std::size_t> to_main_;
};

}  // namespace

std::vector<std::size_t> ranks_in(const RankedScores& reference, const RankedScores& other) {
    std::vector<std::size_t> rank_of_row(reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i) rank_of_row[reference.row()[i]] = i;
    std::vector<std::size_t> to_reference(other.size());
    for (std::size_t i = 0; i < other.size(); ++i) to_reference[i] = rank_of_row[other.row()[i]];
    return to_reference;
}

std::vector<std::uint64_t> replicate_seeds(std::uint64_t seed, std::size_t replicates) {
    std::vector<std::uint64_t> seeds(replicates);
    Rng seeder(seed);
    for (std::uint64_t& s : seeds) s = seeder.next();
    return seeds;
}

void check_bootstrap_request(int replicates, double level, std::span<const double> ks) {
    if (replicates < 1) throw UsageError(fmt::format("bootstrap replicates must be at least 1, got {}", replicates));
    if (!(level > 0.0 && level < 1.0)) {
        throw UsageError(fmt::format("confidence level must be in (0, 1), got {}", level));
    }
    for (const double k : ks) validate_k(k);
}

std::vector<std::size_t> top_counts(std::size_t rows, std::span<const double> ks) {
    std::vector<std::size_t> out;
    for (const double k : ks) out.push_back(static_cast<std::size_t>(static_cast<double>(rows) * k));
    return out;
}

std::size_t replicate_parts(int threads, std::size_t rows, std::size_t replicates) {
    return std::min(thread_count(threads, rows * replicates), replicates);
}

ResampleGroups::ResampleGroups(const RankedScores& ranked) {
    const auto t = ranked.treatment();
    treated.reserve(static_cast<std::size_t>(ranked.n_treatment()));
    control.reserve(static_cast<std::size_t>(ranked.n_control()));
    for (std::size_t i = 0; i < ranked.size(); ++i) (t[i] != 0 ? treated : control).push_back(i);
}

// The perfect curve of each resample, grouped when possible. The perfect uplift curve switches
// summand with the resample's counts of control responders and treated non-responders.
class Resampler::PerfectReferences {
public:
    explicit PerfectReferences(const RankedScores& main) : main_(main) {
        qini_grouped_ = GroupedReference::build(main, [](double y, std::uint8_t t) {
            return perfect_qini_score(y, t);
        });
        for (const bool summand_is_outcome : {false, true}) {
            uplift_grouped_[summand_is_outcome ? 1 : 0] =
                GroupedReference::build(main, [summand_is_outcome](double y, std::uint8_t t) {
                    return perfect_uplift_score(y, t, summand_is_outcome);
                });
        }
        if (!qini_grouped_) qini_ranked_.emplace(main, rerank_perfect_qini(main));
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

    TrapezoidArea qini(const std::vector<std::uint32_t>& counts) const {
        return qini_grouped_ ? qini_grouped_->area(CurveKind::Qini)
                             : qini_ranked_->area(CurveKind::Qini, counts);
    }

    TrapezoidArea uplift(const std::vector<std::uint32_t>& counts) {
        const std::size_t summand = control_responders_ > treated_non_responders_ ? 1 : 0;
        if (uplift_grouped_[summand]) return uplift_grouped_[summand]->area(CurveKind::Uplift);
        // Built on first use: most resamples keep the summand of the full data.
        auto& ranked = uplift_ranked_[summand];
        if (!ranked) ranked.emplace(main_, rerank_perfect_uplift(main_, summand == 1));
        return ranked->area(CurveKind::Uplift, counts);
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


Resampler::Resampler(const RankedScores& reference, const ResampleGroups& groups,
                     std::span<const std::size_t> top_counts)
    : reference_(reference),
      groups_(groups),
      top_counts_(top_counts),
      counts_(reference.size()),
      perfect_(std::make_unique<PerfectReferences>(reference)) {}

Resampler::~Resampler() = default;

void Resampler::draw(std::uint64_t seed) {
    Rng rng(seed);
    std::fill(counts_.begin(), counts_.end(), 0u);
    for (const auto* group : {&groups_.treated, &groups_.control}) {
        for (std::size_t j = 0; j < group->size(); ++j) ++counts_[(*group)[rng.below(group->size())]];
    }
    perfect_->accumulate(counts_);
}

ResampleValues Resampler::values() { return values_of(reference_, DirectCounts{counts_}); }

ResampleValues Resampler::values(const RankedScores& other, std::span<const std::size_t> to_reference) {
    return values_of(other, MappedCounts{counts_, to_reference});
}

template <class Weight>
ResampleValues Resampler::values_of(const RankedScores& ranked, const Weight& weight) {
    ResampleValues out;
    const auto qini = area_of(ranked, CurveKind::Qini, weight);
    const auto perfect_q = perfect_->qini(counts_);
    const double q = normalised_area(qini.area(), perfect_q.area(), perfect_q.end_x(), perfect_q.end_y());
    const auto uplift = area_of(ranked, CurveKind::Uplift, weight);
    const auto perfect_u = perfect_->uplift(counts_);
    const double u = normalised_area(uplift.area(), perfect_u.area(), perfect_u.end_x(), perfect_u.end_y());
    out.qini_auc = std::isfinite(q) ? q : nan;
    out.uplift_auc = std::isfinite(u) ? u : nan;

    const auto y = ranked.y();
    const auto t = ranked.treatment();
    const std::size_t n = ranked.size();
    out.uplift_at_k.assign(top_counts_.size(), nan);
    for (std::size_t kk = 0; kk < top_counts_.size(); ++kk) {
        double sum_t = 0.0;
        double sum_c = 0.0;
        std::uint64_t n_t = 0;
        std::uint64_t n_c = 0;
        std::size_t remaining = top_counts_[kk];
        for (std::size_t i = 0; i < n && remaining > 0; ++i) {
            const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(weight(i)), remaining);
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
            out.uplift_at_k[kk] = sum_t / static_cast<double>(n_t) - sum_c / static_cast<double>(n_c);
        }
    }
    return out;
}

}  // namespace uplift::eval::detail
