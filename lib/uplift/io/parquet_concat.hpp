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
#include <vector>

namespace uplift::io {

/// Writes `output` as the rows of `parts`, in order. Returns false, leaving `output` absent, when the parts
/// cannot be joined this way: one is not a plain Parquet file (an encrypted footer, a damaged one, a column
/// chunk in another file), or its schema or metadata differ from the first part's. Throws IoError when a file
/// cannot be read or written (naming `shown`, the user's name for `output`; empty: `output`). The same parts
/// give the same bytes; one part gives its own bytes back.
bool concat_parquet(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                    const std::filesystem::path& shown = {});

}  // namespace uplift::io
