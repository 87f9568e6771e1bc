#include "uplift/model/gbm.hpp"

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/train_params.hpp"
#include "uplift/model/tree_ensemble.hpp"
#include "uplift/model/xgb_handles.hpp"
#include "uplift/model/xgb_params.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace uplift::model {

namespace {

// Attribute names follow XGBoost's Python package, so its Booster.best_iteration /
// best_score properties read what we wrote.
constexpr const char* kBestIterationAttr = "best_iteration";
constexpr const char* kBestScoreAttr = "best_score";

constexpr const char* objective_name(Objective objective) {
    return objective == Objective::Binary ? "binary:logistic" : "reg:squarederror";
}

void check_matrix_shape(const DenseMatrix& x, std::string_view what) {
    if (x.values.size() != x.rows * x.cols) {
        throw InternalError(fmt::format("{}: matrix of {} x {} holds {} values", what, x.rows, x.cols,
                                        x.values.size()));
    }
}

/// Row `r` of `x`, the `shown`-th row of the data (as the message numbers it).
void check_row(const DenseMatrix& x, std::size_t r, std::size_t shown, std::string_view what) {
    for (std::size_t c = 0; c < x.cols; ++c) {
        // NaN means missing; XGBoost rejects infinities, and we can say where they are.
        if (std::isinf(x.values[r * x.cols + c])) {
            throw DataError(fmt::format("{}: feature column {} of row {} is infinite", what, c, shown));
        }
    }
}

void check_matrix(const DenseMatrix& x, std::string_view what) {
    check_matrix_shape(x, what);
    for (std::size_t r = 0; r < x.rows; ++r) check_row(x, r, r, what);
}

void check_training_matrix(MatrixRows x, std::span<const float> y, Objective objective, std::string_view what) {
    check_matrix_shape(x.x, what);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t r = x.row(i);
        if (r >= x.x.rows) throw InternalError(fmt::format("{}: row {} of a matrix of {} rows", what, r, x.x.rows));
        check_row(x.x, r, i, what);
    }
    if (x.size() == 0) throw DataError(fmt::format("{}: no rows to train on", what));
    if (x.x.cols == 0) throw DataError(fmt::format("{}: no feature columns", what));
    if (y.size() != x.size()) {
        throw DataError(fmt::format("{}: {} labels for {} rows", what, y.size(), x.size()));
    }
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!std::isfinite(y[i])) throw DataError(fmt::format("{}: label of row {} is not a finite number", what, i));
        if (objective == Objective::Binary && y[i] != 0.0f && y[i] != 1.0f) {
            throw DataError(fmt::format("{}: label of row {} is {}, a binary outcome must be 0 or 1", what, i, y[i]));
        }
    }
}

void check_weights(std::span<const float> weights, std::size_t rows) {
    if (weights.empty()) return;
    if (weights.size() != rows) {
        throw DataError(fmt::format("training data: {} weights for {} rows", weights.size(), rows));
    }
    double total = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (!std::isfinite(weights[i]) || weights[i] < 0) {
            throw DataError(fmt::format("training data: weight of row {} is {}, must be finite and >= 0", i,
                                        weights[i]));
        }
        total += weights[i];
    }
    if (total <= 0) throw DataError("training data: all weights are zero");
}

