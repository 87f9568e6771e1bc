#pragma once
/// Which version of a file a path names, to tell whether it changed between two reads of it.

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>

namespace uplift {

/// A rewrite through a temporary and a rename (how every output here is written) gives a new inode, an edit in
/// place a new size or modification time.
struct FileVersion {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileVersion&) const = default;
};

/// The file's version; nullopt when it cannot be stat'ed.
inline std::optional<FileVersion> file_version(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileVersion{st.st_dev, st.st_ino, st.st_size,
                       static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

}  // namespace uplift
