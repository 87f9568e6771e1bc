#include "uplift/io/file_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "uplift/core/errors.hpp"

namespace uplift::io {

FileWriter::FileWriter(std::filesystem::path path, std::filesystem::path shown)
    : path_(std::move(path)), shown_(shown.empty() ? path_ : std::move(shown)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) fail("cannot create", errno);
}

FileWriter::~FileWriter() {
    if (fd_ >= 0) ::close(fd_);
}

void FileWriter::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));  // a short write (signal, quota) continues
    }
}

void FileWriter::close() {
    const int fd = fd_;
    fd_ = -1;
    // Some file systems (NFS) report a failed write only at close; its error must not be lost.
    if (::close(fd) != 0 && errno != EINTR) fail("cannot write", errno);
}

void FileWriter::fail(const char* what, int error) const {
    throw IoError(fmt::format("{} '{}': {}", what, shown_.string(), std::strerror(error)));
}

void write_file(const std::filesystem::path& path, std::string_view bytes, const std::filesystem::path& shown) {
    FileWriter file(path, shown);
    file.write(bytes);
    file.close();
}

void create_directories(const std::filesystem::path& dir, const std::filesystem::path& shown) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError(fmt::format("cannot create '{}': {}", (shown.empty() ? dir : shown).string(), ec.message()));
}

}  // namespace uplift::io
