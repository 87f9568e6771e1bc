#pragma once
/// How a simulated loyalty-card client behaves, and how a discount offer changes that.
///
/// Every client has a latent kind — discount-seeker (persuadable), frequent loyal buyer (sure thing),
/// lapsed client (lost cause) or offer-averse client (sleeping dog) — and continuous habits drawn
/// around the kind: visit rate, share of visits that spend points, typical basket, and for lapsed
/// clients the day they stopped coming. The habits generate the purchase history; the same habits
/// (not the history itself) set the true purchase probabilities with and without the offer, so a
/// model that reads the history can recover the effect only as well as the history reveals the habits.

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/simulate/retail_calendar.hpp"
#include "uplift/simulate/retail_products.hpp"

namespace uplift::simulate {

enum class ClientKind { Persuadable, SureThing, LostCause, SleepingDog };
inline constexpr std::size_t kind_count = 4;
std::string_view kind_name(ClientKind kind) noexcept;

/// The model's knobs (recorded in simulate.json).
struct RetailModelParameters {
    std::array<double, kind_count> kind_share = {0.30, 0.25, 0.35, 0.10};
    /// Visits per week of a typical client of each kind, before scaling to the target line count.
    std::array<double, kind_count> relative_weekly_visits = {1.0, 2.5, 1.0, 1.0};
    /// Median basket (roubles) of each kind.
    std::array<double, kind_count> median_check = {350, 600, 400, 1000};
    double mean_lines_per_client = 112;      ///< X5: 45.8M lines / 400k clients
    double mean_lines_per_transaction = 5.6; ///< 1 + gamma–Poisson(4.6)
    double visit_dispersion = 2.0;           ///< gamma shape of the visit rate (smaller: more spread)
    double new_client_share = 0.08;          ///< cards issued during the history (not for lapsed clients)
};

inline constexpr std::int32_t missing_age = std::numeric_limits<std::int32_t>::min();
inline constexpr std::size_t favourite_count = 8;

struct ClientProfile {
    ClientKind kind = ClientKind::Persuadable;
    double daily_visits = 0;     ///< expected transactions per active day
    double points_share = 0;     ///< probability that a visit spends points
    double median_check = 0;     ///< roubles
    std::int32_t active_from = 0;  ///< history days [active_from, active_to) in which the client shops
    std::int32_t active_to = 0;
    std::int32_t issue_day = 0;    ///< days since the epoch
    std::int32_t issue_seconds = 0;
    std::int32_t redeem_day = -1;  ///< days since the epoch; -1: never redeemed
    std::int32_t redeem_wait = -1; ///< days from issue to first redemption before the cutoff clamp; -1: never
    std::int32_t redeem_seconds = 0;
    std::int32_t age = missing_age;
    char gender = 'U';        ///< as recorded in clients.csv: F, M, or U (hidden)
    char true_gender = 'F';   ///< F or M, also for a hidden gender (truth.csv `true_gender`)
    std::uint32_t home_store = 0;
    std::array<std::uint32_t, favourite_count> favourites{};
    /// The catalogue-wide products the same draws give (ProductCatalogue::Twin): they, not the favourites,
    /// decide when a basket redraws a repeated product, which keeps the random stream as it was.
    std::array<std::uint32_t, favourite_count> plain_favourites{};
    /// True purchase probabilities in millionths, so uplift = treatment - control holds exactly in text.
    std::int64_t p_control_micro = 0;
    std::int64_t p_treatment_micro = 0;
};

struct PurchaseLine {
    std::uint32_t product = 0;
    std::int32_t quantity = 1;
    std::int64_t sum_cents = 0;
    std::int64_t redeemed_cents = -1;  ///< -1: empty (no points spent on the transaction)
};

struct Transaction {
    std::int32_t day = 0;  ///< days since the epoch
    std::int32_t seconds = 0;
    std::uint32_t store = 0;
    std::int64_t total_cents = 0;
    std::int64_t regular_received_tenths = 0;
    std::int64_t express_received_tenths = 0;
    std::int64_t regular_spent_tenths = 0;  ///< <= 0 (X5 convention)
    std::int64_t express_spent_tenths = 0;  ///< <= 0
    std::uint32_t first_line = 0;           ///< index into the line vector
    std::uint32_t line_count = 0;
};

/// One campaign client: a fair coin for the arm, then the outcome drawn from that arm's true probability.
struct CampaignDraw {
    bool treated = false;
    bool target = false;
};
CampaignDraw draw_campaign(Rng& rng, std::int64_t p_control_micro, std::int64_t p_treatment_micro);

/// Sorts transactions by day, then time of day.
void sort_by_time(std::vector<Transaction>& transactions);

/// Most transactions one client can have: keeps transaction ids (client index x 1024 + ordinal) unique.
inline constexpr std::size_t max_transactions_per_client = 1000;

class RetailModel {
public:
    RetailModel(const RetailModelParameters& parameters, const RetailCalendar& calendar,
                const ProductCatalogue& products, std::uint32_t stores);

    ClientProfile draw_client(Rng& rng) const;
    /// A client of a given kind: what draw_client does once it has drawn the kind.
    ClientProfile draw_client_of_kind(Rng& rng, ClientKind kind) const;
    /// The client's transactions in time order (replacing the vectors' contents).
    void draw_history(Rng& rng, const ClientProfile& client, std::vector<Transaction>& transactions,
                      std::vector<PurchaseLine>& lines) const;
    /// Appends `n` transactions with only day and time set: days in [from, to) of the calendar (0 = history
    /// start), weighted by weekday and holidays. Not sorted.
    void append_visits(Rng& rng, std::size_t n, std::int32_t from, std::int32_t to,
                       std::vector<Transaction>& transactions) const;
    /// Fills store, basket, lines and points of `transactions` (day and time already set, in time order),
    /// appending their lines to `lines`. Every basket total is multiplied by `basket_scale` (a drift).
    void fill_transactions(Rng& rng, const ClientProfile& client, double basket_scale,
                           std::vector<Transaction>& transactions, std::vector<PurchaseLine>& lines) const;
    /// Expected transactions per client (what the visit rates were scaled to).
    double expected_transactions() const noexcept;
    const RetailModelParameters& parameters() const noexcept { return p_; }

private:
    void draw_truth(Rng& rng, ClientProfile& c, double visit_factor, double check_factor) const;

    RetailModelParameters p_;
    const RetailCalendar& calendar_;
    const ProductCatalogue& products_;
    std::uint32_t stores_;
    double visit_scale_ = 1;  ///< multiplies relative_weekly_visits so the line target is met on average
};

}  // namespace uplift::simulate
