#pragma once
/// The rows train works on, held as lean as the fit allows: the feature columns as one float matrix (the values
/// XGBoost sees, 4 bytes a cell), every other column as read. Reading a file this way never holds its features
/// as 64-bit columns, which at 5M rows x 12 features were the largest block of train's memory
/// (docs/benchmarks.md, the flat data path).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

/// A text column kept as one code per row into its distinct values: 4 bytes a row instead of a string's 32.
struct CodedText {
    std::string name;                 ///< empty: no column is coded
    std::vector<std::string> levels;  ///< in order of first appearance
    std::vector<std::int32_t> codes;  ///< index into levels; -1 where the value is null

    /// The column of rows `rows` as it was read (same values, nulls and type).
    io::Column take(std::span<const std::size_t> rows) const;
};

struct TrainingData {
    io::Table table;                      ///< every column but the features (and `coded`), in file order, with its metadata
    CodedText coded;                      ///< the treatment column when it is text (read_training_data)
    std::vector<std::string> names;       ///< the features, in the matrix's column order
    std::vector<io::ColumnType> types;    ///< their column types, as read
    DenseMatrix x;                        ///< the features of every row: row r is the table's row r
};

/// From a table in memory: the matrix is made of `features`' numeric columns `names` (NaN where null).
TrainingData training_data_of(const io::Table& features, const std::vector<std::string>& names);

/// The same from a file, read `chunk_rows` rows at a time (io::read_table_chunks), each chunk's features put
/// into the matrix as they arrive. The columns `names` must be numeric (the caller checked the schema). A text
/// column `coded_text` (the treatment) is kept as codes.
TrainingData read_training_data(io::Session& session, const std::filesystem::path& path,
                                const std::vector<std::string>& names, const std::string& coded_text,
                                std::size_t chunk_rows = 200000);

/// read_training_data without the features' values: `table`, `coded` and the features' names and types, with
/// `x` of their columns and no rows. For a fit that needs the features of chosen rows only (read_feature_rows),
/// which then never holds the whole matrix beside its parts (at 5M rows that was train's peak).
TrainingData read_training_columns(io::Session& session, const std::filesystem::path& path,
                                   const std::vector<std::string>& names, const std::string& coded_text,
                                   std::size_t chunk_rows = 200000);

/// The features `names` of the file's rows as `count` matrices: row r goes to matrix destination[r] (0 ..
/// count-1), or to none when it is -1; each matrix keeps the file's order. `destination` has one entry per row
/// of the file (InternalError when the file has other rows than that).
std::vector<DenseMatrix> read_feature_rows(io::Session& session, const std::filesystem::path& path,
                                           const std::vector<std::string>& names,
                                           std::span<const std::int8_t> destination, std::size_t count,
                                           std::size_t chunk_rows = 200000);

}  // namespace uplift::model
