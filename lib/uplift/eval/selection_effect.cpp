#include "uplift/eval/selection_effect.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/eval/distributions.hpp"

namespace uplift::eval {

SelectionEffect selection_effect(std::span<const SelectionRow> rows, std::span<const double> arm_shares, double level) {
    if (!(level > 0 && level < 1)) throw UsageError(fmt::format("confidence level {} must be in (0, 1)", level));
    const auto share = [&](int arm) {
        const double e = arm >= 0 && static_cast<std::size_t>(arm) < arm_shares.size()
                             ? arm_shares[static_cast<std::size_t>(arm)] : 0.0;
        if (!(e > 0 && e < 1)) {
            throw DataError(fmt::format("the test has no rows in arm {} (share {}): the chosen clients' effect cannot "
                                        "be measured", arm, e));
        }
        return e;
    };
    SelectionEffect out;
    // Two passes (mean, then squared deviations) in row order: the same bits for the same rows.
    double sum = 0;
    std::vector<double> psi;
    psi.reserve(rows.size());
    const double e0 = share(0);
    for (const SelectionRow& r : rows) {
        const double ek = share(r.offer);
        double v = r.m_offer - r.m_control;
        out.model_forecast += r.weight * v;
        if (r.arm == r.offer) {
            v += (r.y - r.m_offer) / ek;
            ++out.treated;
        } else if (r.arm == 0) {
            v -= (r.y - r.m_control) / e0;
            ++out.control;
        }
        psi.push_back(r.weight * v);
        sum += psi.back();
    }
    out.clients = static_cast<std::int64_t>(rows.size());
    out.estimate = sum;
    if (rows.size() > 1) {
        const double n = static_cast<double>(rows.size());
        const double mean = sum / n;
        double ss = 0;
        for (const double v : psi) ss += (v - mean) * (v - mean);
        out.std_error = std::sqrt(n * ss / (n - 1));
    }
    const double z = normal_quantile(0.5 + level / 2);
    out.range = {out.estimate - z * out.std_error, out.estimate + z * out.std_error};
    return out;
}

}  // namespace uplift::eval
