#include "uplift/io/atomic_output.hpp"

#include <fmt/format.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/stale_temporaries.hpp"

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

namespace {

/// Resolves links and ".." whether or not the path exists yet.
fs::path resolved(const fs::path& p) {
    // Absolute first: weakly_canonical leaves a relative path that does not exist yet relative ("x.csv"), but
    // resolves "./x.csv", so the two would compare unequal.
    std::error_code ec;
    const fs::path absolute = fs::absolute(p, ec);
    if (ec) return p.lexically_normal();
    const fs::path r = fs::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : r;
}

/// Whether anything (a file, a folder, a dangling link) is at `p`; a path the system cannot even look up is not.
bool exists_here(const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
}

/// Whether `inner` is `outer` or lies below it (both resolved).
bool is_within(const fs::path& inner, const fs::path& outer) {
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
        if (o->empty()) continue;  // the empty last element of a path ending in "/"
        if (i == inner.end() || *i != *o) return false;
    }
    return true;
}

}  // namespace

fs::path output_path(const fs::path& target) {
    fs::path p = target;
    while (!p.empty() && p.filename().empty() && p != p.root_path()) p = p.parent_path();  // "out/" -> "out"
    const std::string name = p.filename().string();
    if (p.empty() || name.empty() || name == "." || name == "..") {
        throw UsageError(fmt::format("output '{}' names a folder, not a file or folder of its own; "
                                     "give the output a name",
                                     target.string()));
    }
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (!ec && is_within(resolved(cwd), resolved(p))) {
        throw UsageError(fmt::format("output '{}' is the working folder or a folder above it, which replacing "
                                     "would delete; give the output a name of its own",
                                     target.string()));
    }
    return p;
}

void check_writable(const fs::path& target_path, bool overwrite, OutputShape shape) {
    if (target_path.empty()) throw UsageError("an output path is empty");
    const fs::path target = output_path(target_path);
    // Room for the temporary's ".NAME.tmp-PID-N" within the usual 255-byte limit of a file name.
    constexpr std::size_t longest_name = 255 - 32;
    const std::string name = target.filename().string();
    if (name.size() > longest_name) {
        throw UsageError(fmt::format("output name '{}...' is {} bytes long; upliftctl takes names of at most {}",
                                     name.substr(0, 40), name.size(), longest_name));
    }
    if (exists_here(target) && !overwrite) {
        throw UsageError(fmt::format("output '{}' already exists; pass --overwrite to replace it", target.string()));
    }
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) {
        throw IoError(fmt::format("cannot write '{}': folder '{}' does not exist", target.string(), parent.string()));
    }
    const fs::file_status status = fs::status(target, ec);
    if (!ec && fs::exists(status)) {
        if (shape == OutputShape::File && fs::is_directory(status)) {
            throw IoError(fmt::format("cannot write '{}': it is a folder, a file was expected", target.string()));
        }
        if (shape == OutputShape::Folder && !fs::is_directory(status)) {
            throw IoError(fmt::format("cannot write '{}': it is a file, a folder was expected", target.string()));
        }
    }
}

AtomicOutput::AtomicOutput(fs::path target, bool overwrite, OutputShape shape) : target_(output_path(target)) {
    check_writable(target_, overwrite, shape);
    existed_ = exists_here(target_);
    static std::atomic<unsigned> counter{0};
    const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    clear_stale_temporaries(parent);
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

namespace {

[[noreturn]] void throw_appeared(const fs::path& target) {
    throw IoError(fmt::format("output '{}' appeared while this run was writing it (another run writing the same "
                              "name?); it was left as it is and this run's result discarded",
                              target.string()));
}

/// rename(2) that fails with EEXIST instead of replacing. Falls back to a check and a plain rename on file
/// systems without RENAME_NOREPLACE (the window is then the time between the two calls).
int rename_no_replace(const fs::path& from, const fs::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    if (exists_here(to)) {
        errno = EEXIST;
        return -1;
    }
    return std::rename(from.c_str(), to.c_str());
}

}  // namespace

void AtomicOutput::commit() {
    const bool target_now = exists_here(target_);
    if (target_now && !existed_) throw_appeared(target_);
    std::error_code ec;
    if (!target_now) {
        if (rename_no_replace(temp_, target_) != 0) {
            if (errno == EEXIST || errno == ENOTEMPTY) throw_appeared(target_);
            throw IoError(fmt::format("cannot move '{}' into place as '{}': {}", temp_.string(), target_.string(),
                                      std::strerror(errno)));
        }
    } else if (fs::is_directory(target_) && fs::is_directory(temp_)) {
        // A folder cannot be renamed over a non-empty one: move the old one aside first, then drop it.
        const fs::path old = temp_.string() + "-old";
        fs::rename(target_, old, ec);
        if (!ec) fs::rename(temp_, target_, ec);
        if (!ec) fs::remove_all(old, ec);
    } else {
        fs::rename(temp_, target_, ec);
    }
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
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].empty()) continue;
        const fs::path out = resolved(outputs[i]);
        for (const auto& in : inputs) {
            if (in.empty()) continue;
            const fs::path input = resolved(in);
            std::error_code ec;
            if (input == out) {
                throw UsageError(fmt::format("output '{}' is the input '{}'; an output never replaces an input, "
                                             "even with --overwrite: pick another name",
                                             outputs[i].string(), in.string()));
            }
            if (is_within(input, out)) {
                throw UsageError(fmt::format("output '{}' holds the input '{}', which replacing it would delete, "
                                             "even with --overwrite: pick another name",
                                             outputs[i].string(), in.string()));
            }
            if (fs::is_directory(input, ec) && is_within(out, input) && exists_here(out)) {
                throw UsageError(fmt::format("output '{}' is a file of the input '{}'; an output never replaces "
                                             "part of an input, even with --overwrite: pick another name",
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
