#include "uplift/optimize/economics.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

std::string_view to_string(OfferKind kind) noexcept {
    switch (kind) {
    case OfferKind::Percent: return "percent";
    case OfferKind::Coupon: return "coupon";
    case OfferKind::Message: return "message";
    }
    return "message";
}

OfferKind offer_kind_from_string(std::string_view text) {
    if (text == "percent") return OfferKind::Percent;
    if (text == "coupon") return OfferKind::Coupon;
    if (text == "message") return OfferKind::Message;
    throw UsageError(fmt::format("offer kind '{}' is unknown; use percent, coupon or message", text));
}

}  // namespace uplift::optimize
