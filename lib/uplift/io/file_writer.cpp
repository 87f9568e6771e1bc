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

bool FileWriter::append_range_of(const std::filesystem::path& input, std::uint64_t begin, std::uint64_t end) {
    const int in = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw IoError(fmt::format("cannot read '{}': {}", input.string(), std::strerror(errno)));
    auto offset = static_cast<off_t>(begin);
    bool copied_any = false;
    while (static_cast<std::uint64_t>(offset) < end) {
        const auto left = static_cast<std::size_t>(end - static_cast<std::uint64_t>(offset));
        const ssize_t n = ::copy_file_range(in, &offset, fd_, nullptr, left, 0);
        if (n > 0) {
            copied_any = true;
            continue;
        }
        const int error = errno;
        if (n < 0 && error == EINTR) continue;
        ::close(in);
        // No kernel copy between these files (another file system on an old kernel, a special file): nothing was
        // written, and the caller copies through a buffer.
        if (!copied_any && n < 0 && (error == EXDEV || error == ENOSYS || error == EOPNOTSUPP || error == EINVAL)) {
            return false;
        }
        if (n == 0) throw IoError(fmt::format("cannot read '{}': it ended early", input.string()));
        fail("cannot write", error);
    }
    ::close(in);
    return true;
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
