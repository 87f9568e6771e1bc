#include "uplift/model/design_matrix.hpp"

#include <algorithm>

namespace uplift::model {

DenseMatrix make_matrix(const std::vector<const io::Column*>& columns, std::span<const std::size_t> rows) {
    const std::size_t n = rows.empty() ? (columns.empty() ? 0 : columns.front()->size()) : rows.size();
    DenseMatrix m;
    m.rows = n;
    m.cols = columns.size();
    m.values.resize(n * m.cols);
    for (std::size_t j = 0; j < columns.size(); ++j) {
        const io::Column& c = *columns[j];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t r = rows.empty() ? i : rows[i];
            m.values[i * m.cols + j] = static_cast<float>(c.number_at(r));
        }
    }
    return m;
}

DenseMatrix take_rows(const DenseMatrix& m, std::span<const std::size_t> rows) {
    DenseMatrix out;
    out.rows = rows.size();
    out.cols = m.cols;
    out.values.resize(out.rows * out.cols);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::copy_n(m.values.begin() + static_cast<std::ptrdiff_t>(rows[i] * m.cols), m.cols,
                    out.values.begin() + static_cast<std::ptrdiff_t>(i * m.cols));
    }
    return out;
}

}  // namespace uplift::model
