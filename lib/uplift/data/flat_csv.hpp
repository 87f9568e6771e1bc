#pragma once
/// The CSV side of flat ingest: the header checked by hand (empty file, encoding, duplicate names), every
/// column typed by what most of its values are, and the rows read by DuckDB under that typing, so that a
/// value that does not fit its column rejects its row instead of retyping the column.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
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

/// Reads a flat CSV's columns `used` (of the header `names`) in two passes. The constructor types the
/// columns: `text_column` ones as VARCHAR, every other used column as DOUBLE, BOOLEAN, DATE or TIMESTAMP when
/// more than half of its values are one (else VARCHAR, with a warning when some of them look like numbers).
/// `read` then streams the typed rows; a value that does not fit its column's type is DuckDB's reject of its
/// line, listed by `structural_rejects` once `read` has returned.
class FlatCsvReader {
public:
    FlatCsvReader(io::Session& session, const std::filesystem::path& path, const io::CsvDialect& dialect,
                  std::vector<std::string> names, std::vector<std::string> used,
                  const std::function<bool(const std::string&)>& text_column, bool guess_types = true);
    ~FlatCsvReader();
    FlatCsvReader(const FlatCsvReader&) = delete;
    FlatCsvReader& operator=(const FlatCsvReader&) = delete;

    /// The rows DuckDB could read, in file order, `chunk_rows` at a time (the last chunk may be shorter; one
    /// empty chunk for a file without readable rows).
    void read(std::size_t chunk_rows, const std::function<void(io::Table&&)>& consume);
    /// Whether the types `read` used are those of the whole file. A file whose first rows are all numbers is
    /// read as numbers at once; when more lines were then rejected (`rejected_lines`, any reason) than a
    /// column has numbers, that may not hold: every value is counted again, and false says to read anew
    /// with the counted types (discarding this read's rows and rejects).
    bool types_confirmed(std::size_t rejected_lines);
    /// The lines `read` could not read (one per line), in line order.
    std::vector<Reject> structural_rejects();
    /// The lines that hold no data row of `read`'s output, sorted: blank lines, the continuation lines of
    /// records spanning lines, and `rejects`' lines. Data row k (from 0) is on the k-th line from line 2 that
    /// is not one of them.
    std::vector<std::int64_t> skipped_lines(const std::vector<Reject>& rejects) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Line numbers of data rows: `ordinals` (ascending, from 0) mapped to their lines, given the sorted
/// `skipped` lines of FlatCsvReader::skipped_lines.
std::vector<std::int64_t> lines_of_rows(const std::vector<std::int64_t>& ordinals,
                                        const std::vector<std::int64_t>& skipped);

}  // namespace uplift::data
