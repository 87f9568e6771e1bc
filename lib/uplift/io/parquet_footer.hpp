#pragma once
/// A Parquet file with new key-value metadata and the same rows, at the cost of a file copy: the row groups'
/// bytes are copied as they are and only the footer is written anew. For a stage whose output rows are its input
/// rows unchanged (`features` on a numeric dataset), where decoding and encoding every page again took seconds.
///
/// A Parquet file ends with its footer (a Thrift compact-protocol FileMetaData), the footer's length (4 bytes,
/// little-endian) and "PAR1". The footer refers to the row groups by absolute offsets, which the copy keeps;
/// nothing in it refers to itself or is checksummed, so a footer with field 5 (key_value_metadata) replaced
/// and every other field copied byte for byte describes the same rows. The protocol is read and written with
/// Apache Thrift's own library (Debian's libthrift-dev).

#include <filesystem>

#include "uplift/io/table.hpp"

namespace uplift::io {

/// Writes `output` as `input` with `metadata` as its whole key-value metadata (none of `input`'s kept).
/// Returns false, leaving `output` absent, when `input` is not a plain Parquet file whose footer this reads
/// (an encrypted footer, a damaged file); the caller then writes the file the long way. Throws IoError when a
/// file cannot be read or written (naming `shown`, the user's name for `output`; empty: `output`). The same
/// input and metadata give the same bytes.
bool copy_parquet_with_metadata(const std::filesystem::path& input, const std::filesystem::path& output,
                                const Metadata& metadata, const std::filesystem::path& shown = {});

}  // namespace uplift::io
