#include "uplift/eval/ranking.hpp"

#include <array>
#include <bit>
#include <utility>

#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

// Unsigned key whose ascending order is descending score: a radix sort then needs no comparator.
std::uint64_t descending_key(double score) {
    constexpr std::uint64_t sign = std::uint64_t{1} << 63;
    if (score == 0.0) score = 0.0;  // numpy compares -0.0 == +0.0, so they must tie
    std::uint64_t bits = std::bit_cast<std::uint64_t>(score);
    bits = (bits & sign) != 0 ? ~bits : (bits | sign);
    return ~bits;
}

// Stable LSD radix sort of rows by key, a byte per pass. Passes on a byte where all keys agree are
// skipped. Keys and rows live in separate arrays: fresh memory, not arithmetic, dominates the cost
// at 10^7 rows, and 12 bytes a row are a quarter less than a padded pair.
void radix_sort(std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& rows) {
    const std::size_t n = keys.size();
    if (n < 2) return;
    std::array<std::array<std::size_t, 256>, 8> counts{};
    for (const std::uint64_t key : keys) {
        for (std::size_t d = 0; d < 8; ++d) ++counts[d][(key >> (8 * d)) & 0xFFu];
    }
    std::vector<std::uint64_t> keys_buffer;
    std::vector<std::uint32_t> rows_buffer;
    std::uint64_t* src_keys = keys.data();
    std::uint32_t* src_rows = rows.data();
    for (std::size_t d = 0; d < 8; ++d) {
        auto& offsets = counts[d];
        const unsigned shift = static_cast<unsigned>(8 * d);
        if (offsets[(src_keys[0] >> shift) & 0xFFu] == n) continue;
        if (keys_buffer.empty()) {
            keys_buffer.resize(n);
            rows_buffer.resize(n);
        }
        std::uint64_t* dst_keys = src_keys == keys.data() ? keys_buffer.data() : keys.data();
        std::uint32_t* dst_rows = src_rows == rows.data() ? rows_buffer.data() : rows.data();
        std::size_t sum = 0;
        for (std::size_t& c : offsets) sum += std::exchange(c, sum);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = offsets[(src_keys[i] >> shift) & 0xFFu]++;
            dst_keys[at] = src_keys[i];
            dst_rows[at] = src_rows[i];
        }
        src_keys = dst_keys;
        src_rows = dst_rows;
    }
    if (src_keys != keys.data()) {
        keys.swap(keys_buffer);
        rows.swap(rows_buffer);
    }
}

}  // namespace

RankedScores::RankedScores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                           std::span<const double> score)
    : RankedScores((validate_inputs(y, treatment, score), Unchecked{}), y, treatment, score) {}

RankedScores::RankedScores(Unchecked, std::span<const double> y, std::span<const std::uint8_t> treatment,
                           std::span<const double> score) {
    const std::size_t n = score.size();
    // Filled from the last row down: the stable sort then puts the larger row first among ties,
    // which is what reversing numpy's stable ascending argsort does.
    std::vector<std::uint64_t> keys(n);
    row_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = n - 1 - i;
        keys[i] = descending_key(score[r]);
        row_[i] = static_cast<std::uint32_t>(r);
    }
    radix_sort(keys, row_);

    y_.resize(n);
    treatment_.resize(n);
    tie_end_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t r = row_[i];
        y_[i] = y[r];
        treatment_[i] = treatment[r];
        tie_end_[i] = (i + 1 == n || keys[i] != keys[i + 1]) ? 1 : 0;
        n_treatment_ += treatment[r];
    }
}

namespace detail {

RankedScores rank_unchecked(std::span<const double> y, std::span<const std::uint8_t> treatment,
                            std::span<const double> score) {
    return RankedScores(RankedScores::Unchecked{}, y, treatment, score);
}

std::vector<double> perfect_qini_scores(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    std::vector<double> score(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double t = treatment[i];
        score[i] = y[i] * t - y[i] * (1.0 - t);
    }
    return score;
}

std::vector<double> perfect_uplift_scores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                          bool summand_is_outcome) {
    std::vector<double> score(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double t = treatment[i];
        score[i] = 2.0 * (y[i] == t ? 1.0 : 0.0) + (summand_is_outcome ? y[i] : t);
    }
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

namespace {

// The columns back in input order: tie order among equal perfect scores depends on the input row.
struct InputOrder {
    std::vector<double> y;
    std::vector<std::uint8_t> treatment;
};

InputOrder input_order(const RankedScores& ranked) {
    InputOrder columns{std::vector<double>(ranked.size()), std::vector<std::uint8_t>(ranked.size())};
    const auto rows = ranked.row();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        columns.y[rows[i]] = ranked.y()[i];
        columns.treatment[rows[i]] = ranked.treatment()[i];
    }
    return columns;
}

}  // namespace

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
