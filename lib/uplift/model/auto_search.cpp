#include "uplift/model/auto_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/model/train_params.hpp"

namespace uplift::model {

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

std::string_view trim(std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t;
}

UsageError bad_search(std::string_view block, const std::string& why) {
    return UsageError(fmt::format("--search '{}': {} (grammar: key=v1,v2;key=v1 with keys learner, max-depth, "
                                  "rounds, learning-rate, early-stopping, min-samples-leaf; blocks joined by '|'; a "
                                  "leading '+' adds to the default grid)",
                                  block, why));
}

/// A value of a numeric axis, checked against the parameter's declaration (the same bounds as its flag).
template <class T>
T axis_value(const Param<T>& param, std::string_view text, std::string_view block) {
    T value{};
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        throw bad_search(block, fmt::format("'{}' is not a value of {}", text, param.flag.substr(2)));
    }
    if (auto why = param.violation(value)) throw bad_search(block, *why);
    return value;
}

/// One block: per axis its values; an axis left out takes train's default.
struct Axes {
    std::vector<LearnerKind> learners{LearnerKind::S, LearnerKind::T,  LearnerKind::X,
                                      LearnerKind::DR, LearnerKind::CT, LearnerKind::Forest};
    std::vector<int> max_depth{train_params::max_depth.default_value};
    std::vector<int> rounds{train_params::num_rounds.default_value};
    std::vector<double> learning_rate{train_params::learning_rate.default_value};
    std::vector<int> early_stopping{train_params::early_stopping_rounds.default_value};
    std::vector<int> min_samples_leaf{train_params::min_samples_leaf.default_value};
};

Axes parse_block(std::string_view block) {
    namespace p = train_params;
    Axes axes;
    std::vector<std::string_view> seen;
    for (std::string_view item : split(block, ';')) {
        item = trim(item);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) throw bad_search(block, fmt::format("'{}' has no '='", item));
        const std::string_view key = trim(item.substr(0, eq));
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            throw bad_search(block, fmt::format("'{}' is given twice", key));
        }
        seen.push_back(key);
        std::vector<std::string_view> values;
        for (std::string_view v : split(item.substr(eq + 1), ',')) {
            v = trim(v);
            if (v.empty()) throw bad_search(block, fmt::format("'{}' has an empty value", key));
            values.push_back(v);
        }
        const auto each = [&](auto& out, auto convert) {
            out.clear();
            for (std::string_view v : values) out.push_back(convert(v));
        };
        if (key == "learner") {
            each(axes.learners, [&](std::string_view v) {
                if (v == "auto") throw bad_search(block, "'auto' is not a candidate learner");
                try {
                    return learner_from_string(std::string(v));
                } catch (const UsageError&) {
                    throw bad_search(block, fmt::format("unknown learner '{}' (s, t, x, dr, ct, forest)", v));
                }
            });
        } else if (key == "max-depth") {
            each(axes.max_depth, [&](std::string_view v) { return axis_value(p::max_depth, v, block); });
        } else if (key == "rounds") {
            each(axes.rounds, [&](std::string_view v) { return axis_value(p::num_rounds, v, block); });
        } else if (key == "learning-rate") {
            each(axes.learning_rate, [&](std::string_view v) { return axis_value(p::learning_rate, v, block); });
        } else if (key == "early-stopping") {
            each(axes.early_stopping, [&](std::string_view v) { return axis_value(p::early_stopping_rounds, v, block); });
        } else if (key == "min-samples-leaf") {
            each(axes.min_samples_leaf, [&](std::string_view v) { return axis_value(p::min_samples_leaf, v, block); });
        } else {
            throw bad_search(block, fmt::format("unknown key '{}'", key));
        }
    }
    return axes;
}

/// Every combination of a block's values that applies to each learner (the forest has no rounds or learning
/// rate, the XGBoost learners no leaf size).
void add_block(const Axes& axes, std::vector<Candidate>& out) {
    for (LearnerKind learner : axes.learners) {
        for (int depth : axes.max_depth) {
            if (learner == LearnerKind::Forest) {
                for (int leaf : axes.min_samples_leaf) {
                    out.push_back({.learner = learner, .max_depth = depth, .min_samples_leaf = leaf});
                }
                continue;
            }
            for (int rounds : axes.rounds) {
                for (double eta : axes.learning_rate) {
                    for (int stop : axes.early_stopping) {
                        out.push_back({.learner = learner, .max_depth = depth, .num_rounds = rounds,
                                       .learning_rate = eta, .early_stopping_rounds = stop});
                    }
                }
            }
        }
    }
}