void check_params(const GbmParams& p) {
    auto fail = [](std::string_view what) { throw UsageError(fmt::format("gradient boosting: {}", what)); };
    // The parameters train exposes keep their one declaration (train_params.hpp), so a booster refuses
    // exactly what `train` refuses.
    if (auto m = train_params::num_rounds.violation(p.num_rounds)) fail(*m);
    if (auto m = train_params::learning_rate.violation(p.learning_rate)) fail(*m);
    if (auto m = train_params::max_depth.violation(p.max_depth)) fail(*m);
    if (!(p.min_child_weight >= 0)) fail(fmt::format("min_child_weight must be >= 0, got {}", p.min_child_weight));
    if (!(p.subsample > 0 && p.subsample <= 1)) fail(fmt::format("subsample must be in (0, 1], got {}", p.subsample));
    if (!(p.colsample_bytree > 0 && p.colsample_bytree <= 1)) {
        fail(fmt::format("colsample_bytree must be in (0, 1], got {}", p.colsample_bytree));
    }
    if (!(p.reg_lambda >= 0)) fail(fmt::format("reg_lambda must be >= 0, got {}", p.reg_lambda));
    if (auto m = train_params::early_stopping_rounds.violation(p.early_stopping_rounds)) fail(*m);
    if (p.threads < 0) fail(fmt::format("threads must be >= 0, got {}", p.threads));
    if (p.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(fmt::format("seed must be below 2^63, got {}", p.seed));
    }
    for (const auto& [key, value] : p.extra) check_xgb_param(key, value);
}

void apply_params(xgb::Booster& booster, const GbmParams& p) {
    booster.set_param("objective", objective_name(p.objective));
    booster.set_param("tree_method", "hist");
    booster.set_param("eta", fmt::format("{}", p.learning_rate));
    booster.set_param("max_depth", std::to_string(p.max_depth));
    booster.set_param("min_child_weight", fmt::format("{}", p.min_child_weight));
    booster.set_param("subsample", fmt::format("{}", p.subsample));
    booster.set_param("colsample_bytree", fmt::format("{}", p.colsample_bytree));
    booster.set_param("lambda", fmt::format("{}", p.reg_lambda));
    booster.set_param("seed", std::to_string(p.seed));
    booster.set_param("nthread", std::to_string(p.threads));  // 0 = all cores
    // Makes XGBoost warn (on stderr) about --xgb keys it does not know, e.g. typos.
    booster.set_param("validate_parameters", "1");
    for (const auto& [key, value] : p.extra) booster.set_param(key, value);
    booster.check_parameters();  // before any round, so a bad --xgb value is not reported as bad data
}

/// Lower is better for both metrics, so one comparison serves early stopping.
double validation_score(Objective objective, std::span<const float> pred, std::span<const float> y) {
    double sum = 0;
    if (objective == Objective::Binary) {
        constexpr double eps = 1e-15;
        for (std::size_t i = 0; i < y.size(); ++i) {
            const double p = std::clamp(static_cast<double>(pred[i]), eps, 1.0 - eps);
            sum -= y[i] == 1.0f ? std::log(p) : std::log(1.0 - p);
        }
        return sum / static_cast<double>(y.size());
    }
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double d = static_cast<double>(pred[i]) - static_cast<double>(y[i]);
        sum += d * d;
    }
    return std::sqrt(sum / static_cast<double>(y.size()));
}

template <typename T>
std::optional<T> parse_number(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

Objective objective_of(const xgb::Booster& booster, std::string_view source) {
    std::string name;
    try {
        const auto config = nlohmann::json::parse(booster.json_config());
        name = config.at("learner").at("objective").at("name").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
        throw ModelError(fmt::format("model {}: cannot read its objective: {}", source, e.what()));
    }
    if (name == objective_name(Objective::Binary)) return Objective::Binary;
    if (name == objective_name(Objective::Regression)) return Objective::Regression;
    throw ModelError(fmt::format("model {}: objective '{}' is not supported (expected {} or {})", source, name,
                                 objective_name(Objective::Binary), objective_name(Objective::Regression)));
}

/// The value of --xgb `key`, if given (the last one wins, as XGBoost applies them in order).
std::optional<std::string> extra_param(const GbmParams& p, std::string_view key) {
    std::optional<std::string> value;
    for (const auto& [k, v] : p.extra) {
        if (k == key) value = v;
    }
    return value;
}

/// The training rows as XGBoost sees them. The hist method (ours unless --xgb tree_method says otherwise) only
/// needs the binned rows, so a quantile DMatrix holds them: no gathered copy of the rows and no copy of their
/// values. Other tree methods need the values themselves.
xgb::DMatrix training_matrix(MatrixRows x, const GbmParams& p) {
    const auto method = extra_param(p, "tree_method");
    if (!method || *method == "hist") {
        int max_bin = 256;  // XGBoost's default
        if (const auto asked = extra_param(p, "max_bin")) {
            // check_xgb_param let it through; XGBoost itself refuses what is not a positive count.
            if (const auto n = parse_number<int>(*asked); n && *n > 0) max_bin = *n;
        }
        return xgb::DMatrix::quantile_from_rows(x.x.values, x.x.cols, x.rows, x.all, max_bin, p.threads);
    }
    if (x.all) return xgb::DMatrix::from_dense(x.x.values, x.x.rows, x.x.cols, p.threads);
    const DenseMatrix gathered = take_rows(x.x, x.rows);
    return xgb::DMatrix::from_dense(gathered.values, gathered.rows, gathered.cols, p.threads);
}

}  // namespace

