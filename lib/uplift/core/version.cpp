#include "uplift/core/version.hpp"

namespace uplift {
const char* version() noexcept { return UPLIFT_VERSION; }
}  // namespace uplift
