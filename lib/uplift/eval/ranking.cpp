#include "uplift/eval/ranking.hpp"

#include <array>
#include <bit>
#include <utility>

#include "uplift/eval/parallel.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

// Unsigned key whose ascending order is descending score: a radix sort then needs no comparator.
std::uint64_t descending_key(double score) {
    constexpr std::uint64_t sign = std::uint64_t{1} << 63;
    std::uint64_t bits = std::bit_cast<std::uint64_t>(score);
    bits = (bits & sign) != 0 ? ~bits : (bits | sign);
    return ~bits;
}

}  // namespace

RankedScores::RankedScores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                           std::span<const double> score, int threads)
    : RankedScores((validate_inputs(y, treatment, score), Unchecked{}), y, treatment, score, threads) {}

// A stable LSD radix sort, one byte of the key per pass, skipping bytes on which all keys agree.
// At 10^7 rows fresh memory (page faults), not arithmetic, dominates the cost, so the sort moves
// scores rather than keys (the key is recomputed per pass) and its spare score buffer becomes y_.
// Each pass is split over threads by source range; thread p writes each bucket after threads < p,
// which keeps the sort stable whatever the thread count.
RankedScores::RankedScores(Unchecked, std::span<const double> y, std::span<const std::uint8_t> treatment,
                           std::span<const double> score, int threads) {
    using Histogram = std::array<std::size_t, 256>;
    const std::size_t n = score.size();
    const std::size_t parts = detail::thread_count(threads, n);
    const auto begin = [n, parts](std::size_t p) { return part_begin(n, parts, p); };

    // Filled from the last row down: the stable sort then puts the larger row first among ties,
    // which is what reversing numpy's stable ascending argsort does. numpy compares -0.0 == +0.0,
    // so they must share a key.
    score_.resize(n);
    row_.resize(n);
    std::vector<std::array<Histogram, 8>> initial(parts);
    for_each_part(parts, parts, [&](std::size_t p) {
        auto& h = initial[p];
        for (auto& digit : h) digit.fill(0);
        for (std::size_t i = begin(p); i < begin(p + 1); ++i) {
            const std::size_t r = n - 1 - i;
            const double s = score[r] == 0.0 ? 0.0 : score[r];
            score_[i] = s;
            row_[i] = static_cast<std::uint32_t>(r);
            const std::uint64_t key = descending_key(s);
            for (std::size_t d = 0; d < 8; ++d) ++h[d][(key >> (8 * d)) & 0xFFu];
        }
    });

    detail::Buffer<double> spare_scores;
    detail::Buffer<std::uint32_t> spare_rows;
    std::vector<Histogram> counts(parts);
    bool arranged_as_initial = true;
    for (std::size_t d = 0; d < 8 && n > 0; ++d) {
        const unsigned shift = static_cast<unsigned>(8 * d);
        const auto digit = [shift](double s) { return (descending_key(s) >> shift) & 0xFFu; };
        std::size_t first_bucket_total = 0;
        for (std::size_t p = 0; p < parts; ++p) first_bucket_total += initial[p][d][digit(score_[0])];
        if (first_bucket_total == n) continue;

        if (arranged_as_initial) {
            for (std::size_t p = 0; p < parts; ++p) counts[p] = initial[p][d];
        } else {
            for_each_part(parts, parts, [&](std::size_t p) {
                counts[p].fill(0);
                for (std::size_t i = begin(p); i < begin(p + 1); ++i) ++counts[p][digit(score_[i])];
            });
        }
        // Turn counts into write positions: bucket by bucket, part by part.
        std::size_t position = 0;
        for (std::size_t b = 0; b < 256; ++b) {
            for (std::size_t p = 0; p < parts; ++p) position += std::exchange(counts[p][b], position);
        }
        spare_scores.resize(n);
        spare_rows.resize(n);
        for_each_part(parts, parts, [&](std::size_t p) {
            Histogram& at = counts[p];
            for (std::size_t i = begin(p); i < begin(p + 1); ++i) {
                const std::size_t to = at[digit(score_[i])]++;
                spare_scores[to] = score_[i];
                spare_rows[to] = row_[i];
            }
        });
        score_.swap(spare_scores);
        row_.swap(spare_rows);
        arranged_as_initial = false;
    }
    spare_rows = {};

    y_ = std::move(spare_scores);
    y_.resize(n);
    treatment_.resize(n);
    std::vector<std::int64_t> treated(parts, 0);
    for_each_part(parts, parts, [&](std::size_t p) {
        std::int64_t count = 0;
        constexpr std::size_t ahead = 16;
        for (std::size_t i = begin(p); i < begin(p + 1); ++i) {
            // Rows come in random order: asking for future rows early overlaps the cache misses.
            if (i + ahead < n) __builtin_prefetch(&y[row_[i + ahead]]);
            const std::uint32_t r = row_[i];
            y_[i] = y[r];
            treatment_[i] = treatment[r];
            count += treatment[r];
        }
        treated[p] = count;
    });
    for (const std::int64_t count : treated) n_treatment_ += count;
}

