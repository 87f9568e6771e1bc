#include "uplift/io/atomic_output.hpp"

#include <fmt/format.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

// Fixed storage, so the signal handler reads it without allocating or locking.
constexpr std::size_t max_pending = 64;
constexpr std::size_t max_path = 4096;
char pending_paths[max_pending][max_path];
std::atomic<bool> pending_used[max_pending];

int register_pending(const fs::path& temp) {
    const std::string text = temp.string();
    if (text.size() >= max_path) return -1;
    for (std::size_t i = 0; i < max_pending; ++i) {
        bool expected = false;
        if (pending_used[i].compare_exchange_strong(expected, true)) {
            std::memcpy(pending_paths[i], text.c_str(), text.size() + 1);
            return static_cast<int>(i);
        }
    }
    return -1;  // more than 64 outputs at once: the rest simply are not cleaned on interrupt
}

void unregister_pending(int slot) {
    if (slot >= 0) pending_used[static_cast<std::size_t>(slot)].store(false);
}

}  // namespace

namespace {

/// Removes `name` (a file or a folder tree) below the open folder `parent`, using only system calls a signal
/// handler may make (no allocation, no readdir). Temporary outputs are shallow; `depth` bounds the recursion.
void remove_below(int parent, const char* name, int depth) noexcept {
    if (::unlinkat(parent, name, 0) == 0 || depth <= 0) return;
    const int dir = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) return;
    alignas(8) char buffer[4096];
    for (int pass = 0; pass < 256; ++pass) {  // bounded: an entry we cannot remove must not loop forever
        const long n = ::syscall(SYS_getdents64, dir, buffer, sizeof buffer);
        if (n <= 0) break;
        for (long offset = 0; offset < n;) {
            const auto* entry = reinterpret_cast<const struct dirent64*>(buffer + offset);
            offset += entry->d_reclen;
            const char* child = entry->d_name;
            if (std::strcmp(child, ".") == 0 || std::strcmp(child, "..") == 0) continue;
            remove_below(dir, child, depth - 1);
        }
        ::lseek(dir, 0, SEEK_SET);  // entries were removed: read the folder again until it is empty
    }
    ::close(dir);
    ::unlinkat(parent, name, AT_REMOVEDIR);
}

}  // namespace

void remove_pending_outputs() noexcept {
    for (std::size_t i = 0; i < max_pending; ++i) {
        if (pending_used[i].load()) remove_below(AT_FDCWD, pending_paths[i], 4);
    }
}

void check_writable(const fs::path& target, bool overwrite, OutputShape shape) {
    if (target.empty()) throw UsageError("an output path is empty");
    // The error_code forms: a name the system refuses (too long, a loop of links) is an I/O error of this
    // output, not an exception escaping as a bug.
    std::error_code ec;
    const fs::file_status status = fs::status(target, ec);
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
        throw IoError(fmt::format("cannot write '{}': {}", target.string(), ec.message()));
    }
    const bool exists = fs::exists(status);
    if (exists && !overwrite) {
        throw UsageError(fmt::format("output '{}' already exists; pass --overwrite to replace it", target.string()));
    }
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec)) {
        throw IoError(fmt::format("cannot write '{}': folder '{}' does not exist", target.string(), parent.string()));
    }
    if (exists && shape == OutputShape::File && fs::is_directory(status)) {
        throw IoError(fmt::format("cannot write '{}': it is a folder, a file was expected", target.string()));
    }
    if (exists && shape == OutputShape::Folder && !fs::is_directory(status)) {
        throw IoError(fmt::format("cannot write '{}': it is a file, a folder was expected", target.string()));
    }
}

AtomicOutput::AtomicOutput(fs::path target, bool overwrite, OutputShape shape) : target_(std::move(target)) {
    check_writable(target_, overwrite, shape);
    static std::atomic<unsigned> counter{0};
    const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    temp_ = parent / fmt::format(".{}.tmp-{}-{}", target_.filename().string(), ::getpid(), counter++);
    slot_ = register_pending(temp_);
}

AtomicOutput::~AtomicOutput() {
    unregister_pending(slot_);
    if (!committed_) {
        std::error_code ignored;
        fs::remove_all(temp_, ignored);
    }
}

void AtomicOutput::commit() {
    std::error_code ec;
    if (fs::is_directory(target_) && fs::is_directory(temp_)) fs::remove_all(target_, ec);
    fs::rename(temp_, target_, ec);
    if (ec) {
        throw IoError(fmt::format("cannot move '{}' into place as '{}': {}", temp_.string(), target_.string(),
                                  ec.message()));
    }
    committed_ = true;
}

ScratchPath::ScratchPath(fs::path path) : path_(std::move(path)), slot_(register_pending(path_)) {}

ScratchPath::~ScratchPath() {
    unregister_pending(slot_);
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

void check_distinct_outputs(const std::vector<fs::path>& outputs, const std::vector<fs::path>& inputs) {
    const auto resolved = [](const fs::path& p) {
        std::error_code ec;
        const fs::path r = fs::weakly_canonical(p, ec);
        return ec ? fs::absolute(p).lexically_normal() : r;
    };
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].empty()) continue;
        const fs::path out = resolved(outputs[i]);
        for (const auto& in : inputs) {
            if (in.empty()) continue;
            const fs::path input = resolved(in);
            if (input == out) {
                throw UsageError(fmt::format("output '{}' is the input '{}'; an output never replaces an input, "
                                             "even with --overwrite: pick another name",
                                             outputs[i].string(), in.string()));
            }
            // Replacing a folder output removes everything in it, the input too.
            const auto [o, n] = std::mismatch(out.begin(), out.end(), input.begin(), input.end());
            if (o == out.end()) {
                throw UsageError(fmt::format("output '{}' holds the input '{}'; replacing it would delete the input, "
                                             "even with --overwrite: pick another name",
                                             outputs[i].string(), in.string()));
            }
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (!outputs[j].empty() && resolved(outputs[j]) == out) {
                throw UsageError(fmt::format("'{}' is named twice as an output of this run ('{}'); pick two names",
                                             outputs[i].string(), outputs[j].string()));
            }
        }
    }
}

void write_text_atomic(const fs::path& target, std::string_view content, bool overwrite) {
    AtomicOutput out(target, overwrite);
    write_file(out.temp_path(), content, target);
    out.commit();
}

}  // namespace uplift::io
