#include "uplift/eval/arm_rows.hpp"

#include <algorithm>

namespace uplift::eval {

std::int64_t ArmRows::n_treated() const { return std::count(treatment.begin(), treatment.end(), std::uint8_t{1}); }

ArmRows rows_of_arm(std::span<const double> y, std::span<const int> arm, int level, std::span<const double> score) {
    ArmRows out;
    // Sized once: the copies of a large holdout are its metrics' largest blocks after the ranking.
    const auto kept = static_cast<std::size_t>(
        std::count_if(arm.begin(), arm.end(), [level](int a) { return a == 0 || a == level; }));
    out.y.reserve(kept);
    out.score.reserve(kept);
    out.treatment.reserve(kept);
    for (std::size_t i = 0; i < arm.size(); ++i) {
        if (arm[i] != 0 && arm[i] != level) continue;
        out.y.push_back(y[i]);
        out.score.push_back(score[i]);
        out.treatment.push_back(arm[i] == 0 ? 0 : 1);
    }
    return out;
}

}  // namespace uplift::eval