float DenseMatrix::at(std::size_t r, std::size_t c) const {
    if (r >= rows || c >= cols || r * cols + c >= values.size()) {
        throw InternalError(fmt::format("DenseMatrix::at({}, {}) outside {} x {}", r, c, rows, cols));
    }
    return values[r * cols + c];
}

namespace {

// Below this many rows XGBoost predicts: building and checking our walk of the trees costs about as much as
// predicting some ten thousand rows.
constexpr std::size_t kOwnWalkMinRows = 50'000;

/// Our walk of the booster's trees, if it can evaluate them and gives XGBoost's own bits on the rows that
/// reach every leaf; else nothing, and XGBoost keeps predicting.
std::optional<TreeEnsemble> checked_ensemble(const xgb::Booster& booster, std::size_t num_features, int threads) {
    std::string why_not;
    auto ensemble = TreeEnsemble::from_ubjson(booster.save_ubj(), num_features, &why_not);
    if (!ensemble) {
        log::debug("XGBoost predicts with this model itself: {}", why_not);
        return std::nullopt;
    }
    const std::vector<float> probes = ensemble->probe_rows();
    const std::size_t rows = probes.size() / num_features;
    const std::vector<float> expected = booster.predict_dense(probes, rows, num_features);
    std::vector<float> got(rows);
    ensemble->predict(probes.data(), rows, got.data(), threads);
    if (expected.size() != rows || std::memcmp(expected.data(), got.data(), rows * sizeof(float)) != 0) {
        log::warn("the model's trees walked here differ from XGBoost's prediction on a check row; XGBoost "
                  "predicts instead (slower, the same results)");
        return std::nullopt;
    }
    return ensemble;
}

}  // namespace

struct Gbm::Impl {
    explicit Impl(xgb::Booster b) : booster(std::move(b)) {}
    xgb::Booster booster;
    Objective objective = Objective::Binary;
    int best_iteration = 0;
    std::optional<double> best_score;
    std::vector<double> history;
    std::size_t num_features = 0;
    int threads = 0;
    // Built at the first large prediction, from the booster as it then is (trained, loaded or sliced), and
    // tried once.
    std::optional<TreeEnsemble> ensemble;
    bool ensemble_tried = false;

    const TreeEnsemble* ensemble_for(std::size_t rows) {
        if (!ensemble_tried && rows >= kOwnWalkMinRows) {
            ensemble_tried = true;
            ensemble = checked_ensemble(booster, num_features, threads);
        }
        return ensemble ? &*ensemble : nullptr;
    }
};

Gbm::Gbm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gbm::Gbm(Gbm&&) noexcept = default;
Gbm& Gbm::operator=(Gbm&&) noexcept = default;
Gbm::~Gbm() = default;

Gbm Gbm::train(const DenseMatrix& x, std::span<const float> y, std::span<const float> weights,
               const DenseMatrix* valid_x, std::span<const float> valid_y, const GbmParams& params) {
    return train(MatrixRows{.x = x, .rows = {}, .all = true}, y, weights, valid_x, valid_y, params);
}

