#include "uplift/model/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/paired_bootstrap.hpp"
#include "uplift/eval/validation.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/scoring.hpp"

namespace uplift::model {

namespace {

using artifacts::Comparison;
using artifacts::ComparedMetrics;
using artifacts::Decision;
using artifacts::LevelComparison;
using artifacts::MetricDifference;

constexpr double decision_k = 0.3;  // the k of --metric uplift_at_30

ModelBundle load_bundle(const std::filesystem::path& dir, int threads) {
    auto bundle = ModelBundle::load(dir);
    bundle.set_threads(threads);
    return bundle;
}

/// The challenger's holdout rows of the features file, in the file's order.
std::vector<std::size_t> holdout_rows(io::Session& session, const CompareRequest& r, const io::Table& features,
                                      const data::Roles& roles) {
    const auto holdout_path = r.challenger / "holdout.parquet";
    if (!std::filesystem::exists(holdout_path)) {
        throw ModelError(fmt::format("challenger '{}' has no holdout.parquet: train it with --holdout above 0 so that "
                                     "both models can be compared on rows the challenger did not learn from",
                                     r.challenger.string()));
    }
    const auto holdout = io::read_table(session, holdout_path);
    if (!holdout.has(roles.id)) {
        throw ModelError(fmt::format("'{}' has no id column '{}'", holdout_path.string(), roles.id));
    }
    if (!features.has(roles.id)) {
        throw DataError(fmt::format("'{}' has no id column '{}', the challenger's; pass the features the challenger "
                                    "was trained on",
                                    r.features.string(), roles.id));
    }
    const auto ids = holdout.column(roles.id).to_texts();
    const std::unordered_set<std::string> wanted(ids.begin(), ids.end());
    const auto file_ids = features.column(roles.id).to_texts();
    std::unordered_map<std::string, std::size_t> seen;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < file_ids.size(); ++i) {
        if (!wanted.contains(file_ids[i])) continue;
        if (const auto [it, fresh] = seen.emplace(file_ids[i], i); !fresh) {
            throw DataError(fmt::format("'{}', rows {} and {}: id '{}' appears twice in column '{}'",
                                        r.features.string(), it->second + 1, i + 1, file_ids[i], roles.id));
        }
        rows.push_back(i);
    }
    if (seen.size() != wanted.size()) {
        const auto missing = std::find_if(ids.begin(), ids.end(), [&](const auto& id) { return !seen.contains(id); });
        throw DataError(fmt::format("'{}' lacks {} of the challenger's {} holdout ids (first: '{}' in column '{}'); "
                                    "pass the features the challenger was trained on",
                                    r.features.string(), wanted.size() - seen.size(), wanted.size(), *missing,
                                    roles.id));
    }
    return rows;
}

/// Scores `rows` with `bundle`; a failure names which model it was, keeping its kind (and exit code).
io::Table scores_of(const ModelBundle& bundle, const io::Table& rows, const char* which,
                    const std::filesystem::path& dir) {
    try {
        return score_table(bundle, rows, nullptr);
    } catch (const Error& e) {
        throw_error(e.kind(), fmt::format("{} '{}' cannot score the compared rows: {}", which, dir.string(), e.what()));
    }
}

std::optional<double> qini_of(const eval::RankedScores& ranked) {
    try {
        return eval::qini_auc_score(ranked);
    } catch (const DataError&) {
        return std::nullopt;  // undefined: no effect in these rows to normalise by
    }
}

ComparedMetrics metrics_of(const eval::RankedScores& ranked, const std::vector<double>& ks) {
    ComparedMetrics m;
    m.qini_auc = qini_of(ranked);
    for (const double k : ks) m.uplift_at_k.push_back(eval::uplift_at_k(ranked, k, eval::Strategy::Overall));
    return m;
}

std::optional<double> gap(std::optional<double> challenger, std::optional<double> champion) {
    if (!challenger || !champion) return std::nullopt;
    return *challenger - *champion;
}

std::vector<double> take(std::span<const double> values, std::span<const std::size_t> rows) {
    std::vector<double> out;
    out.reserve(rows.size());
    for (const std::size_t i : rows) out.push_back(values[i]);
    return out;
}

/// Where --metric sits in a level's figures: the Qini difference, or that of uplift@0.3.
const MetricDifference* decided_difference(const Comparison& c, const LevelComparison& l) {
    if (!l.qini_auc) return nullptr;
    if (c.metric == artifacts::compare_metric_qini) return &*l.qini_auc;
    for (std::size_t i = 0; i < c.ks.size(); ++i) {
        if (c.ks[i] == decision_k) return &l.uplift_at_k[i];
    }
    return nullptr;
}

std::string interval_text(const MetricDifference& d) {
    if (!d.interval) return "undefined";
    return fmt::format("[{:.4f}, {:.4f}]", d.interval->low, d.interval->high);
}

std::string value_text(std::optional<double> v) { return v ? fmt::format("{:.4f}", *v) : "n/a"; }

}  // namespace

