#include "uplift/eval/validation.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::eval {

namespace {

void require_finite(std::span<const double> column, const char* name) {
    for (std::size_t i = 0; i < column.size(); ++i) {
        if (std::isfinite(column[i])) continue;
        const char* what = std::isnan(column[i]) ? "NaN" : "infinity";
        throw DataError(fmt::format("{} column has {} at row {} (0-based); drop or impute such rows first",
                                    name, what, i));
    }
}

}  // namespace

void validate_inputs(std::span<const double> y, std::span<const std::uint8_t> treatment,
                     std::optional<std::span<const double>> score) {
    if (y.size() != treatment.size()) {
        throw DataError(fmt::format("outcome has {} rows but treatment has {}", y.size(), treatment.size()));
    }
    if (score && score->size() != y.size()) {
        throw DataError(fmt::format("score has {} rows but outcome has {}", score->size(), y.size()));
    }
    if (y.empty()) throw DataError("no rows to evaluate: the input is empty");
    if (y.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw DataError(fmt::format("{} rows is more than the {} an evaluation can rank", y.size(),
                                    std::numeric_limits<std::uint32_t>::max()));
    }

    std::size_t n_treated = 0;
    for (std::size_t i = 0; i < treatment.size(); ++i) {
        if (treatment[i] > 1) {
            throw DataError(fmt::format("treatment column has value {} at row {} (0-based); expected 0 or 1",
                                        static_cast<int>(treatment[i]), i));
        }
        n_treated += treatment[i];
    }
    if (n_treated == 0) throw DataError("no treated rows (treatment == 1): uplift needs both groups");
    if (n_treated == treatment.size()) throw DataError("no control rows (treatment == 0): uplift needs both groups");

    require_finite(y, "outcome");
    if (score) require_finite(*score, "score");
}

void validate_k(double k) {
    if (!(k > 0.0 && k <= 1.0)) {
        throw UsageError(fmt::format("--k: k must be a fraction in (0, 1], got {}", k));
    }
}

void validate_bins(int bins, std::size_t n_rows) {
    if (bins < 1 || static_cast<std::size_t>(bins) > n_rows) {
        throw UsageError(fmt::format("--bins: bins must be between 1 and the number of rows ({}), got {}", n_rows, bins));
    }
}

}  // namespace uplift::eval