Gbm Gbm::train(MatrixRows x, std::span<const float> y, std::span<const float> weights,
               const DenseMatrix* valid_x, std::span<const float> valid_y, const GbmParams& params) {
    check_params(params);
    check_training_matrix(x, y, params.objective, "training data");
    check_weights(weights, x.size());
    if (valid_x != nullptr) {
        check_training_matrix(MatrixRows{.x = *valid_x, .rows = {}, .all = true}, valid_y, params.objective,
                              "validation data");
        if (valid_x->cols != x.x.cols) {
            throw DataError(fmt::format("validation data has {} feature columns, training data has {}",
                                        valid_x->cols, x.x.cols));
        }
    }

    auto dtrain = training_matrix(x, params);
    dtrain.set_float_info("label", y);
    if (!weights.empty()) dtrain.set_float_info("weight", weights);
    std::optional<xgb::DMatrix> dvalid;
    std::vector<const xgb::DMatrix*> cache{&dtrain};
    if (valid_x != nullptr) {
        dvalid = xgb::DMatrix::from_dense(valid_x->values, valid_x->rows, valid_x->cols, params.threads);
        // In the booster's cache, so each round's validation prediction only adds the new trees.
        cache.push_back(&*dvalid);
    }
    auto booster = xgb::Booster::create(cache);
    apply_params(booster, params);

    std::vector<double> history;
    int best_iteration = 0;
    double best_score = std::numeric_limits<double>::infinity();
    int round = 0;
    for (; round < params.num_rounds; ++round) {
        booster.update_one_iter(round, dtrain);
        if (!dvalid) continue;
        const double score = validation_score(params.objective, booster.predict(*dvalid), valid_y);
        history.push_back(score);
        // Strictly better only, as XGBoost's own early stopping: ties keep the smaller model.
        if (score < best_score) {
            best_score = score;
            best_iteration = round;
        } else if (params.early_stopping_rounds > 0 && round - best_iteration >= params.early_stopping_rounds) {
            ++round;
            break;
        }
    }
    if (!dvalid) best_iteration = round - 1;

    if (best_iteration + 1 < booster.boosted_rounds()) {
        // Dropping the later trees (rather than limiting prediction to them) keeps the saved model
        // self-describing: any XGBoost reader predicts exactly what we do.
        booster = booster.slice(0, best_iteration + 1);
        booster.set_param("nthread", std::to_string(params.threads));
    }
    booster.set_attr(kBestIterationAttr, std::to_string(best_iteration));
    auto impl = std::make_unique<Impl>(std::move(booster));
    impl->objective = params.objective;
    impl->best_iteration = best_iteration;
    impl->history = std::move(history);
    impl->num_features = x.x.cols;
    impl->threads = params.threads;
    if (dvalid) {
        impl->best_score = best_score;
        impl->booster.set_attr(kBestScoreAttr, fmt::format("{}", best_score));
    }
    // A trained booster keeps its tree method's working buffers as long as it lives, tens of MB per million
    // rows fitted, which a T-learner's two models held through the holdout scoring. A copy loaded from its own
    // model keeps only the trees: the same predictions and model bytes (the model is saved and scored from
    // exactly this JSON anyway).
    impl->booster = impl->booster.reloaded();
    impl->booster.set_param("nthread", std::to_string(params.threads));
    return Gbm(std::move(impl));
}

std::vector<double> Gbm::predict(const DenseMatrix& x) const {
    if (x.cols != impl_->num_features) {
        throw ModelError(fmt::format("model expects {} features, got {}", impl_->num_features, x.cols));
    }
    check_matrix(x, "prediction data");
    if (x.rows == 0) return {};
    std::vector<float> pred;
    if (const TreeEnsemble* ensemble = impl_->ensemble_for(x.rows)) {
        pred.resize(x.rows);
        ensemble->predict(x.values.data(), x.rows, pred.data(), impl_->threads);
    } else {
        // In place: a DMatrix would copy the rows once more (values and column indices) per model.
        pred = impl_->booster.predict_dense(x.values, x.rows, x.cols);
    }
    if (pred.size() != x.rows) {
        throw InternalError(fmt::format("xgboost returned {} predictions for {} rows", pred.size(), x.rows));
    }
    return std::vector<double>(pred.begin(), pred.end());
}

