#include "uplift/model/scoring.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/features/retail_alignment.hpp"
#include "uplift/model/design_matrix.hpp"

namespace uplift::model {

using io::Column;

namespace {

/// The input's column `n` when it is a number as in training; ModelError otherwise.
const Column& numeric_input(const ModelBundle& bundle, const io::Table& input, const std::string& n) {
    const Column& c = input.column(n);
    // Numbers of any width are interchangeable; text, or a date where training had a number (or the
    // reverse), means the column is not what the model learned from.
    const auto trained = bundle.feature_types.find(n);
    const auto temporal = [](std::string_view t) { return t == "DATE" || t == "TIMESTAMP"; };
    const bool type_changed =
        trained != bundle.feature_types.end() && temporal(trained->second) != temporal(io::type_name(c.type()));
    if (!c.is_numeric() || type_changed) {
        throw ModelError(fmt::format("feature '{}' has type {} in the input but {} in training", n,
                                     io::type_name(c.type()),
                                     trained == bundle.feature_types.end() ? "a number" : trained->second));
    }
    return c;
}

std::string first_names(const std::vector<std::string>& names) {
    return fmt::format("{}", fmt::join(names.begin(), names.begin() + std::min<std::ptrdiff_t>(8, std::ssize(names)), ", "));
}

/// Retail product-mix columns named after another catalogue's categories, lined up with the model's by the
/// rule of features/retail_alignment.hpp (the one `features --like` applies); `derived` holds the folded and
/// zeroed columns the matrix reads.
DenseMatrix aligned_inputs(const ModelBundle& bundle, const io::Table& input, const features::FeatureAlignment& plan,
                           std::vector<Column>& derived, ScoreStats* stats) {
    const std::size_t n = input.num_rows();
    derived.reserve(plan.columns.size());
    std::vector<const Column*> columns;
    for (const auto& a : plan.columns) {
        if (a.kind == features::AlignedColumn::Kind::Copy) {
            columns.push_back(&numeric_input(bundle, input, a.name));
            continue;
        }
        std::vector<double> values = numeric_input(bundle, input, a.sources[0]).to_doubles();
        if (a.kind == features::AlignedColumn::Kind::Zero) {
            for (double& v : values) v *= 0.0;  // 0 where the family's shares are defined, NaN where not
        } else {
            for (std::size_t k = 1; k < a.sources.size(); ++k) {
                const auto more = numeric_input(bundle, input, a.sources[k]).to_doubles();
                for (std::size_t i = 0; i < n; ++i) values[i] += more[i];
            }
        }
        derived.push_back(Column::doubles(a.name, std::move(values)));
        columns.push_back(&derived.back());
    }
    if (stats != nullptr) {
        stats->folded_categories.insert(plan.folded.begin(), plan.folded.end());
        stats->zeroed_categories.insert(plan.zeroed.begin(), plan.zeroed.end());
        stats->unplaced_categories.insert(plan.unplaced.begin(), plan.unplaced.end());
        for (std::size_t i = 0; i < n && !plan.folded.empty(); ++i) {
            bool spent = false;
            for (const auto& f : plan.folded) spent = spent || input.column(f).number_at(i) > 0;
            stats->folded_rows += spent ? 1 : 0;
        }
    }
    return make_matrix(columns);
}

}  // namespace

DenseMatrix model_inputs(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats) {
    const auto& names = bundle.roles.features;
    std::vector<std::string> missing;
    for (const auto& n : names) {
        if (!input.has(n)) missing.push_back(n);
    }
    if (missing.empty()) {
        std::vector<const Column*> columns;
        for (const auto& n : names) columns.push_back(&numeric_input(bundle, input, n));
        return make_matrix(columns);
    }
    if (!bundle.encoding) {
        const auto plan = features::align_features(names, input.column_names());
        if (plan.missing.empty()) {
            std::vector<Column> derived;
            return aligned_inputs(bundle, input, plan, derived, stats);
        }
        throw ModelError(fmt::format("the input lacks {} feature(s) the model needs: {}", plan.missing.size(),
                                     first_names(plan.missing)));
    }
    // Raw columns: encode them exactly as training did.
    features::EncodeStats encode_stats;
    const auto encoded = features::encode_features(input, *bundle.encoding, &encode_stats);
    if (stats != nullptr) {
        for (const auto& [column, n] : encode_stats.unseen_levels) stats->unseen_levels[column] += n;
    }
    std::vector<const Column*> columns;
    for (const auto& n : names) {
        const auto it = std::find_if(encoded.begin(), encoded.end(), [&](const Column& c) { return c.name() == n; });
        if (it == encoded.end()) throw ModelError(fmt::format("feature '{}' cannot be built from the input", n));
        columns.push_back(&*it);
    }
    return make_matrix(columns);
}

io::Table score_table(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats, const ScoreOptions& options) {
    eval::check_thresholds(options.segments);
    return score_matrix(bundle, model_inputs(bundle, input, stats), input, stats, options);
}

io::Table score_matrix(const ModelBundle& bundle, const DenseMatrix& x, const io::Table& input, ScoreStats* stats,
                       const ScoreOptions& options, TrainingCounts counts) {
    eval::check_thresholds(options.segments);
    if (input.num_columns() > 0 && input.num_rows() != x.rows) {
        throw InternalError(fmt::format("scoring {} rows of model inputs beside {} input rows", x.rows, input.num_rows()));
    }
    std::vector<double> propensity_column;
    if (bundle.propensity.source() == PropensitySource::Column && bundle.learner == LearnerKind::X) {
        if (const Column* c = input.find(bundle.propensity.column()); c != nullptr && c->is_numeric()) {
            propensity_column = c->to_doubles();
        } else if (stats != nullptr) {
            stats->propensity_fallback_rows += static_cast<std::int64_t>(x.rows);
        }
    }
    const ArmPredictions p = bundle.predict(x, propensity_column);
    const auto& levels = bundle.roles.treatment_levels;
    const std::size_t n = x.rows;

    io::Table out;
    const auto& roles = bundle.roles;
    if (const Column* id = input.find(roles.id)) {
        out.add_column(*id);
    } else {
        std::vector<std::int64_t> row(n);
        for (std::size_t i = 0; i < n; ++i) row[i] = static_cast<std::int64_t>(i) + 1;
        out.add_column(Column::int64s(roles.id, std::move(row)));
    }
    if (const Column* t = input.find(roles.treatment)) out.add_column(*t);
    if (const Column* y = input.find(roles.outcome)) out.add_column(*y);
    out.add_column(Column::doubles("p__control", p.control));
    for (std::size_t k = 0; k < levels.size(); ++k) {
        out.add_column(Column::doubles("p__" + levels[k], p.treated[k]));
        out.add_column(Column::doubles("uplift__" + levels[k], p.uplift[k]));
    }
    std::vector<std::string> best_offer(n);
    std::vector<double> best_uplift(n), p_treatment(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < levels.size(); ++k) {
            if (p.uplift[k][i] > p.uplift[best][i]) best = k;
        }
        best_offer[i] = levels[best];
        best_uplift[i] = p.uplift[best][i];
        p_treatment[i] = p.treated[best][i];
    }
    out.add_column(Column::strings("best_offer", std::move(best_offer)));
    out.add_column(Column::doubles("best_uplift", best_uplift));
    out.add_column(Column::doubles("uplift", std::move(best_uplift)));
    out.add_column(Column::doubles("p_control", p.control));
    out.add_column(Column::doubles("p_treatment", std::move(p_treatment)));
    if (bundle.binary()) {
        std::vector<std::string> segment(n);
        const auto& uplift = out.column("best_uplift").double_values();
        for (std::size_t i = 0; i < n; ++i) {
            segment[i] = std::string(eval::to_string(eval::kind_of(p.control[i], uplift[i], options.segments)));
            if (stats != nullptr) ++stats->segments[segment[i]];
        }
        out.add_column(Column::strings("uplift_segment", std::move(segment)));
    }
    if (stats != nullptr) stats->rows += static_cast<std::int64_t>(n);
    if (stats != nullptr && counts == TrainingCounts::Now) count_against_training(bundle, x, input.find(roles.id), out, *stats);
    return out;
}

void count_against_training(const ModelBundle& bundle, const DenseMatrix& x, const io::Column* id,
                            const io::Table& scores, ScoreStats& stats) {
    if (bundle.fitted_rows) count_fitted_rows(*bundle.fitted_rows, x, id, stats.fitted);
    if (stats.drift) {
        stats.drift->add_features(x.values, x.rows);
        stats.drift->add_score(scores.column("uplift").double_values());
    }
}

artifacts::ScoresInfo scores_info_for_input(const ModelBundle& bundle, const std::filesystem::path& input,
                                            const ScoreOptions& options, const FittedRowCount& fitted) {
    artifacts::ScoresInfo info;
    const bool same_file = file_has_fingerprint(input, bundle.training_fingerprint);
    info.scored_as = same_file || (fitted.checked > 0 && fitted.share() >= in_sample_share)
                         ? artifacts::ScoredAs::InSample
                         : artifacts::ScoredAs::New;
    info.checked_rows = fitted.checked;
    info.fitted_rows = fitted.fitted;
    info.segment_uplift = options.segments.uplift;
    info.segment_buy = options.segments.buy;
    return info;
}

}  // namespace uplift::model
