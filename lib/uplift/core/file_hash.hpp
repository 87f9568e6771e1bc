#pragma once
/// Content fingerprints for provenance: an artifact names the exact inputs it was made from.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace uplift {

/// 64-bit FNV-1a of the file's bytes as 16 hex digits, streamed (constant memory). A fingerprint, not a
/// cryptographic hash: it tells "same input" from "changed input", which is all provenance needs. A file of
/// 16 MB or more is read once per process while it stays the same file (inode, size, modification time).
std::string file_fingerprint(const std::filesystem::path& path);
std::string text_fingerprint(std::string_view text);

/// The hash behind both: 64-bit FNV-1a of `n` bytes, continuing from `h` (start from fnv1a_offset), for a
/// caller hashing values piece by piece (model/fitted_rows.hpp).
inline constexpr std::uint64_t fnv1a_offset = 14695981039346656037ULL;
std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) noexcept;

}  // namespace uplift
