#pragma once
/// The rows a model was fitted on, remembered as 64-bit hashes of what the model saw of each row (its feature
/// values, as the design matrix holds them, and its id). `score` hashes its rows the same way: a file whose
/// rows are mostly fitted rows is in-sample whatever its name or bytes, for example dataset.parquet before
/// `features`, or a copy of features.parquet. The hashes live in `fitted_rows.bin` in the model folder,
/// listed in model.json with their fingerprint; this file alone knows the bytes.
///
/// Format of fitted_rows.bin: the line "upliftctl fitted rows 1\n", then the kept hashes as unsigned 64-bit
/// little-endian integers in increasing order. When the fit had more than `max_kept` rows, only hashes that
/// are a multiple of `sample_one_in` are kept: a deterministic sample the scored rows are checked against the
/// same way, so the file stays under a megabyte whatever the training size.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

inline constexpr std::int64_t max_kept_fitted_rows = 100'000;
inline constexpr const char* fitted_rows_file = "fitted_rows.bin";

/// The hash of row `r` of `x`, with the id `id` (its text; nullptr: no id) mixed in. -0 and 0 hash alike, and
/// so do all NaNs, as they are the same input to the model.
std::uint64_t row_hash(const DenseMatrix& x, std::size_t r, const io::Column* id, std::size_t id_row);

struct FittedRows {
    std::vector<std::uint64_t> hashes;  ///< sorted, unique
    std::int64_t rows = 0;
    std::uint64_t sample_one_in = 1;
    bool with_id = false;

    /// Whether a row with this hash is in the kept sample, i.e. whether it can be checked at all.
    bool checkable(std::uint64_t h) const noexcept { return h % sample_one_in == 0; }
    bool contains(std::uint64_t h) const noexcept;
};

/// The fitted rows of `x`; `id` (may be nullptr) holds each row's id at `id_rows[r]`. Rows are hashed on up to
/// `threads` threads (0 = one per core); the result does not depend on it.
FittedRows fitted_rows_of(const DenseMatrix& x, const io::Column* id, std::span<const std::size_t> id_rows,
                          int threads = 1);

/// Writes the hashes to `file` (to be committed at `final_path`) and returns the manifest's entry.
artifacts::FittedRowsEntry save_fitted_rows(const FittedRows& rows, const std::filesystem::path& file,
                                            const std::filesystem::path& final_path);
/// Reads them back; throws ModelError when the file is missing, malformed or changed since training.
FittedRows load_fitted_rows(const std::filesystem::path& model_dir, const artifacts::FittedRowsEntry& entry);

/// How many scored rows could be checked, and how many of those were fitted on.
struct FittedRowCount {
    std::int64_t checked = 0;
    std::int64_t fitted = 0;

    /// The share of fitted rows among the checked ones (0 when none could be checked).
    double share() const noexcept { return checked > 0 ? static_cast<double>(fitted) / static_cast<double>(checked) : 0; }
};

/// Adds the rows of `x` (with ids `id`, may be nullptr) to `count`.
void count_fitted_rows(const FittedRows& fitted, const DenseMatrix& x, const io::Column* id, FittedRowCount& count);

}  // namespace uplift::model
