#include "uplift/core/file_hash.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "uplift/core/file_blocks.hpp"
#include "uplift/core/file_version.hpp"

namespace uplift {

std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) noexcept {
    constexpr std::uint64_t fnv_prime = 1099511628211ULL;
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= fnv_prime;
    }
    return h;
}

namespace {

std::string hex_of(XXH128_hash_t h) { return fmt::format("{:016x}{:016x}", h.high64, h.low64); }

/// Fingerprints of 16 hex digits are 64-bit FNV-1a (upliftctl before XXH3).
bool is_fnv1a_fingerprint(std::string_view fingerprint) { return fingerprint.size() == 16; }

std::string fnv1a_fingerprint_of_file(const std::filesystem::path& path) {
    std::uint64_t h = fnv1a_offset;
    for_each_file_block(path, [&](const char* data, std::size_t n) { h = fnv1a(h, data, n); });
    return fmt::format("{:016x}", h);
}

struct Xxh3StateFree {
    void operator()(XXH3_state_t* s) const noexcept { XXH3_freeState(s); }
};

std::string xxh3_fingerprint_of_file(const std::filesystem::path& path) {
    const std::unique_ptr<XXH3_state_t, Xxh3StateFree> state(XXH3_createState());
    if (!state || XXH3_128bits_reset(state.get()) == XXH_ERROR) throw std::bad_alloc();
    for_each_file_block(path, [&](const char* data, std::size_t n) { (void)XXH3_128bits_update(state.get(), data, n); });
    return hex_of(XXH3_128bits_digest(state.get()));
}

/// Fingerprints of large files already read by this process. One command fingerprints its input more than once
/// (the model's training fingerprint, the output's provenance, score's in-sample check), and at 5M rows each
/// read of a 300 MB file costs about a tenth of a second, mostly the read. Small files are always read again: a test that edits a
/// file within one clock tick, at the same size, would otherwise see the old fingerprint.
constexpr off_t remembered_from_bytes = 16 << 20;
std::mutex remembered_mutex;
std::map<std::pair<dev_t, ino_t>, std::pair<FileVersion, std::string>> remembered;

}  // namespace

std::string file_fingerprint(const std::filesystem::path& path) {
    const auto version = file_version(path);
    const bool large = version && version->size >= remembered_from_bytes;
    if (large) {
        std::lock_guard lock(remembered_mutex);
        if (const auto it = remembered.find({version->device, version->inode});
            it != remembered.end() && it->second.first == *version) {
            return it->second.second;
        }
    }
    std::string fingerprint = xxh3_fingerprint_of_file(path);
    // Kept only when the file did not change while it was read.
    if (large && file_version(path) == version) {
        std::lock_guard lock(remembered_mutex);
        remembered[{version->device, version->inode}] = {*version, fingerprint};
    }
    return fingerprint;
}

std::string text_fingerprint(std::string_view text) { return hex_of(XXH3_128bits(text.data(), text.size())); }

bool text_has_fingerprint(std::string_view text, std::string_view fingerprint) {
    if (is_fnv1a_fingerprint(fingerprint)) {
        return fmt::format("{:016x}", fnv1a(fnv1a_offset, text.data(), text.size())) == fingerprint;
    }
    return text_fingerprint(text) == fingerprint;
}

bool file_has_fingerprint(const std::filesystem::path& path, std::string_view fingerprint) {
    if (is_fnv1a_fingerprint(fingerprint)) return fnv1a_fingerprint_of_file(path) == fingerprint;
    return file_fingerprint(path) == fingerprint;
}

}  // namespace uplift
