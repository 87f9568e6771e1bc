#pragma once
/// Parquet parts encoded by DuckDB on worker threads and joined into one file in the order they were handed over:
/// what ParquetPartsWriter (rows from C++) and copy_parquet_in_parts (rows of a Parquet source) share.
///
/// Each worker has its own one-thread DuckDB session, so a part's bytes are its statement's alone, whatever the
/// thread count. DuckDB writes each part into a pipe (its COPY opens /proc/self/fd/N as a file), a worker takes the
/// bytes, and the parts' row groups go into the output as soon as every part before them is there
/// (io::ParquetJoin); the footers are joined at the end. No part is ever a file of its own: writing a file and
/// reading it back cost as much as the join saved (docs/benchmarks.md, flat ingest). Where /proc/self/fd cannot
/// name a pipe (a bare chroot), each worker goes through a scratch file instead; the bytes are the same.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::io {

/// How a part's bytes come back from DuckDB.
enum class PartRoute { Pipe, File };
/// Pipe where /proc/self/fd exists, else File.
PartRoute default_part_route();

class OrderedParts {
public:
    /// One part: runs its `COPY … TO path` (with the part's own COPY options) on `session`.
    using Copy = std::function<void(Session& session, const std::string& path)>;

    struct Options {
        int threads = 0;                      ///< parts encoded at once; 0: one per core
        std::function<Session()> session;     ///< a worker's session (one thread); empty: a plain one-thread one
        PartRoute route = default_part_route();
        std::filesystem::path scratch_files;  ///< File route: worker k writes `<scratch_files>.part-<k>`
    };

    /// Creates `output` (IoError naming `shown`); the caller removes it when the run fails.
    OrderedParts(std::filesystem::path output, std::filesystem::path shown, Options options);
    /// Waits for the parts being encoded (their errors are dropped: the run is failing already); queued ones are not
    /// started.
    ~OrderedParts();
    OrderedParts(const OrderedParts&) = delete;
    OrderedParts& operator=(const OrderedParts&) = delete;

    /// Hands over the next part; waits while the workers have enough queued, so that only a few parts are held at
    /// once. Rethrows the error of a part handed over before ("cannot write '<shown>': …", of its kind).
    void submit(Copy copy);
    /// Waits for the parts handed over and starts the file again, empty.
    void restart();
    /// Waits for every part and writes the joined footer, with `metadata` as the file's key-value metadata (none:
    /// the parts' own, which must agree). Rethrows a part's error.
    void finish(const std::optional<Metadata>& metadata);
    std::size_t parts() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
