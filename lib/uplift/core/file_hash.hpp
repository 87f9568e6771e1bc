#pragma once
/// Content fingerprints for provenance: an artifact names the exact inputs it was made from.

#include <filesystem>
#include <string>
#include <string_view>

namespace uplift {

/// 64-bit FNV-1a of the file's bytes as 16 hex digits, streamed (constant memory). A fingerprint, not a
/// cryptographic hash: it tells "same input" from "changed input", which is all provenance needs.
std::string file_fingerprint(const std::filesystem::path& path);
std::string text_fingerprint(std::string_view text);

}  // namespace uplift
