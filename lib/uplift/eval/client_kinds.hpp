#pragma once
/// The four kinds of clients, defined once for every stage that names them (score's uplift_segment, the
/// plan's segment column, the report's text and chart), so the four counts are the same numbers wherever they
/// appear. The kind is read off the model's point estimates for the offer: uplift u = p_offer − p_control.
///   persuadable  – u ≥ +uplift threshold: the offer makes a purchase more likely; the clients to pay for;
///   sleeping_dog – u ≤ −uplift threshold: the offer makes a purchase less likely; leave them alone;
///   otherwise the offer changes little, and the client is a sure_thing when p_control ≥ the buy threshold
///   (buys anyway: a discount is wasted), else a lost_cause (does not buy either way).
/// The thresholds are settable (score --segment-uplift, --segment-buy) and recorded with the scores.

#include <array>
#include <cstdint>
#include <string_view>

namespace uplift::eval {

enum class ClientKind { Persuadable, SureThing, LostCause, SleepingDog };
inline constexpr std::array<ClientKind, 4> client_kinds_in_order = {
    ClientKind::Persuadable, ClientKind::SureThing, ClientKind::LostCause, ClientKind::SleepingDog};

struct KindThresholds {
    double uplift = 0.01;  ///< in [0, 1)
    double buy = 0.5;      ///< in (0, 1)
};

/// Throws UsageError for thresholds out of range.
void check_thresholds(const KindThresholds& t);

/// The kind of a client with purchase chance `p_control` without the offer and `uplift` = p_offer − p_control.
ClientKind kind_of(double p_control, double uplift, const KindThresholds& t) noexcept;

/// "persuadable", "sure_thing", "lost_cause", "sleeping_dog".
std::string_view to_string(ClientKind kind) noexcept;
/// The kind named by `text` (as to_string writes it; also "do_not_disturb"), or false.
bool kind_from_string(std::string_view text, ClientKind& kind) noexcept;

/// How many clients of each kind (indexed by ClientKind).
struct KindCounts {
    std::array<std::int64_t, 4> n{};
    std::int64_t& operator[](ClientKind k) noexcept { return n[static_cast<std::size_t>(k)]; }
    std::int64_t operator[](ClientKind k) const noexcept { return n[static_cast<std::size_t>(k)]; }
    std::int64_t total() const noexcept { return n[0] + n[1] + n[2] + n[3]; }
};

}  // namespace uplift::eval
