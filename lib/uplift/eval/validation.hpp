#pragma once
/// Input checks shared by every metric, so each problem is reported once, with the same wording.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace uplift::eval {

/// Checks the columns of an evaluation: equal lengths, 1 to 2^32-1 rows, treatment only 0/1, both
/// a treated and a control row, and no NaN or infinity in `y` or `score` (pass no score for the
/// perfect curves, which need none). Throws uplift::DataError naming the column and 0-based row.
void validate_inputs(std::span<const double> y, std::span<const std::uint8_t> treatment,
                     std::optional<std::span<const double>> score = std::nullopt);

/// Throws uplift::UsageError unless 0 < k <= 1.
void validate_k(double k);

/// Throws uplift::UsageError unless 1 <= bins <= n_rows.
void validate_bins(int bins, std::size_t n_rows);

}  // namespace uplift::eval
