#include "uplift/pipeline/run_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"

namespace uplift::pipeline {

namespace fs = std::filesystem;

std::string path_fingerprint(const fs::path& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return file_fingerprint(path);
    if (!fs::is_directory(path, ec)) throw IoError(fmt::format("'{}' is missing", path.string()));
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::string listing;
    for (const auto& f : files) listing += fs::relative(f, path).generic_string() + "\t" + file_fingerprint(f) + "\n";
    return text_fingerprint(listing);
}

void link_or_copy(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (fs::is_directory(from, ec)) {
        fs::create_directories(to);
        for (const auto& entry : fs::directory_iterator(from)) link_or_copy(entry.path(), to / entry.path().filename());
        return;
    }
    fs::create_hard_link(from, to, ec);
    if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

void replace_link(const fs::path& link, const fs::path& target) {
    const fs::path temp = link.parent_path() / fmt::format(".{}.tmp-{}", link.filename().string(), ::getpid());
    std::error_code ec;
    fs::remove(temp, ec);
    fs::create_directory_symlink(target, temp, ec);
    if (!ec) fs::rename(temp, link, ec);
    if (ec) {
        fs::remove(temp);
        throw IoError(fmt::format("cannot point '{}' at '{}': {}", link.string(), target.string(), ec.message()));
    }
}

RunLock::RunLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw IoError(fmt::format("cannot open the lock file '{}': {}", file.string(), std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        fd_ = -1;
        throw IoError(fmt::format("another `upliftctl run` holds '{}': wait for it to finish (two runs on one runs "
                                  "folder would overwrite each other)",
                                  file.string()));
    }
}

RunLock::~RunLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace uplift::pipeline
