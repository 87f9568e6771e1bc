#include "uplift/core/file_hash.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "uplift/core/file_blocks.hpp"

namespace uplift {

namespace {
constexpr std::uint64_t fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t fnv_prime = 1099511628211ULL;

std::uint64_t fnv1a(std::uint64_t h, const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<unsigned char>(data[i]);
        h *= fnv_prime;
    }
    return h;
}
}  // namespace

std::string file_fingerprint(const std::filesystem::path& path) {
    std::uint64_t h = fnv_offset;
    for_each_file_block(path, [&](const char* data, std::size_t n) { h = fnv1a(h, data, n); });
    return fmt::format("{:016x}", h);
}

std::string text_fingerprint(std::string_view text) {
    return fmt::format("{:016x}", fnv1a(fnv_offset, text.data(), text.size()));
}

}  // namespace uplift
