#include "uplift/model/xgb_handles.hpp"

#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace uplift::model::xgb {

namespace {

/// XGBoost's text without its "[hh:mm:ss] " prefix (it would make stderr differ run to run),
/// its native stack trace (noise to a user) and trailing newlines.
std::string_view clean_message(const char* message) {
    std::string_view text(message != nullptr ? message : "");
    if (text.size() > 11 && text[0] == '[' && text[3] == ':' && text[6] == ':' && text[9] == ']' && text[10] == ' ') {
        text.remove_prefix(11);
    }
    if (const auto trace = text.find("Stack trace:"); trace != std::string_view::npos) text = text.substr(0, trace);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    return text;
}

void log_to_stderr(const char* message) {
    // Prefix every line: XGBoost's warnings span several, and each must be attributable.
    std::string_view text = clean_message(message);
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        if (!line.empty()) fmt::print(stderr, "xgboost: {}\n", line);
        if (eol == std::string_view::npos) break;
        text.remove_prefix(eol + 1);
    }
}

/// An error is one line on stderr: XGBoost's multi-line messages (a parameter check adds the parameter's
/// description on a line of its own) are joined with "; ".
std::string one_line(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        if (!line.empty()) {
            if (!out.empty()) out += "; ";
            out += line;
        }
        if (eol == std::string_view::npos) break;
        text.remove_prefix(eol + 1);
    }
    return out;
}

}  // namespace

ErrorKind error_kind_of(Subject subject) {
    switch (subject) {
    case Subject::model_file: return ErrorKind::Model;
    case Subject::data: return ErrorKind::Data;
    case Subject::parameters: return ErrorKind::Usage;
    case Subject::ours: break;
    }
    return ErrorKind::Internal;
}

void xgb_check(int rc, Subject subject, std::string_view context) {
    if (rc == 0) return;
    const std::string last = one_line(clean_message(XGBGetLastError()));
    throw_error(error_kind_of(subject), fmt::format("xgboost: {}: {}", context, last.empty() ? "unknown error" : last));
}

void ensure_log_callback() {
    thread_local bool registered = false;
    if (registered) return;
    xgb_check(XGBRegisterLogCallback(&log_to_stderr), Subject::ours, "registering the log callback");
    registered = true;
}

// --- DMatrix ---------------------------------------------------------------------------------

DMatrix DMatrix::from_dense(std::span<const float> values, std::size_t rows, std::size_t cols,
                            int threads) {
    ensure_log_callback();
    ::DMatrixHandle handle = nullptr;
    xgb_check(XGDMatrixCreateFromMat_omp(values.data(), static_cast<bst_ulong>(rows),
                                         static_cast<bst_ulong>(cols),
                                         std::numeric_limits<float>::quiet_NaN(), &handle, threads),
              Subject::data, "creating a DMatrix");
    return DMatrix(handle);
}

namespace {

/// The data iterator XGBoost's quantile DMatrix pulls batches from: each call gathers the next rows into one
/// buffer and shows it to the proxy. XGBoost reads every batch twice (sketch, then bin), hence reset.
struct GatheredRows {
    std::span<const float> values;
    std::size_t cols = 0;
    std::span<const std::size_t> rows;
    std::size_t total = 0;  ///< rows to feed
    bool all_rows = false;
    ::DMatrixHandle proxy = nullptr;
    std::size_t next_row = 0;
    std::vector<float> batch;
    std::string interface;

    static constexpr std::size_t batch_rows = 65536;

    static void reset(::DataIterHandle self) { static_cast<GatheredRows*>(self)->next_row = 0; }

    static int next(::DataIterHandle self) {
        auto& it = *static_cast<GatheredRows*>(self);
        if (it.next_row >= it.total) return 0;
        const std::size_t n = std::min(batch_rows, it.total - it.next_row);
        const float* data = nullptr;
        if (it.all_rows) {
            data = it.values.data() + it.next_row * it.cols;
        } else {
            it.batch.resize(n * it.cols);
            for (std::size_t i = 0; i < n; ++i) {
                const float* row = it.values.data() + it.rows[it.next_row + i] * it.cols;
                std::copy(row, row + it.cols, it.batch.data() + i * it.cols);
            }
            data = it.batch.data();
        }
        it.interface = fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                                   reinterpret_cast<std::uintptr_t>(data), n, it.cols);
        it.next_row += n;
        // A failure here cannot throw through XGBoost's C frames; it shows when the DMatrix creation fails.
        return XGProxyDMatrixSetDataDense(it.proxy, it.interface.c_str()) == 0 ? 1 : 0;
    }
};

}  // namespace

