#pragma once
/// The file work of `upliftctl run` that is not a stage: fingerprints of files and folders (a stage's inputs and
/// outputs), reusing an unchanged stage's outputs from an earlier run folder, the runs folder's lock and links.

#include <filesystem>
#include <string>

namespace uplift::pipeline {

/// A file's content fingerprint; for a folder, one over its files' relative names and fingerprints, in name
/// order, so the same tree gives the same value wherever it lies. Throws IoError when `path` is missing.
std::string path_fingerprint(const std::filesystem::path& path);

/// Puts `from` (a file or a folder tree) at `to`: hard links where the file system allows, copies otherwise.
void link_or_copy(const std::filesystem::path& from, const std::filesystem::path& to);

/// Points the symbolic link `link` at `target` (a relative name), replacing it atomically if it exists.
void replace_link(const std::filesystem::path& link, const std::filesystem::path& target);

/// An exclusive lock on `file` (created if missing), held for the object's life. Throws IoError naming the
/// file when another process holds it: two runs on one runs folder would overwrite each other's months.
class RunLock {
public:
    explicit RunLock(const std::filesystem::path& file);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace uplift::pipeline