void add_spec(std::string_view spec, std::vector<Candidate>& out) {
    for (std::string_view block : split(spec, '|')) {
        if (trim(block).empty()) throw bad_search(spec, "a block is empty");
        add_block(parse_block(block), out);
    }
}

/// s < t < ct < x < dr: one model, two, two with a transformed target, three, two plus cross-fitting.
int learner_rank(LearnerKind kind) {
    switch (kind) {
    case LearnerKind::S: return 0;
    case LearnerKind::T: return 1;
    case LearnerKind::CT: return 2;
    case LearnerKind::X: return 3;
    case LearnerKind::DR: return 4;
    case LearnerKind::Forest: return 5;
    }
    return 6;
}

/// The key "simpler" compares; unused parts are zero so that a candidate's irrelevant settings never order it.
auto simplicity_key(const Candidate& c) {
    const bool is_forest = c.learner == LearnerKind::Forest;
    // Early stopping keeps at most `rounds` trees: on is simpler than off (0), and stopping sooner simpler still.
    const int stopping = is_forest ? 0 : c.early_stopping_rounds == 0 ? std::numeric_limits<int>::max() : c.early_stopping_rounds;
    return std::make_tuple(is_forest, c.max_depth, is_forest ? 0.0 : c.num_rounds * c.learning_rate,
                           learner_rank(c.learner), is_forest ? 0 : c.num_rounds, stopping,
                           is_forest ? -c.min_samples_leaf : 0, is_forest ? 0.0 : c.learning_rate);
}

/// Fields of a candidate that matter for its learner (the rest reset, so duplicates compare equal).
Candidate normalised(Candidate c) {
    if (c.learner == LearnerKind::Forest) {
        c.num_rounds = 0;
        c.learning_rate = 0;
        c.early_stopping_rounds = 0;
    } else {
        c.min_samples_leaf = 0;
        c.criterion = forest::Criterion::KL;
    }
    return c;
}

}  // namespace

std::string to_string(SelectBy by) { return by == SelectBy::Qini ? "qini" : "dr-loss"; }

SelectBy select_by_from_string(const std::string& text) {
    if (text == "qini") return SelectBy::Qini;
    if (text == "dr-loss") return SelectBy::DrLoss;
    throw UsageError(fmt::format("--select '{}': expected qini or dr-loss", text));
}

