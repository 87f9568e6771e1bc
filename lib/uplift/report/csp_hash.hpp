#pragma once
/// Content-Security-Policy source hashes. A report allows exactly its own stylesheet and script by hash, so
/// even a string that escaped escaping could not run script or load anything.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace uplift::report {

/// SHA-256 digest (FIPS 180-4).
std::array<std::uint8_t, 32> sha256(std::string_view data);

/// Standard base64 with padding.
std::string base64(const std::uint8_t* data, std::size_t size);

/// "'sha256-<base64 digest>'" of an inline element's exact text, as a CSP source expression.
std::string csp_hash(std::string_view content);

}  // namespace uplift::report
