#include "uplift/segment/feature_matrix.hpp"

#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::segment {

std::int64_t FeatureMatrix::imputed_values() const noexcept {
    std::int64_t total = 0;
    for (const auto m : missing) total += m;
    return total;
}

std::vector<std::string> FeatureMatrix::constant_columns() const {
    std::vector<std::string> out;
    for (std::size_t j = 0; j < cols; ++j) {
        if (sd[j] == 0) out.push_back(names[j]);
    }
    return out;
}

FeatureMatrix standardise(const std::vector<std::vector<double>>& columns, std::vector<std::string> names) {
    if (columns.size() != names.size()) throw InternalError("standardise: one name per column expected");
    FeatureMatrix m;
    m.cols = columns.size();
    m.rows = columns.empty() ? 0 : columns.front().size();
    m.names = std::move(names);
    m.mean.assign(m.cols, 0);
    m.sd.assign(m.cols, 0);
    m.missing.assign(m.cols, 0);
    m.values.assign(m.rows * m.cols, 0);
    for (std::size_t j = 0; j < m.cols; ++j) {
        const auto& c = columns[j];
        if (c.size() != m.rows) throw InternalError("standardise: columns of different lengths");
        double sum = 0;
        std::int64_t present = 0;
        for (const double v : c) {
            if (std::isnan(v)) continue;
            sum += v;
            ++present;
        }
        m.missing[j] = static_cast<std::int64_t>(m.rows) - present;
        const double mean = present > 0 ? sum / static_cast<double>(present) : 0;
        // Imputed values equal the mean, so they add nothing to the squares: the spread is that of the
        // values present, shrunk by the share imputed (the population sd of the imputed column).
        double squares = 0;
        for (const double v : c) {
            if (!std::isnan(v)) squares += (v - mean) * (v - mean);
        }
        const double sd = m.rows > 0 ? std::sqrt(squares / static_cast<double>(m.rows)) : 0;
        m.mean[j] = mean;
        // A spread below rounding noise of the mean is none: dividing by it would blow noise up to unit size.
        m.sd[j] = sd > 1e-12 * std::max(1.0, std::abs(mean)) ? sd : 0;
        if (m.sd[j] == 0) continue;  // the column stays 0 everywhere
        for (std::size_t i = 0; i < m.rows; ++i) {
            const double v = c[i];
            m.values[i * m.cols + j] = std::isnan(v) ? 0 : (v - mean) / m.sd[j];
        }
    }
    return m;
}

std::vector<double> take_rows(MatrixView m, std::span<const std::size_t> rows) {
    std::vector<double> out;
    out.reserve(rows.size() * m.cols);
    for (const std::size_t r : rows) out.insert(out.end(), m.row(r), m.row(r) + m.cols);
    return out;
}

}  // namespace uplift::segment