std::vector<Candidate> parse_search(std::string_view spec) {
    std::vector<Candidate> out;
    spec = trim(spec);
    if (spec.empty()) throw bad_search(spec, "it is empty");
    if (spec.front() == '+') {
        add_spec(default_search, out);
        spec.remove_prefix(1);
    }
    add_spec(spec, out);
    for (auto& c : out) c = normalised(c);
    std::stable_sort(out.begin(), out.end(), simpler);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool simpler(const Candidate& a, const Candidate& b) { return simplicity_key(a) < simplicity_key(b); }

std::map<std::string, std::string> candidate_params(const Candidate& c) {
    namespace p = train_params;
    std::map<std::string, std::string> out;
    out[std::string(p::max_depth.name)] = param_text(c.max_depth);
    if (c.learner == LearnerKind::Forest) {
        out[std::string(p::min_samples_leaf.name)] = param_text(c.min_samples_leaf);
        out[std::string(p::criterion.name)] = forest::to_string(c.criterion);
    } else {
        out[std::string(p::num_rounds.name)] = param_text(c.num_rounds);
        out[std::string(p::learning_rate.name)] = param_text(c.learning_rate);
        out[std::string(p::early_stopping_rounds.name)] = param_text(c.early_stopping_rounds);
    }
    return out;
}

std::string candidate_settings(const Candidate& c) {
    if (c.learner == LearnerKind::Forest) {
        return fmt::format("max-depth={};min-samples-leaf={} (criterion {})", c.max_depth, c.min_samples_leaf,
                           forest::to_string(c.criterion));
    }
    return fmt::format("max-depth={};rounds={};learning-rate={};early-stopping={}", c.max_depth, c.num_rounds,
                       param_text(c.learning_rate), c.early_stopping_rounds);
}

std::string cannot_run(const Candidate& c, const SearchData& data) {
    if (c.learner == LearnerKind::CT) {
        if (!data.binary) return "ct needs a binary outcome";
        if (data.propensity != PropensitySource::Share) return "ct needs --propensity share (a randomised test)";
        if (data.randomisation_flagged) return "ct needs randomised data; the randomisation check flagged it";
    }
    if (c.learner == LearnerKind::Forest) {
        if (forest::needs_binary_outcome(c.criterion) && !data.binary) {
            return fmt::format("criterion {} needs a binary outcome", forest::to_string(c.criterion));
        }
        if (c.criterion == forest::Criterion::DDP && data.n_treated != 1) {
            return "criterion ddp needs one treated level";
        }
    }
    return {};
}

forest::Criterion forest_criterion_for(forest::Criterion chosen, bool binary) {
    return !binary && forest::needs_binary_outcome(chosen) ? forest::Criterion::MSE : chosen;
}

FoldSummary summarise_folds(std::span<const double> per_fold, int repeats) {
    std::vector<double> v;
    for (double x : per_fold) {
        if (std::isfinite(x)) v.push_back(x);
    }
    FoldSummary s;
    if (v.empty()) return s;
    s.defined = true;
    for (double x : v) s.mean += x;
    s.mean /= static_cast<double>(v.size());
    if (v.size() > 1) {
        double ss = 0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        const double folds_per_run = std::max(1.0, static_cast<double>(v.size()) / std::max(1, repeats));
        s.se = std::sqrt(ss / static_cast<double>(v.size() - 1)) / std::sqrt(folds_per_run);
    }
    return s;
}

std::optional<std::size_t> one_se_choice(std::span<const std::optional<FoldSummary>> summaries,
                                         std::span<const LearnerKind> learners, bool higher_is_better) {
    std::optional<std::size_t> best;
    const auto better = [&](double a, double b) { return higher_is_better ? a > b : a < b; };
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const auto& s = summaries[i];
        if (!s || !s->defined) continue;
        if (!best || better(s->mean, summaries[*best]->mean)) best = i;
    }
    if (!best) return std::nullopt;
    const double bound = higher_is_better ? summaries[*best]->mean - summaries[*best]->se
                                          : summaries[*best]->mean + summaries[*best]->se;
    // Each learner's simplest candidate that reaches the bound stands for it; the best mean among them wins
    // (the earlier on a tie). The best candidate reaches the bound (its SE is finite), so one is chosen.
    std::vector<LearnerKind> seen;
    std::optional<std::size_t> chosen;
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const auto& s = summaries[i];
        if (!s || !s->defined || !(higher_is_better ? s->mean >= bound : s->mean <= bound)) continue;
        if (std::find(seen.begin(), seen.end(), learners[i]) != seen.end()) continue;
        seen.push_back(learners[i]);
        if (!chosen || better(s->mean, summaries[*chosen]->mean)) chosen = i;
    }
    return chosen;
}

SearchOutcome run_search(const std::vector<Candidate>& candidates, const SearchData& data,
                         const SearchSettings& settings, const ScoreCandidate& score, const Elapsed& elapsed) {
    SearchOutcome out;
    out.candidates = candidates;
    auto& record = out.record;
    record.criterion = settings.select == SelectBy::Qini ? "qini" : "dr_loss";
    record.folds = settings.folds;
    record.repeats = settings.repeats;
    record.grid = settings.grid;
    record.time_budget = settings.time_budget;
    std::vector<std::optional<FoldSummary>> summaries(candidates.size());
    bool any_ran = false;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        artifacts::AutoCandidate row;
        row.learner = to_string(c.learner);
        row.params = candidate_params(c);
        row.reason = cannot_run(c, data);
        if (!row.reason.empty()) {
            row.status = "skipped";
        } else if (any_ran && settings.time_budget > 0 && elapsed() >= settings.time_budget) {
            row.status = "over_budget";
        } else {
            const double start = elapsed();
            row.per_fold = score(c);
            any_ran = true;
            row.status = "done";
            const FoldSummary s = summarise_folds(row.per_fold, settings.repeats);
            summaries[i] = s;
            if (s.defined) {
                row.mean = s.mean;
                row.se = s.se;
            }
            log::info("auto: candidate {}/{} ({} {}) took {:.1f} s", i + 1, candidates.size(), row.learner,
                      candidate_settings(c), elapsed() - start);
        }
        record.candidates.push_back(std::move(row));
    }
    if (!any_ran) throw UsageError("--learner auto: no candidate of the search can run on this data (see --search)");
    std::vector<LearnerKind> learners;
    for (const Candidate& c : candidates) learners.push_back(c.learner);
    const auto chosen = one_se_choice(summaries, learners, settings.select == SelectBy::Qini);
    if (!chosen) {
        throw DataError(fmt::format("--learner auto: the {} is undefined on every fold of every candidate (too few "
                                    "rows per fold? try fewer --cv folds)",
                                    settings.select == SelectBy::Qini ? "Qini AUC" : "DR loss"));
    }
    out.chosen = *chosen;
    record.candidates[*chosen].selected = true;
    return out;
}

}  // namespace uplift::model
