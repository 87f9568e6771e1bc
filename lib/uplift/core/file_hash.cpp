#include "uplift/core/file_hash.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <vector>

#include "uplift/core/errors.hpp"

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
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read '{}' to fingerprint it", path.string()));
    std::vector<char> buffer(1 << 20);
    std::uint64_t h = fnv_offset;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        h = fnv1a(h, buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    return fmt::format("{:016x}", h);
}

std::string text_fingerprint(std::string_view text) {
    return fmt::format("{:016x}", fnv1a(fnv_offset, text.data(), text.size()));
}

}  // namespace uplift
