#pragma once
/// One Parquet file made of several, without decoding a page: each part's row groups are copied as they are,
/// one after another, under one footer. For a file written in parts on several threads, each part on one
/// thread, so that its bytes do not depend on the thread count (DuckDB's own parallel writer cuts row groups
/// where the threads' timing puts them; docs/architecture.md, "Determinism").
///
/// The footer's row groups point into the file by absolute offsets (the column chunks' pages, dictionary,
/// indexes and bloom filters), so each part's are shifted by where its bytes land; the row groups are
/// renumbered. Everything else (schema, key-value metadata, writer, column orders) must be the same bytes in
/// every part, and is kept.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "uplift/io/table.hpp"

namespace uplift::io {

/// Writes `output` as the rows of `parts`, in order (files, each read into memory: parts of a row group or a few).
/// Returns false, leaving `output` absent, when the parts cannot be joined this way: one is not a plain Parquet
/// file (an encrypted footer, a damaged one, a column chunk in another file), or its schema or metadata differ
/// from the first part's. Throws IoError when a file cannot be read or written (naming `shown`, the user's name
/// for `output`; empty: `output`). With `metadata`, that is the file's key-value metadata (the parts' own, which
/// must still agree, is dropped). The same parts give the same bytes; one part without `metadata` gives its own
/// bytes back.
bool concat_parquet(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                    const std::filesystem::path& shown = {}, const std::optional<Metadata>& metadata = std::nullopt);

/// concat_parquet for parts that come one at a time, in order, each a whole Parquet file in memory: each part's
/// row groups are written to `output` when it is added, and only its footer is kept until finish. So the parts
/// never sit in files of their own (a file written and read again costs as much as the join saves).
class ParquetJoin {
public:
    /// Creates `output` (IoError naming `shown`, or `output` when empty).
    ParquetJoin(const std::filesystem::path& output, const std::filesystem::path& shown = {});
    ~ParquetJoin();
    ParquetJoin(const ParquetJoin&) = delete;
    ParquetJoin& operator=(const ParquetJoin&) = delete;

    /// Appends the rows of `part`. Returns false, and refuses every later call, when it cannot be joined (as for
    /// concat_parquet); `output` is then incomplete, for the caller to remove.
    bool add(std::string_view part);
    /// Writes the joined footer (with `metadata` as for concat_parquet) and closes `output`. Returns false when
    /// no part was added or one was refused.
    bool finish(const std::optional<Metadata>& metadata = std::nullopt);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
