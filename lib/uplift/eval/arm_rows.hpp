#pragma once
/// The rows of one treated level and control, in the form the metrics take. Training (holdout metrics) and
/// permutation importance (Qini per level) both measure each treated level against control on the rows
/// of those two arms; this is that selection, written once.

#include <cstdint>
#include <span>
#include <vector>

namespace uplift::eval {

struct ArmRows {
    std::vector<double> y;
    std::vector<std::uint8_t> treatment;  ///< 1 for the treated level, 0 for control
    std::vector<double> score;

    std::int64_t n_treated() const;
    std::int64_t n_control() const { return static_cast<std::int64_t>(treatment.size()) - n_treated(); }
};

/// `arm` codes each row: 0 = control, k = the k-th treated level (1-based), anything else = another arm.
/// Keeps the rows of control and of `level`, in order.
ArmRows rows_of_arm(std::span<const double> y, std::span<const int> arm, int level, std::span<const double> score);

}  // namespace uplift::eval
