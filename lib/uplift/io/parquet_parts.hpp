#pragma once
/// A Parquet file written on several threads whose bytes do not depend on how many.
///
/// DuckDB's parallel Parquet writer lets the threads' timing decide where a row group ends, and its
/// one-thread writer takes the whole encoding onto one core (for retail purchases, 65 s of a 146 s ingest).
/// Here the rows of a Parquet source are cut into parts of a fixed number of source rows; each part is
/// written by its own one-thread DuckDB session, as one row group, and the parts are joined in order without
/// re-encoding (io::OrderedParts, the machinery TableWriter's Parquet files use too). Part k holds the selected
/// rows among source rows [k·n, (k+1)·n), sorted by their source row, so the file depends on the source's rows
/// and `part_rows` only: never on the threads, nor on how the source's own row groups fall (DuckDB's writer lays
/// out a row group's pages by its values alone, whatever chunks they come in; unit test test_parquet_parts).
///
/// The values themselves must not depend on that layout either. DuckDB's dictionary encoding takes -0.0 and
/// 0.0 (and any two NaNs) for one value and keeps whichever its row group met first, so a source of doubles
/// written with dictionaries in thread-dependent row groups has thread-dependent signs of zero. Write such a
/// source with DICTIONARY_SIZE_LIMIT 0.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "uplift/io/parquet_options.hpp"
#include "uplift/io/single_thread.hpp"

namespace uplift::io {

struct PartsCopy {
    std::filesystem::path source;  ///< a Parquet file
    std::string columns;           ///< the SELECT list, over the source's columns
    std::string where;             ///< a filter over them; empty: every row
    /// Statements each part's session runs first (the types `columns` and `where` refer to, for example).
    std::vector<std::string> setup;
    /// Source rows per part; at most the writer's row group size, so that a part is one row group.
    std::uint64_t part_rows = parquet_writer_row_group_rows;
    std::string options = parquet_copy_options;  ///< the COPY options of every part
    int threads = 1;                              ///< parts written at once (0: one per core)
    /// A folder for scratch files (created; emptied of them afterwards): only where a part cannot go through a pipe
    /// (io::PartRoute).
    std::filesystem::path scratch;
};

/// Writes the selected rows of `copy.source` to `target` (a new file, `shown` in messages: the user's name
/// for it) and returns how many there were.
std::int64_t copy_parquet_in_parts(const PartsCopy& copy, const std::filesystem::path& target,
                                   const std::filesystem::path& shown = {});

}  // namespace uplift::io