std::string Gbm::to_json() const { return impl_->booster.save_json(); }

void Gbm::save(const std::filesystem::path& file) const {
    // Replacing an existing model file is what a caller saving to a path means.
    io::write_text_atomic(file, to_json(), /*overwrite=*/true);
}

Gbm Gbm::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelError(fmt::format("cannot read model file {}: {}", file.string(), std::strerror(errno)));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ModelError(fmt::format("cannot read model file {}: read failed", file.string()));
    return from_json(text, file.string());
}

Gbm Gbm::from_json(std::string_view json, std::string_view source) {
    // XGBoost would feed anything else to its legacy binary reader, which trusts length fields in
    // the data; JSON and UBJSON models both open with '{'.
    const auto first = json.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || json[first] != '{') {
        throw ModelError(fmt::format("model {}: not an XGBoost JSON model", source));
    }
    std::unique_ptr<Impl> impl;
    try {
        impl = std::make_unique<Impl>(xgb::Booster::from_buffer(json.substr(first)));
    } catch (const ModelError& e) {
        throw ModelError(fmt::format("model {}: {}", source, e.what()));
    }
    Impl& m = *impl;
    m.objective = objective_of(m.booster, source);
    m.num_features = m.booster.num_features();
    const int rounds = m.booster.boosted_rounds();
    if (rounds < 1) throw ModelError(fmt::format("model {}: contains no trees", source));

    m.best_iteration = rounds - 1;
    if (const auto attr = m.booster.attr(kBestIterationAttr)) {
        const auto value = parse_number<int>(*attr);
        if (!value || *value < 0 || *value >= rounds) {
            throw ModelError(fmt::format("model {}: best_iteration '{}' is not a round of its {}", source, *attr,
                                         rounds));
        }
        m.best_iteration = *value;
    }
    if (const auto attr = m.booster.attr(kBestScoreAttr)) {
        const auto value = parse_number<double>(*attr);
        if (!value) throw ModelError(fmt::format("model {}: best_score '{}' is not a number", source, *attr));
        m.best_score = *value;
    }
    if (m.best_iteration + 1 < rounds) {
        // Written by a tool that keeps the trees after the best round (XGBoost's Python early
        // stopping does); predicting with them would not be the model that was selected.
        m.booster = m.booster.slice(0, m.best_iteration + 1);
    }
    return Gbm(std::move(impl));
}

int Gbm::best_iteration() const { return impl_->best_iteration; }
std::optional<double> Gbm::best_score() const { return impl_->best_score; }
const std::vector<double>& Gbm::validation_history() const { return impl_->history; }
int Gbm::num_rounds() const { return impl_->booster.boosted_rounds(); }
int Gbm::num_features() const { return static_cast<int>(impl_->num_features); }
Objective Gbm::objective() const { return impl_->objective; }

std::vector<std::pair<int, double>> Gbm::gain_importance() const {
    std::vector<double> gain(impl_->num_features, 0.0);
    for (const auto& [name, score] : impl_->booster.feature_score("total_gain")) {
        // Without feature names XGBoost calls feature k "f<k>".
        const auto index = name.size() > 1 && name[0] == 'f'
                               ? parse_number<std::size_t>(std::string_view(name).substr(1))
                               : std::nullopt;
        if (!index || *index >= gain.size()) {
            throw ModelError(fmt::format("xgboost reported importance for unknown feature '{}'", name));
        }
        gain[*index] = score;
    }
    std::vector<std::pair<int, double>> out;
    out.reserve(gain.size());
    for (std::size_t i = 0; i < gain.size(); ++i) out.emplace_back(static_cast<int>(i), gain[i]);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

void Gbm::set_threads(int threads) {
    if (threads < 0) throw UsageError(fmt::format("threads must be >= 0, got {}", threads));
    impl_->threads = threads;
    impl_->booster.set_param("nthread", std::to_string(threads));
}

}  // namespace uplift::model
