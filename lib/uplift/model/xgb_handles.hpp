#pragma once
// Internal to lib/uplift/model: the only header that includes xgboost/c_api.h. Include it from
// .cpp files of this directory only, so no public header drags the C API in.
//
// Both C handle types are void*, so the distinct wrapper classes are what stops a DMatrix from
// being passed where a Booster is expected.

#include <xgboost/c_api.h>

#include "uplift/core/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uplift::model::xgb {

/// What a failing XGBoost call worked on. XGBoost's C API reports only a message, so this is what decides
/// the kind (and the exit code) of its error.
enum class Subject {
    model_file,  ///< a model read from a file: XGBoost rejecting it means the file is bad -> ModelError (5)
    data,        ///< the user's rows, labels, weights, at DMatrix creation or fit time -> DataError (3)
    parameters,  ///< parameters as XGBoost checks them when it configures; ours are checked before, so a
                 ///< refused one came from the user's --xgb -> UsageError (2)
    ours,        ///< what we built (a booster we trained, the log hook): a bug -> InternalError (1)
};
ErrorKind error_kind_of(Subject subject);

/// Throws the error of `subject`'s kind, "xgboost: <context>: <XGBGetLastError()>", unless rc == 0.
void xgb_check(int rc, Subject subject, std::string_view context);

/// Routes XGBoost's log lines to stderr with an "xgboost: " prefix. XGBoost keeps the callback
/// per thread, so this registers once per calling thread; the factories below call it.
void ensure_log_callback();

class DMatrix {
public:
    /// Copies a row-major float matrix (NaN = missing) into a new DMatrix.
    static DMatrix from_dense(std::span<const float> values, std::size_t rows, std::size_t cols,
                              int threads);
    /// The hist method's binned form of some rows of a row-major float matrix (NaN = missing): a quantile
    /// DMatrix, fed in batches gathered from `rows` (every row when `all_rows`). It keeps one byte or so per
    /// cell instead of from_dense's copy of values and column indices (8 bytes per cell), and the rows need no
    /// gathered copy of their own. Trained on, it gives the same model as from_dense of the same rows (the
    /// same quantile sketch sees the same values in the same order; tests/unit/test_gbm.cpp). `max_bin` must
    /// be the booster's own.
    static DMatrix quantile_from_rows(std::span<const float> values, std::size_t cols,
                                      std::span<const std::size_t> rows, bool all_rows, int max_bin, int threads);

    DMatrix(DMatrix&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    DMatrix& operator=(DMatrix&& other) noexcept;
    DMatrix(const DMatrix&) = delete;
    DMatrix& operator=(const DMatrix&) = delete;
    ~DMatrix();

    ::DMatrixHandle get() const noexcept { return handle_; }

    /// Sets a float field ("label", "weight", ...); XGBoost copies the values.
    void set_float_info(const char* field, std::span<const float> values);

private:
    explicit DMatrix(::DMatrixHandle handle) noexcept : handle_(handle) {}
    ::DMatrixHandle handle_ = nullptr;
};

class Booster {
public:
    /// A fresh booster whose prediction cache covers `cache` (training and validation matrices).
    static Booster create(std::span<const DMatrix* const> cache);
    /// A booster loaded from an in-memory model (JSON or UBJSON).
    static Booster from_buffer(std::string_view model);

    Booster(Booster&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)), subject_(other.subject_) {}
    Booster& operator=(Booster&& other) noexcept;
    Booster(const Booster&) = delete;
    Booster& operator=(const Booster&) = delete;
    ~Booster();

    ::BoosterHandle get() const noexcept { return handle_; }

    /// Records a parameter; XGBoost checks it only when it configures (check_parameters, or the first round).
    void set_param(const std::string& name, const std::string& value);
    /// Makes XGBoost configure now, so a parameter it refuses fails as such, not as the first round's data.
    void check_parameters();
    void update_one_iter(int iter, const DMatrix& train);
    /// Normal prediction (probability / value) with every tree, copied out of XGBoost's buffer.
    std::vector<float> predict(const DMatrix& data) const;
    /// The same prediction straight from a row-major float buffer (NaN = missing), without building a
    /// DMatrix: XGBoost's in-place prediction reads the buffer where it is.
    std::vector<float> predict_dense(std::span<const float> values, std::size_t rows, std::size_t cols) const;
    /// Trees of rounds [begin, end) as a new booster.
    Booster slice(int begin, int end) const;
    /// The same model, loaded from its own JSON: only the trees and attributes, without the working state a
    /// trained booster keeps while it lives (row partitions, gradients, the training rows' prediction cache).
    /// Training parameters such as nthread are not part of the model: set them again.
    Booster reloaded() const;

    /// The model in XGBoost's JSON format.
    std::string save_json() const;
    /// The model in XGBoost's UBJSON format, whose floats are the trees' own 32-bit values (JSON writes them as
    /// decimal text).
    std::vector<std::uint8_t> save_ubj() const;
    /// The learner configuration (objective, parameters) as JSON text.
    std::string json_config() const;

    std::optional<std::string> attr(const std::string& key) const;
    void set_attr(const std::string& key, const std::string& value);

    int boosted_rounds() const;
    std::size_t num_features() const;
    /// Per-feature scores named as XGBoost names them ("f0", "f1", ... without feature names).
    /// Features never used in a split are absent.
    std::vector<std::pair<std::string, double>> feature_score(std::string_view importance_type) const;

private:
    Booster(::BoosterHandle handle, Subject subject) noexcept : handle_(handle), subject_(subject) {}
    ::BoosterHandle handle_ = nullptr;
    /// model_file for a booster loaded from a file (and its slices): a call XGBoost refuses on it means the
    /// file is bad; ours for one we trained.
    Subject subject_ = Subject::ours;
};

}  // namespace uplift::model::xgb
