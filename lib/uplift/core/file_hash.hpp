#pragma once
/// Content fingerprints for provenance: an artifact names the exact inputs it was made from.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace uplift {

/// XXH3-128 of the file's bytes as 32 hex digits, high half first (what `xxhsum -H2` prints), streamed
/// (constant memory). A fingerprint, not a cryptographic hash: it tells "same input" from "changed input",
/// which is all provenance needs. XXH3 because a stage fingerprints inputs of hundreds of MB: 64-bit FNV-1a,
/// the fingerprint before, hashed one byte at a time at about 1 GB/s, which cost each stage of the 5M-row
/// benchmark 0.4-1.2 s (docs/benchmarks.md). A file of 16 MB or more is read once per process while it stays
/// the same file (inode, size, modification time).
std::string file_fingerprint(const std::filesystem::path& path);
std::string text_fingerprint(std::string_view text);

/// Whether `fingerprint`, as an artifact stored it, is that of the text or the file. One of 16 hex digits was
/// written by an upliftctl before XXH3 (64-bit FNV-1a) and is checked as such, so that older models still load
/// and still know their training file.
bool text_has_fingerprint(std::string_view text, std::string_view fingerprint);
bool file_has_fingerprint(const std::filesystem::path& path, std::string_view fingerprint);

/// 64-bit FNV-1a of `n` bytes, continuing from `h` (start from fnv1a_offset), for a caller hashing values piece
/// by piece (model/fitted_rows.hpp, whose stored row hashes keep it), and behind the fingerprints of 16 digits.
inline constexpr std::uint64_t fnv1a_offset = 14695981039346656037ULL;
std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) noexcept;

}  // namespace uplift
