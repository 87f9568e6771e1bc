#pragma once
/// The COPY options of every Parquet file upliftctl writes: one owner, so that ingest, features, train's holdout,
/// score and the retail tables compress alike.
///
/// zstd at level 1, the level Arrow (and so pandas' `to_parquet(compression="zstd")`) writes by default, not
/// DuckDB's 3. Measured on the flat benchmark's 5M-row dataset (15 columns, 2 threads, docs/benchmarks.md):
/// level 1 writes it in 1.80 s against 2.76 s, reads it back no slower, and makes it 20% larger (444 MB against
/// 371 MB). Speed is what a monthly run over the whole client base waits on; the files are intermediates.

namespace uplift::io {

inline constexpr const char* parquet_copy_options = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1";

}  // namespace uplift::io
