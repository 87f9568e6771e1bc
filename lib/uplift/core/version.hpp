#pragma once

namespace uplift {
/// The tool version recorded in every artifact's provenance.
const char* version() noexcept;
}  // namespace uplift
