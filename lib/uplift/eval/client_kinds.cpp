#include "uplift/eval/client_kinds.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::eval {

void check_thresholds(const KindThresholds& t) {
    if (!(t.uplift >= 0 && t.uplift < 1)) {
        throw UsageError(fmt::format("segment uplift threshold {} must be in [0, 1) (--segment-uplift)", t.uplift));
    }
    if (!(t.buy > 0 && t.buy < 1)) {
        throw UsageError(fmt::format("segment buy threshold {} must be in (0, 1) (--segment-buy)", t.buy));
    }
}

ClientKind kind_of(double p_control, double u, const KindThresholds& t) noexcept {
    if (u >= t.uplift) return ClientKind::Persuadable;
    if (u <= -t.uplift) return ClientKind::SleepingDog;
    return p_control >= t.buy ? ClientKind::SureThing : ClientKind::LostCause;
}

std::string_view to_string(ClientKind kind) noexcept {
    switch (kind) {
    case ClientKind::Persuadable: return "persuadable";
    case ClientKind::SureThing: return "sure_thing";
    case ClientKind::LostCause: return "lost_cause";
    case ClientKind::SleepingDog: return "sleeping_dog";
    }
    return "lost_cause";
}

bool kind_from_string(std::string_view text, ClientKind& kind) noexcept {
    for (const ClientKind k : client_kinds_in_order) {
        if (text == to_string(k)) {
            kind = k;
            return true;
        }
    }
    if (text == "do_not_disturb") {
        kind = ClientKind::SleepingDog;
        return true;
    }
    return false;
}

}  // namespace uplift::eval
