#pragma once
/// The `features` output of a flat dataset whose features are all numbers, written by DuckDB straight from the
/// dataset's Parquet file: nothing changes in such a table but its metadata and the features' type (DOUBLE), so
/// it needs no copy in memory. At 5M rows × 12 numbers this is the difference between holding the table twice
/// (about 3 GB) and streaming it (docs/benchmarks.md, "The flat data path").
///
/// The file holds what build_flat_features would give for the same spec: id, treatment and outcome as they
/// are, then each feature as a DOUBLE, a missing value (or NaN) as NULL; the same metadata.

#include <cstddef>
#include <filesystem>

#include "uplift/data/roles.hpp"
#include "uplift/features/flat_encoding.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::features {

/// Whether `input` can take the streaming path under `spec`, decided from `schema` (its columns without rows,
/// io::read_schema): a Parquet file, no one-hot columns, and every feature a boolean, integer or double.
bool can_stream_flat_features(const std::filesystem::path& input, const io::Table& schema, const FeatureSpec& spec);

/// Writes the features of `input` to `out` (atomically; on the session's threads when the input's row groups
/// are the writer's own size, else on one DuckDB thread, so the bytes never depend on --threads), with
/// `metadata` (flat_features_metadata plus what the caller adds). Returns the rows written.
std::size_t write_flat_features_streaming(io::Session& session, const std::filesystem::path& input,
                                          const io::Table& schema, const data::Roles& roles, const FeatureSpec& spec,
                                          const io::Metadata& metadata, const std::filesystem::path& out,
                                          bool overwrite);

}  // namespace uplift::features
