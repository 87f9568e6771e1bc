#include "uplift/model/drift_check.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/eval/drift.hpp"

namespace uplift::model {

artifacts::DriftReference drift_reference_of(const DenseMatrix& x, const std::vector<std::string>& names, int threads) {
    if (names.size() != x.cols) throw InternalError("drift reference: feature names do not match the matrix");
    artifacts::DriftReference r;
    r.rows = static_cast<std::int64_t>(x.rows);
    r.features.resize(x.cols);
    // Each part fills its own feature's entry (1.7 s on one thread at 3.5M training rows × 12 features).
    for_each_part_with<std::vector<double>>(x.cols, thread_limit(threads), [&](std::size_t c, std::vector<double>& column) {
        column.resize(x.rows);
        for (std::size_t i = 0; i < x.rows; ++i) column[i] = x.values[i * x.cols + c];
        r.features[c] = eval::distribution_reference(names[c], column);
    });
    return r;
}

void add_score_reference(artifacts::DriftReference& reference, const io::Table* scores, const std::string& score_rows) {
    if (scores == nullptr || !scores->has("uplift") || scores->num_rows() == 0) return;
    const auto uplift = scores->column("uplift").double_values();
    reference.score.push_back(eval::distribution_reference("uplift", uplift));
    reference.score_rows = score_rows;
}

namespace {

std::string describe(const artifacts::InputDrift& d, bool is_score) {
    return fmt::format("{} '{}': PSI {:.3f} ({}), {:.1f}% outside the training range, {:.1f}% missing (training "
                       "{:.1f}%)",
                       is_score ? "score" : "feature", d.name, d.psi,
                       d.psi >= eval::psi_major ? "major shift" : d.psi >= eval::psi_moderate ? "moderate shift" : "stable",
                       100 * d.outside_share, 100 * d.missing_share, 100 * d.reference_missing_share);
}

}  // namespace

std::vector<std::string> drift_warnings(const artifacts::DriftReport& report, const DriftThresholds& thresholds) {
    std::vector<std::string> out;
    if (report.score && report.score->psi >= thresholds.warn) out.push_back(describe(*report.score, true));
    for (const auto& f : report.features) {
        if (f.psi >= thresholds.warn) out.push_back(describe(f, false));
    }
    return out;
}

void check_drift(const artifacts::DriftReport& report, const DriftThresholds& thresholds) {
    if (!thresholds.fail) return;
    std::vector<std::string> over;
    if (report.score && report.score->psi >= *thresholds.fail) over.push_back(fmt::format("score {:.3f}", report.score->psi));
    for (const auto& f : report.features) {
        if (f.psi >= *thresholds.fail) over.push_back(fmt::format("'{}' {:.3f}", f.name, f.psi));
    }
    if (over.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < over.size() && i < 5; ++i) list += (i ? ", " : "") + over[i];
    if (over.size() > 5) list += fmt::format(" and {} more", over.size() - 5);
    throw DriftError(fmt::format("{} of the model's inputs drifted past --drift-fail {} (PSI: {}) over {} scored rows "
                                 "against {} training rows; no scores written. Retrain on recent data, or check the "
                                 "features' cutoff",
                                 over.size(), *thresholds.fail, list, report.rows, report.reference_rows));
}

}  // namespace uplift::model
