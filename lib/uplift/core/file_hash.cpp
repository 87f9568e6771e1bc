#include "uplift/core/file_hash.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "uplift/core/file_blocks.hpp"

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

std::string file_fingerprint(const std::filesystem::path& path) {
    std::uint64_t h = fnv1a_offset;
    for_each_file_block(path, [&](const char* data, std::size_t n) { h = fnv1a(h, data, n); });
    return fmt::format("{:016x}", h);
}

std::string text_fingerprint(std::string_view text) {
    return fmt::format("{:016x}", fnv1a(fnv1a_offset, text.data(), text.size()));
}

}  // namespace uplift
