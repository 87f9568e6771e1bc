#include "uplift/model/randomisation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <utility>

#include "uplift/core/errors.hpp"
#include "uplift/model/base_fit.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

namespace {

/// An unsigned key in the float's order: -0 and +0 give the same key, as they compare equal.
std::uint32_t order_key(float v) {
    if (v == 0.0f) v = 0.0f;
    const auto bits = std::bit_cast<std::uint32_t>(v);
    return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
}

/// The Mann–Whitney AUC of `n` entries sorted by score: same_score(i, j) tells whether entries i and j tie,
/// positive(i) whether entry i is a positive. Ties share their mean rank, added once per positive in sorted
/// order, so every sort that groups the ties alike gives the same figure to the last bit.
template <class SameScore, class Positive>
double sorted_auc(std::size_t n, const SameScore& same_score, const Positive& positive) {
    double rank_sum = 0, positives = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && same_score(i, j)) ++j;
        const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t t = i; t < j; ++t) {
            if (positive(t)) {
                rank_sum += mid_rank;
                positives += 1;
            }
        }
        i = j;
    }
    const double negatives = static_cast<double>(n) - positives;
    if (positives == 0 || negatives == 0) return 0.5;
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

}  // namespace

double roc_auc(std::span<const double> score, std::span<const std::uint8_t> label) {
    // The (score, label) pairs themselves are sorted, not row numbers through an indirect comparison: at a
    // million rows that random access was most of the time. Only tie groups matter to the result, and they
    // are the same whichever order a group's rows come in.
    std::vector<std::pair<double, std::uint8_t>> rows(score.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = {score[i], label[i]};
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return sorted_auc(
        rows.size(), [&](std::size_t i, std::size_t j) { return rows[j].first == rows[i].first; },
        [&](std::size_t t) { return rows[t].second != 0; });
}

double roc_auc_of_floats(std::span<const float> score, std::span<const std::uint8_t> label) {
    // key = order_key << 1 | label: sorted keys hold each tie group together, whatever order its labels take.
    const std::size_t n = score.size();
    std::vector<std::uint64_t> keys(n), sorted(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = std::uint64_t{order_key(score[i])} << 1 | (label[i] != 0 ? 1u : 0u);
    constexpr int digit_bits = 11;  // three passes cover the 33 bits
    constexpr std::size_t digits = std::size_t{1} << digit_bits;
    std::vector<std::size_t> start(digits);
    for (int shift = 0; shift < 33; shift += digit_bits) {
        std::fill(start.begin(), start.end(), 0);
        for (const std::uint64_t k : keys) ++start[(k >> shift) & (digits - 1)];
        std::size_t at = 0;
        for (auto& s : start) at += std::exchange(s, at);
        for (const std::uint64_t k : keys) sorted[start[(k >> shift) & (digits - 1)]++] = k;
        keys.swap(sorted);
    }
    return sorted_auc(
        n, [&](std::size_t i, std::size_t j) { return keys[j] >> 1 == keys[i] >> 1; },
        [&](std::size_t t) { return (keys[t] & 1) != 0; });
}

std::vector<RandomisationCheck> check_randomisation(const DenseMatrix& x, std::span<const int> arm,
                                                   const std::vector<std::string>& levels, std::uint64_t seed,
                                                   int threads) {
    std::vector<RandomisationCheck> out;
    for (std::size_t k = 1; k <= levels.size(); ++k) {
        std::vector<std::size_t> rows;
        std::vector<int> label;
        for (std::size_t i = 0; i < arm.size(); ++i) {
            if (arm[i] != 0 && arm[i] != static_cast<int>(k)) continue;
            rows.push_back(i);
            label.push_back(arm[i] == 0 ? 0 : 1);
        }
        if (rows.size() > randomisation_max_rows) {
            // A bounded, stratified sample: the check costs the same at 5M rows as at 200k, and its AUC's
            // standard error there (about 0.0025) is far below the 0.05 margin it tests.
            const double share = static_cast<double>(randomisation_max_rows) / static_cast<double>(rows.size());
            const auto sample = stratified_split(label, share, seed + 31 + k).holdout;
            std::vector<std::size_t> sampled_rows;
            std::vector<int> sampled_label;
            for (std::size_t p : sample) {
                sampled_rows.push_back(rows[p]);
                sampled_label.push_back(label[p]);
            }
            rows = std::move(sampled_rows);
            label = std::move(sampled_label);
        }
        RandomisationCheck c;
        c.level = levels[k - 1];
        const auto split = stratified_split(label, 0.3, seed + 11 + k);
        std::vector<std::size_t> fit_rows;
        std::vector<double> fit_label;
        std::vector<int> fit_strata;
        for (std::size_t p : split.train) {
            fit_rows.push_back(rows[p]);
            fit_label.push_back(label[p]);
            fit_strata.push_back(label[p]);
        }
        GbmParams params;
        params.objective = Objective::Binary;
        params.num_rounds = 100;
        params.max_depth = 3;
        params.early_stopping_rounds = 10;
        params.threads = threads;
        params.seed = seed + 21 + k;
        const Gbm classifier = fit_base_model(x, fit_rows, fit_label, {}, fit_strata, params, 0.2);
        std::vector<std::size_t> eval_rows;
        std::vector<std::uint8_t> eval_label;
        for (std::size_t p : split.holdout) {
            eval_rows.push_back(rows[p]);
            eval_label.push_back(static_cast<std::uint8_t>(label[p]));
        }
        const auto score = classifier.predict(take_rows(x, eval_rows));
        c.auc = roc_auc(score, eval_label);
        c.n_eval = static_cast<std::int64_t>(eval_rows.size());
        // Hanley & McNeil (1982) standard error of an AUC.
        const double n1 = static_cast<double>(std::count(eval_label.begin(), eval_label.end(), std::uint8_t{1}));
        const double n0 = static_cast<double>(eval_label.size()) - n1;
        const double a = c.auc, q1 = a / (2 - a), q2 = 2 * a * a / (1 + a);
        const double var = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / std::max(1.0, n1 * n0);
        c.auc_se = std::sqrt(std::max(0.0, var));
        c.flagged = c.auc > randomisation_auc_threshold && c.auc - 3.0 * c.auc_se > 0.5;
        out.push_back(c);
    }
    return out;
}

}  // namespace uplift::model