void decide(Comparison& c) {
    if (c.champion.empty()) {
        c.decision = Decision::Promote;
        c.reason = "no champion";
        return;
    }
    // The level where the challenger looks worst (lowest upper end) decides: if it is not credibly worse
    // there, it is nowhere.
    const LevelComparison* deciding = nullptr;
    const MetricDifference* difference = nullptr;
    for (const auto& l : c.levels) {
        const auto* d = decided_difference(c, l);
        if (d == nullptr || !d->interval) continue;
        if (difference == nullptr || d->interval->high < difference->interval->high) {
            deciding = &l;
            difference = d;
        }
    }
    if (difference == nullptr) {
        c.decision = Decision::Promote;
        c.reason = fmt::format("{} of challenger - champion is undefined on these rows: no evidence the challenger "
                               "is worse",
                               c.metric);
        return;
    }
    const std::string where = c.levels.size() > 1 ? " for '" + deciding->level + "'" : "";
    const bool reject = difference->interval->high < -c.margin;
    c.decision = reject ? Decision::Reject : Decision::Promote;
    c.reason = fmt::format("challenger {}credibly worse on {}{}: challenger - champion {}, 95% interval {}, upper end "
                           "{} -margin ({})",
                           reject ? "" : "not ", c.metric, where, value_text(difference->estimate),
                           interval_text(*difference), reject ? "below" : "not below", value_text(-c.margin + 0.0));
}

