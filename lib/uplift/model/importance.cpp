#include "uplift/model/importance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/eval/arm_rows.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/model/design_matrix.hpp"

namespace uplift::model {

namespace {

/// Source column of every model input (the encoding's manifest, else the input's own name).
std::vector<std::string> source_columns(const ModelBundle& bundle) {
    std::map<std::string, std::string> source_of;
    if (bundle.encoding) {
        for (const auto& info : bundle.encoding->manifest) source_of[info.name] = info.source;
    }
    std::vector<std::string> out;
    for (const auto& name : bundle.roles.features) {
        const auto it = source_of.find(name);
        out.push_back(it == source_of.end() || it->second.empty() ? name : it->second);
    }
    return out;
}

/// Qini AUC of each treated level on the rows of that level and control; NaN where undefined.
std::vector<double> qini_per_level(const ArmPredictions& p, std::span<const double> y, std::span<const int> arm) {
    std::vector<double> out;
    for (std::size_t k = 0; k < p.uplift.size(); ++k) {
        const auto rows = eval::rows_of_arm(y, arm, static_cast<int>(k + 1), p.uplift[k]);
        double q = std::nan("");
        try {
            q = eval::qini_auc_score(rows.y, rows.treatment, rows.score);
        } catch (const DataError&) {
            // no treated or control rows, or no effect to rank: this level has no Qini to lose
        }
        out.push_back(q);
    }
    return out;
}

}  // namespace

std::vector<FeatureGain> gain_importance(const ModelBundle& bundle) {
    const auto sources = source_columns(bundle);
    std::map<std::string, double> gain;
    if (bundle.forest) {
        for (std::size_t i = 0; i < bundle.forest->gain.size() && i < sources.size(); ++i) {
            gain[sources[i]] += bundle.forest->gain[i];
        }
    }
    for (const auto& base : bundle.base_models) {
        for (const auto& [index, value] : base.model.gain_importance()) {
            const auto i = static_cast<std::size_t>(index);
            if (i >= sources.size()) continue;  // an S-learner's arm indicator
            gain[sources[i]] += value;
        }
    }
    double total = 0.0;
    for (const auto& [name, value] : gain) total += value;
    std::vector<FeatureGain> out;
    for (const auto& [name, value] : gain) out.push_back({name, value, total > 0 ? value / total : 0.0});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.gain > b.gain; });
    return out;
}

std::vector<PermutationImportance> permutation_importance(const ModelBundle& bundle, const DenseMatrix& x_all,
                                                          std::span<const double> y_all, std::span<const int> arm_all,
                                                          std::span<const double> column_all,
                                                          const PermutationOptions& options) {
    if (options.repeats <= 0 || x_all.rows == 0) return {};
    Rng rng(options.seed);
    // A seeded sample bounds the cost on big holdouts; sorted so the rows keep their order.
    std::vector<std::size_t> rows(x_all.rows);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    if (rows.size() > options.max_rows) {
        rng.shuffle(rows);
        rows.resize(options.max_rows);
        std::sort(rows.begin(), rows.end());
    }
    DenseMatrix x = take_rows(x_all, rows);
    std::vector<double> y, column;
    std::vector<int> arm;
    for (std::size_t r : rows) {
        y.push_back(y_all[r]);
        arm.push_back(arm_all[r]);
        if (!column_all.empty()) column.push_back(column_all[r]);
    }
    const auto base = qini_per_level(bundle.predict(x, column), y, arm);

    const auto sources = source_columns(bundle);
    std::vector<std::string> groups;  // source columns in first-seen order
    for (const auto& s : sources) {
        if (std::find(groups.begin(), groups.end(), s) == groups.end()) groups.push_back(s);
    }
    std::vector<PermutationImportance> out;
    const auto& levels = bundle.roles.treatment_levels;
    for (const auto& group : groups) {
        std::vector<std::size_t> cols;
        for (std::size_t c = 0; c < sources.size(); ++c) {
            if (sources[c] == group) cols.push_back(c);
        }
        PermutationImportance imp;
        imp.feature = group;
        std::vector<double> drop_sum(levels.size(), 0.0);
        for (int r = 0; r < options.repeats; ++r) {
            std::vector<std::size_t> perm(x.rows);
            std::iota(perm.begin(), perm.end(), std::size_t{0});
            rng.shuffle(perm);
            DenseMatrix shuffled = x;
            for (std::size_t i = 0; i < x.rows; ++i) {
                for (std::size_t c : cols) shuffled.values[i * x.cols + c] = x.values[perm[i] * x.cols + c];
            }
            const auto q = qini_per_level(bundle.predict(shuffled, column), y, arm);
            for (std::size_t k = 0; k < levels.size(); ++k) drop_sum[k] += base[k] - q[k];
        }
        double total = 0;
        std::size_t counted = 0;
        for (std::size_t k = 0; k < levels.size(); ++k) {
            const double d = drop_sum[k] / options.repeats;
            if (!std::isfinite(d)) continue;
            imp.per_level[levels[k]] = d;
            total += d;
            ++counted;
        }
        imp.qini_auc_drop = counted > 0 ? total / static_cast<double>(counted) : std::nan("");
        out.push_back(std::move(imp));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const double da = std::isfinite(a.qini_auc_drop) ? a.qini_auc_drop : -1e300;
        const double db = std::isfinite(b.qini_auc_drop) ? b.qini_auc_drop : -1e300;
        return da > db;
    });
    return out;
}

}  // namespace uplift::model