DMatrix DMatrix::quantile_from_rows(std::span<const float> values, std::size_t cols, std::span<const std::size_t> rows,
                                    bool all_rows, int max_bin, int threads) {
    ensure_log_callback();
    ::DMatrixHandle proxy_handle = nullptr;
    xgb_check(XGProxyDMatrixCreate(&proxy_handle), Subject::ours, "creating a DMatrix proxy");
    const DMatrix proxy(proxy_handle);  // freed however the creation ends
    GatheredRows it;
    it.values = values;
    it.cols = cols;
    it.rows = rows;
    it.all_rows = all_rows;
    it.total = all_rows ? (cols == 0 ? 0 : values.size() / cols) : rows.size();
    it.proxy = proxy_handle;
    const std::string config =
        fmt::format(R"({{"missing": NaN, "nthread": {}, "max_bin": {}}})", threads, max_bin);
    ::DMatrixHandle handle = nullptr;
    xgb_check(XGQuantileDMatrixCreateFromCallback(&it, proxy_handle, nullptr, &GatheredRows::reset,
                                                  &GatheredRows::next, config.c_str(), &handle),
              Subject::data, "creating a quantile DMatrix");
    return DMatrix(handle);
}

DMatrix& DMatrix::operator=(DMatrix&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) XGDMatrixFree(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

DMatrix::~DMatrix() {
    // A destructor cannot throw; freeing a valid handle does not fail in practice.
    if (handle_ != nullptr) XGDMatrixFree(handle_);
}

void DMatrix::set_float_info(const char* field, std::span<const float> values) {
    xgb_check(XGDMatrixSetFloatInfo(handle_, field, values.data(), static_cast<bst_ulong>(values.size())),
              Subject::data, fmt::format("setting DMatrix field '{}'", field));
}

// --- Booster ---------------------------------------------------------------------------------

Booster Booster::create(std::span<const DMatrix* const> cache) {
    ensure_log_callback();
    std::vector<::DMatrixHandle> handles;
    handles.reserve(cache.size());
    for (const DMatrix* m : cache) handles.push_back(m->get());
    ::BoosterHandle handle = nullptr;
    xgb_check(XGBoosterCreate(handles.data(), static_cast<bst_ulong>(handles.size()), &handle), Subject::ours,
              "creating a booster");
    return Booster(handle, Subject::ours);
}

Booster Booster::from_buffer(std::string_view model) {
    ensure_log_callback();
    ::BoosterHandle handle = nullptr;
    xgb_check(XGBoosterCreate(nullptr, 0, &handle), Subject::ours, "creating a booster");
    Booster booster(handle, Subject::model_file);  // owned before loading, so a failed load still frees it
    xgb_check(XGBoosterLoadModelFromBuffer(handle, model.data(), static_cast<bst_ulong>(model.size())),
              Subject::model_file, "loading a model");
    return booster;
}

Booster& Booster::operator=(Booster&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) XGBoosterFree(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        subject_ = other.subject_;
    }
    return *this;
}

Booster::~Booster() {
    if (handle_ != nullptr) XGBoosterFree(handle_);
}

void Booster::set_param(const std::string& name, const std::string& value) {
    xgb_check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), Subject::parameters,
              fmt::format("setting parameter {}={}", name, value));
}

void Booster::check_parameters() {
    // Saving the configuration makes the learner configure itself first, which validates every parameter.
    bst_ulong len = 0;
    const char* data = nullptr;
    xgb_check(XGBoosterSaveJsonConfig(handle_, &len, &data), Subject::parameters, "checking the parameters");
}

void Booster::update_one_iter(int iter, const DMatrix& train) {
    // XGBoost checks labels and values against the objective only here (fit time): the data's fault.
    xgb_check(XGBoosterUpdateOneIter(handle_, iter, train.get()), Subject::data, fmt::format("boosting round {}", iter));
}

std::vector<float> Booster::predict(const DMatrix& data) const {
    static constexpr const char* config =
        R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    xgb_check(XGBoosterPredictFromDMatrix(handle_, data.get(), config, &shape, &dim, &result), subject_, "predicting");
    std::size_t n = 1;
    for (bst_ulong i = 0; i < dim; ++i) n *= static_cast<std::size_t>(shape[i]);
    // The buffer belongs to the booster and is overwritten by its next call.
    return std::vector<float>(result, result + n);
}