namespace detail {

RankedScores rank_unchecked(std::span<const double> y, std::span<const std::uint8_t> treatment,
                            std::span<const double> score, int threads) {
    return RankedScores(RankedScores::Unchecked{}, y, treatment, score, threads);
}

std::vector<double> perfect_qini_scores(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    std::vector<double> score(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) score[i] = perfect_qini_score(y[i], treatment[i]);
    return score;
}

std::vector<double> perfect_uplift_scores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                          bool summand_is_outcome) {
    std::vector<double> score(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) score[i] = perfect_uplift_score(y[i], treatment[i], summand_is_outcome);
    return score;
}

bool perfect_uplift_summand_is_outcome(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    std::size_t control_responders = 0;
    std::size_t treated_non_responders = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        control_responders += (y[i] == 1.0 && treatment[i] == 0) ? 1 : 0;
        treated_non_responders += (y[i] == 0.0 && treatment[i] == 1) ? 1 : 0;
    }
    return control_responders > treated_non_responders;
}

// Tie order among equal perfect scores depends on the input row, so re-ranking starts from input order.
InputOrder input_order(const RankedScores& ranked) {
    InputOrder columns{std::vector<double>(ranked.size()), std::vector<std::uint8_t>(ranked.size())};
    const auto rows = ranked.row();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        columns.y[rows[i]] = ranked.y()[i];
        columns.treatment[rows[i]] = ranked.treatment()[i];
    }
    return columns;
}

RankedScores rerank_perfect_qini(const RankedScores& ranked) {
    const InputOrder columns = input_order(ranked);
    return rank_unchecked(columns.y, columns.treatment, perfect_qini_scores(columns.y, columns.treatment));
}

RankedScores rerank_perfect_uplift(const RankedScores& ranked, bool summand_is_outcome) {
    const InputOrder columns = input_order(ranked);
    return rank_unchecked(columns.y, columns.treatment,
                          perfect_uplift_scores(columns.y, columns.treatment, summand_is_outcome));
}

RankedScores rerank_perfect_uplift(const RankedScores& ranked) {
    return rerank_perfect_uplift(ranked, perfect_uplift_summand_is_outcome(ranked.y(), ranked.treatment()));
}

}  // namespace detail

RankedScores rank_perfect_qini(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    validate_inputs(y, treatment);
    return detail::rank_unchecked(y, treatment, detail::perfect_qini_scores(y, treatment));
}

RankedScores rank_perfect_uplift(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    validate_inputs(y, treatment);
    const bool summand_is_outcome = detail::perfect_uplift_summand_is_outcome(y, treatment);
    return detail::rank_unchecked(y, treatment, detail::perfect_uplift_scores(y, treatment, summand_is_outcome));
}

}  // namespace uplift::eval
