#pragma once
/// The matrix k-means works on: one row per client, one column per clustered feature, each column
/// standardised to mean 0 and standard deviation 1 so that no feature weighs more for its unit (a sum in
/// roubles next to a share in 0..1). Missing values are replaced by their column's mean before
/// standardising, i.e. by 0: a client without a value sits at the centre of that feature and pulls no
/// cluster either way (docs/segments.md, "Missing values").

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace uplift::segment {

/// A read-only view of a row-major matrix.
struct MatrixView {
    const double* data = nullptr;
    std::size_t rows = 0;
    std::size_t cols = 0;

    const double* row(std::size_t i) const noexcept { return data + i * cols; }
};

struct FeatureMatrix {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> values;  ///< row-major, standardised
    std::vector<std::string> names;
    std::vector<double> mean;  ///< of the values present (0 for a column without any)
    std::vector<double> sd;    ///< population standard deviation after imputation; 0 for a constant column
    std::vector<std::int64_t> missing;  ///< values imputed per column

    MatrixView view() const noexcept { return {values.data(), rows, cols}; }
    std::int64_t imputed_values() const noexcept;
    /// The columns that are constant (sd 0): standardised to 0 everywhere, they do not move any distance.
    std::vector<std::string> constant_columns() const;
};

/// Standardises `columns` (each of one length, NaN for missing), named `names`. A column whose values are
/// all equal, or all missing, becomes 0 everywhere. Sums run in row order, so the result does not depend on
/// anything but the values.
FeatureMatrix standardise(const std::vector<std::vector<double>>& columns, std::vector<std::string> names);

/// The rows `rows` of `m`, in that order, as a new row-major buffer (for fitting on a sample).
std::vector<double> take_rows(MatrixView m, std::span<const std::size_t> rows);

}  // namespace uplift::segment
