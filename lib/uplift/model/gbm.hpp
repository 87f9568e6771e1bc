#pragma once
/// Gradient-boosted trees (XGBoost, tree_method=hist) as the base learner of the uplift models.
/// Only our own types appear here; the XGBoost C API stays behind gbm.cpp.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uplift::model {

/// A row-major float matrix; NaN marks a missing value.
struct DenseMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<float> values;

    /// Value at row `r`, column `c`; throws InternalError when out of range.
    float at(std::size_t r, std::size_t c) const;
};

/// Some rows of a matrix named by their numbers instead of copied out: the rows a fit trains on.
struct MatrixRows {
    const DenseMatrix& x;
    std::span<const std::size_t> rows;  ///< row numbers of x, in the order fitted; unused when `all`
    bool all = false;

    std::size_t size() const noexcept { return all ? x.rows : rows.size(); }
    std::size_t row(std::size_t i) const noexcept { return all ? i : rows[i]; }
};

/// binary:logistic (predicts a probability) or reg:squarederror (predicts a value).
enum class Objective { Binary, Regression };

/// Training parameters. Ranges are checked by Gbm::train (UsageError); num_rounds, learning_rate, max_depth
/// and early_stopping_rounds against their declarations in train_params.hpp, the same bounds as `train`.
struct GbmParams {
    Objective objective = Objective::Binary;
    int num_rounds = 100;
    double learning_rate = 0.1;
    int max_depth = 3;
    double min_child_weight = 1;
    double subsample = 0.8;
    double colsample_bytree = 0.8;
    double reg_lambda = 1.0;
    /// 0 = off. Needs the validation set passed to train; without one every round is kept.
    int early_stopping_rounds = 20;
    /// 0 = XGBoost's default (all cores).
    int threads = 0;
    /// Must be below 2^63 (XGBoost stores it as int64).
    std::uint64_t seed = 42;
    /// Raw XGBoost key=value overrides (--xgb), applied last. "objective" is refused.
    std::vector<std::pair<std::string, std::string>> extra;
};

/// A trained booster. Move-only. Predicting is not safe concurrently on one instance.
class Gbm {
public:
    /// Trains on `x`/`y` (optional per-row `weights`, empty = none). With `valid_x`, the validation
    /// logloss (Binary) or RMSE (Regression) is tracked each round; the model keeps only the trees up
    /// to the best round, and training stops after `early_stopping_rounds` rounds without improvement.
    /// Throws DataError for unusable data, UsageError for out-of-range params, ModelError if
    /// XGBoost fails.
    static Gbm train(const DenseMatrix& x, std::span<const float> y, std::span<const float> weights,
                     const DenseMatrix* valid_x, std::span<const float> valid_y, const GbmParams& params);
    /// The same on some rows of `x` (`y` and `weights` follow `x.rows`' order), without a copy of them.
    static Gbm train(MatrixRows x, std::span<const float> y, std::span<const float> weights,
                     const DenseMatrix* valid_x, std::span<const float> valid_y, const GbmParams& params);

    /// Probability (Binary) or value (Regression) per row, XGBoost's to the bit: from 50,000 rows on, our walk of
    /// the trees gives them (tree_ensemble.hpp), once it has matched XGBoost on this model's check rows.
    /// ModelError on a feature-count mismatch.
    std::vector<double> predict(const DenseMatrix& x) const;

    /// Writes the XGBoost JSON model (loadable by xgboost.Booster(model_file=...)) through a temp
    /// file and a rename, so readers never see a partial file. IoError if it cannot be written.
    void save(const std::filesystem::path& file) const;
    /// ModelError naming the file if it is missing, unreadable or not a supported XGBoost model.
    static Gbm load(const std::filesystem::path& file);

    /// The XGBoost JSON model text, for embedding in a larger bundle; byte-identical to save().
    std::string to_json() const;
    /// Parses to_json() output; `source` names the origin in error messages.
    static Gbm from_json(std::string_view json, std::string_view source);

    /// 0-based round with the best validation score (last round when there was no validation set).
    int best_iteration() const;
    /// Best validation score, if a validation set was used (restored by load()).
    std::optional<double> best_score() const;
    /// Validation score per boosted round, as tracked during train(); empty after load().
    const std::vector<double>& validation_history() const;
    /// Boosting rounds kept in the model (best_iteration() + 1).
    int num_rounds() const;
    int num_features() const;
    Objective objective() const;

    /// (feature index, total gain over all splits) for every feature, highest gain first, ties by
    /// index; features never split on have gain 0.
    std::vector<std::pair<int, double>> gain_importance() const;

    /// Threads used by predict(); 0 = one per core. Does not change the model or its predictions.
    void set_threads(int threads);

    Gbm(Gbm&&) noexcept;
    Gbm& operator=(Gbm&&) noexcept;
    Gbm(const Gbm&) = delete;
    Gbm& operator=(const Gbm&) = delete;
    ~Gbm();

private:
    struct Impl;
    explicit Gbm(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::model
