#pragma once
// Shared by the unit tests: two tables hold the same columns, types, nulls and values.

#include <catch2/catch.hpp>

#include "uplift/io/table.hpp"

namespace test_support {

/// Names, order, types and validity must match; doubles compare exactly, other values by their text (exact
/// for integers, dates and timestamps). Metadata is the caller's to compare.
inline void require_same_values(const uplift::io::Table& a, const uplift::io::Table& b) {
    REQUIRE(a.column_names() == b.column_names());
    REQUIRE(a.num_rows() == b.num_rows());
    for (std::size_t j = 0; j < a.num_columns(); ++j) {
        const uplift::io::Column& x = a.columns()[j];
        const uplift::io::Column& y = b.columns()[j];
        INFO("column " << x.name());
        REQUIRE(x.type() == y.type());
        for (std::size_t i = 0; i < a.num_rows(); ++i) {
            INFO("row " << i);
            REQUIRE(x.is_valid(i) == y.is_valid(i));
            if (!x.is_valid(i)) continue;
            if (x.type() == uplift::io::ColumnType::Double) {
                REQUIRE(x.double_values()[i] == y.double_values()[i]);
            } else {
                REQUIRE(x.text_at(i) == y.text_at(i));
            }
        }
    }
}

}  // namespace test_support
