#pragma once
/// Table columns → the dense float matrix XGBoost takes (NaN = missing).

#include <span>
#include <vector>

#include "uplift/io/table.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

/// Rows `rows` (all rows when empty) of the numeric columns `columns`, row-major.
DenseMatrix make_matrix(const std::vector<const io::Column*>& columns, std::span<const std::size_t> rows = {});

/// The rows `rows` of `m`.
DenseMatrix take_rows(const DenseMatrix& m, std::span<const std::size_t> rows);

}  // namespace uplift::model
