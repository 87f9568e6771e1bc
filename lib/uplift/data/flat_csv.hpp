#pragma once
/// The CSV side of flat ingest: the header checked by hand (empty file, encoding, duplicate names), every
/// column typed by what most of its values are, and the rows read by DuckDB under that typing, so that a
/// value that does not fit its column rejects its row instead of retyping the column.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/csv_dialect.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::data {

/// The column names of `path`'s header line. Throws DataError for an empty file, a column without a name or
/// a name given twice; IoError (unreadable) for a header that is not valid UTF-8 under --encoding utf-8.
std::vector<std::string> flat_csv_header(const std::filesystem::path& path, const io::CsvDialect& dialect);

struct FlatCsvRead {
    io::Table raw;                        ///< the rows DuckDB could read, in file order
    std::vector<std::int64_t> source_row; ///< the line of each row of `raw`
    std::vector<Reject> rejects;          ///< the lines DuckDB could not read (one per line), in line order
};

/// Reads the columns `used` of `path` (whose header is `names`): `text_columns` as VARCHAR, every other
/// used column as DOUBLE, BOOLEAN, DATE or TIMESTAMP when more than half of its values are one (else VARCHAR,
/// with a warning when some of them look like numbers).
FlatCsvRead read_flat_csv(io::Session& session, const std::filesystem::path& path, const io::CsvDialect& dialect,
                          const std::vector<std::string>& names, const std::vector<std::string>& used,
                          const std::function<bool(const std::string&)>& text_column);

}  // namespace uplift::data