Comparison compare_models(io::Session& session, const CompareRequest& r) {
    auto o = r.options;
    compare_param_table().check(o);
    if (std::find(compare_params::metric_choices.begin(), compare_params::metric_choices.end(), o.metric) ==
        compare_params::metric_choices.end()) {
        throw UsageError(fmt::format("--metric must be one of {}, got '{}'", compare_params::metric.range_text(), o.metric));
    }
    for (const double k : o.ks) eval::validate_k(k);
    if (o.k_labels.size() != o.ks.size()) throw InternalError("compare: one k label per k expected");
    if (o.metric == artifacts::compare_metric_uplift_at_30 &&
        std::find(o.ks.begin(), o.ks.end(), decision_k) == o.ks.end()) {
        o.ks.push_back(decision_k);
        o.k_labels.emplace_back("0.3");
    }

    Comparison c;
    c.champion = r.champion.string();
    c.challenger = r.challenger.string();
    c.features = r.features.string();
    c.metric = o.metric;
    c.margin = o.margin;
    c.level = compare_level;
    c.bootstrap = o.bootstrap;
    c.seed = o.seed;
    c.ks = o.ks;
    c.k_labels = o.k_labels;
    c.provenance_json = r.provenance_json;

    const ModelBundle challenger = load_bundle(r.challenger, o.threads);
    std::optional<ModelBundle> champion;
    if (!r.champion.empty() && !std::filesystem::exists(r.champion)) {
        if (!r.first_run_ok) {
            throw IoError(fmt::format("champion model folder '{}' does not exist; on a first run with no production "
                                      "model pass --first-run-ok (or leave out --champion)",
                                      c.champion));
        }
        log::info("no champion at '{}' (--first-run-ok): the challenger is promoted", c.champion);
    } else if (!r.champion.empty()) {
        champion = load_bundle(r.champion, o.threads);
    }
    const auto& roles = challenger.roles;
    if (champion) {
        for (const auto& level : roles.treatment_levels) {
            const auto& theirs = champion->roles.treatment_levels;
            if (std::find(theirs.begin(), theirs.end(), level) == theirs.end()) {
                throw ModelError(fmt::format("champion '{}' has no uplift for the challenger's treated level '{}' "
                                             "(it knows: {})",
                                             c.champion, level, fmt::join(theirs, ", ")));
            }
        }
    }

    // The champion normally learnt from an earlier campaign. Trained on this very file, it has seen some of these
    // rows: its figures flatter it, so a rejection still stands but a promotion is harder than it should be.
    if (champion && file_has_fingerprint(r.features, champion->training_fingerprint)) {
        log::warn("champion '{}' was trained on '{}' itself: its figures on these rows are partly in-sample and "
                  "flatter it",
                  c.champion, c.features);
    }
    const auto features = io::read_table(session, r.features);
    const auto rows = features.take(holdout_rows(session, r, features, roles));
    for (const auto* column : {&roles.treatment, &roles.outcome}) {
        if (!rows.has(*column)) {
            throw DataError(fmt::format("'{}' has no column '{}', the challenger's {}", c.features, *column,
                                        column == &roles.treatment ? "treatment" : "outcome"));
        }
    }
    c.rows = static_cast<std::int64_t>(rows.num_rows());
    for (const auto& arm : rows.column(roles.treatment).to_texts()) (arm == roles.control ? c.n_control : c.n_treatment)++;
    log::info("comparing on {} holdout rows of '{}' ({} treated, {} control)", c.rows, c.features, c.n_treatment,
              c.n_control);

    const auto new_scores = scores_of(challenger, rows, "challenger", r.challenger);
    const auto old_scores = champion ? scores_of(*champion, rows, "champion", r.champion) : io::Table();
    const auto y_all = rows.column(roles.outcome).to_doubles();
    for (const auto& level : roles.treatment_levels) {
        const auto arm = data::select_arm(rows, roles, level);
        LevelComparison l;
        l.level = level;
        const auto y = take(y_all, arm.rows);
        const auto new_score = take(new_scores.column("uplift__" + level).double_values(), arm.rows);
        const eval::RankedScores new_ranked(y, arm.treated, new_score, o.threads);
        l.n_treatment = new_ranked.n_treatment();
        l.n_control = new_ranked.n_control();
        l.challenger = metrics_of(new_ranked, c.ks);
        if (champion) {
            const auto old_score = take(old_scores.column("uplift__" + level).double_values(), arm.rows);
            const eval::RankedScores old_ranked(y, arm.treated, old_score, o.threads);
            l.champion = metrics_of(old_ranked, c.ks);
            const auto paired = eval::paired_bootstrap(old_ranked, new_ranked, c.ks, o.bootstrap, o.seed, c.level,
                                                       o.threads);
            l.qini_auc = MetricDifference{gap(l.challenger.qini_auc, l.champion->qini_auc), paired.qini_auc};
            for (std::size_t k = 0; k < c.ks.size(); ++k) {
                l.uplift_at_k.push_back(
                    {gap(l.challenger.uplift_at_k[k], l.champion->uplift_at_k[k]), paired.uplift_at_k[k]});
            }
        }
        c.levels.push_back(std::move(l));
    }
    if (!champion) c.champion.clear();
    decide(c);
    return c;
}

std::string comparison_text(const Comparison& c) {
    std::string out = fmt::format("rows       {} holdout rows of the challenger ({} treated, {} control)\n", c.rows,
                                  c.n_treatment, c.n_control);
    for (const auto& l : c.levels) {
        out += fmt::format("\nlevel '{}' ({} treated, {} control)\n", l.level, l.n_treatment, l.n_control);
        out += fmt::format("  {:<14} {:>10} {:>10} {:>10}  {}\n", "metric", "champion", "challenger", "difference",
                           "95% interval (paired)");
        const auto row = [&](const std::string& name, std::optional<double> champion, std::optional<double> challenger,
                             const MetricDifference* d) {
            out += fmt::format("  {:<14} {:>10} {:>10} {:>10}  {}\n", name, value_text(champion), value_text(challenger),
                               d != nullptr ? value_text(d->estimate) : "", d != nullptr ? interval_text(*d) : "");
        };
        row("qini_auc", l.champion ? l.champion->qini_auc : std::nullopt, l.challenger.qini_auc,
            l.qini_auc ? &*l.qini_auc : nullptr);
        for (std::size_t k = 0; k < c.ks.size(); ++k) {
            row("uplift@" + c.k_labels[k], l.champion ? l.champion->uplift_at_k[k] : std::nullopt,
                l.challenger.uplift_at_k[k], l.uplift_at_k.empty() ? nullptr : &l.uplift_at_k[k]);
        }
    }
    out += fmt::format("\ndecision   {} ({})\n", artifacts::to_string(c.decision), c.reason);
    return out;
}

}  // namespace uplift::model