std::vector<float> Booster::predict_dense(std::span<const float> values, std::size_t rows, std::size_t cols) const {
    // The array interface of numpy (version 3): the data pointer as an integer, read-only.
    const std::string array = fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                                          reinterpret_cast<std::uintptr_t>(values.data()), rows, cols);
    // Threads: the booster's own nthread parameter, as for predict().
    static constexpr const char* config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                                          R"("strict_shape": false, "cache_id": 0, "missing": NaN})";
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    xgb_check(XGBoosterPredictFromDense(handle_, array.c_str(), config, nullptr, &shape, &dim, &result),
              subject_, "predicting");
    std::size_t n = 1;
    for (bst_ulong i = 0; i < dim; ++i) n *= static_cast<std::size_t>(shape[i]);
    return std::vector<float>(result, result + n);
}

Booster Booster::slice(int begin, int end) const {
    // Checked here, not left to XGBoost: on a range it refuses, XGBoosterSlice (1.7) returns without freeing
    // the learner it already allocated, which LeakSanitizer reports in the sanitizer job.
    if (begin < 0 || end <= begin) {
        throw InternalError(fmt::format("slicing rounds [{}, {}): not a range of boosting rounds", begin, end));
    }
    ::BoosterHandle out = nullptr;
    xgb_check(XGBoosterSlice(handle_, begin, end, 1, &out), subject_,
              fmt::format("slicing rounds [{}, {})", begin, end));
    return Booster(out, subject_);
}

Booster Booster::reloaded() const {
    Booster copy = from_buffer(save_json());
    copy.subject_ = subject_;
    return copy;
}

std::string Booster::save_json() const {
    bst_ulong len = 0;
    const char* data = nullptr;
    xgb_check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &data), subject_, "saving the model");
    return std::string(data, static_cast<std::size_t>(len));
}

std::vector<std::uint8_t> Booster::save_ubj() const {
    bst_ulong len = 0;
    const char* data = nullptr;
    xgb_check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "ubj"})", &len, &data), subject_, "saving the model");
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
    return std::vector<std::uint8_t>(bytes, bytes + len);
}

std::string Booster::json_config() const {
    bst_ulong len = 0;
    const char* data = nullptr;
    xgb_check(XGBoosterSaveJsonConfig(handle_, &len, &data), subject_, "reading the booster configuration");
    return std::string(data, static_cast<std::size_t>(len));
}

std::optional<std::string> Booster::attr(const std::string& key) const {
    const char* out = nullptr;
    int success = 0;
    xgb_check(XGBoosterGetAttr(handle_, key.c_str(), &out, &success), subject_, fmt::format("reading attribute {}", key));
    if (success == 0 || out == nullptr) return std::nullopt;
    return std::string(out);
}

void Booster::set_attr(const std::string& key, const std::string& value) {
    xgb_check(XGBoosterSetAttr(handle_, key.c_str(), value.c_str()), subject_, fmt::format("setting attribute {}", key));
}

int Booster::boosted_rounds() const {
    int out = 0;
    xgb_check(XGBoosterBoostedRounds(handle_, &out), subject_, "counting boosted rounds");
    return out;
}

std::size_t Booster::num_features() const {
    bst_ulong out = 0;
    xgb_check(XGBoosterGetNumFeature(handle_, &out), subject_, "counting features");
    return static_cast<std::size_t>(out);
}

std::vector<std::pair<std::string, double>> Booster::feature_score(std::string_view importance_type) const {
    const std::string config = fmt::format(R"({{"importance_type": "{}"}})", importance_type);
    bst_ulong n_features = 0;
    const char** names = nullptr;
    bst_ulong dim = 0;
    const bst_ulong* shape = nullptr;
    const float* scores = nullptr;
    xgb_check(XGBoosterFeatureScore(handle_, config.c_str(), &n_features, &names, &dim, &shape, &scores),
              subject_, fmt::format("computing {} feature importance", importance_type));
    std::size_t n_scores = 1;
    for (bst_ulong i = 0; i < dim; ++i) n_scores *= static_cast<std::size_t>(shape[i]);
    if (n_scores != static_cast<std::size_t>(n_features)) {
        throw_error(error_kind_of(subject_), fmt::format("xgboost: {} feature importance has {} scores for {} features",
                                     importance_type, n_scores, n_features));
    }
    std::vector<std::pair<std::string, double>> out;
    out.reserve(n_scores);
    for (std::size_t i = 0; i < n_scores; ++i) out.emplace_back(names[i], static_cast<double>(scores[i]));
    return out;
}

}  // namespace uplift::model::xgb
