#pragma once
/// Outputs appear under their final name only when complete: each is written to a temporary name
/// beside the target and renamed at the end, so an interrupted or failed run leaves no half-written
/// artifact where a later stage (or a cron job) would pick it up.
///
/// Two runs writing one name at once: the rename never replaces a file that appeared after this run
/// started, so the second run to finish fails (exit 4) instead of silently winning.

#include <filesystem>
#include <string_view>
#include <vector>

namespace uplift::io {

/// What an output will be once written. A file output must not land on an existing folder (nor a folder on a
/// file): the rename at the end would fail after the work, and after any sibling output was already in place.
enum class OutputShape { Any, File, Folder };

class AtomicOutput {
public:
    /// Throws UsageError when `target` exists and `overwrite` is false, or names no file of its own ("." or
    /// "..", the working folder or one above it); IoError when its folder is missing. Clears abandoned
    /// temporaries of earlier runs in the target's folder (stale_temporaries.hpp). IoError too when the target
    /// exists with the other `shape`.
    AtomicOutput(std::filesystem::path target, bool overwrite, OutputShape shape = OutputShape::Any);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    /// Where to write: a hidden name in the target's folder (same file system, so rename is atomic).
    const std::filesystem::path& temp_path() const noexcept { return temp_; }
    const std::filesystem::path& target() const noexcept { return target_; }
    /// Moves the finished temporary into place (replacing a directory target when overwriting). Throws IoError,
    /// leaving the target as it is, when the target appeared after this output was opened.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    bool existed_ = false;  ///< whether the target was there when this run opened it
    bool committed_ = false;
    int slot_ = -1;  ///< in the interrupt-cleanup registry
};

/// A scratch file or folder that must not outlive the run (e.g. a spool database): removed when this object
/// dies, and (if a plain file or an empty folder) by remove_pending_outputs on interrupt.
class ScratchPath {
public:
    explicit ScratchPath(std::filesystem::path path);
    ~ScratchPath();
    ScratchPath(const ScratchPath&) = delete;
    ScratchPath& operator=(const ScratchPath&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
    int slot_ = -1;
};

/// Removes the temporary files of outputs still being written. Async-signal-safe (only unlink/rmdir), for
/// the interrupt handler in `main`: Ctrl-C leaves neither a final nor a temporary file behind.
void remove_pending_outputs() noexcept;

/// Checks up front that `target` may be written, so a long run fails before it starts, not after: UsageError
/// when it exists without `overwrite`, names no file of its own (output_path) or is too long a name; IoError
/// when its folder is missing or it exists with the other `shape`.
void check_writable(const std::filesystem::path& target, bool overwrite, OutputShape shape = OutputShape::Any);

/// `target` without a trailing slash ("out/" is "out"). Throws UsageError for a path that names no file of
/// its own: "", ".", "..", or the working folder or a folder above it, which replacing would delete.
std::filesystem::path output_path(const std::filesystem::path& target);

/// Refuses (UsageError, whatever --overwrite says) an output that is one of the inputs or another output: an
/// output never replaces an input, and two outputs of one run never race for one file. Also refused: an output
/// folder holding an input (replacing it would delete the input), and an existing file inside an input folder
/// (a model bundle's holdout.parquet, say). Paths are compared after resolving links and "..", whether or not
/// they exist yet.
void check_distinct_outputs(const std::vector<std::filesystem::path>& outputs,
                            const std::vector<std::filesystem::path>& inputs);

/// Writes `content` to `target` atomically.
void write_text_atomic(const std::filesystem::path& target, std::string_view content, bool overwrite);

}  // namespace uplift::io
