#pragma once
/// Internal to simulate: how the month series (series.hpp) makes one block of clients for one month —
/// every client's card, habits and truth, its purchases period by period up to the month's cutoff, and the
/// month's campaign. Only the block, the month and the series' options decide the draws.

#include <cstdint>
#include <string_view>
#include <vector>

#include "uplift/simulate/hex_ids.hpp"
#include "uplift/simulate/retail_block.hpp"
#include "uplift/simulate/retail_calendar.hpp"
#include "uplift/simulate/retail_model.hpp"
#include "uplift/simulate/retail_products.hpp"
#include "uplift/simulate/series.hpp"

namespace uplift::simulate {

/// One client across the series.
struct ClientState {
    ClientProfile base;     ///< card, habits and truth as drawn
    ClientProfile drifted;  ///< after the discount-seekers drift switched it (when `switched`)
    bool switched = false;
    bool duplicate = false;        ///< clients.csv repeats its row
    std::string_view bad_date;     ///< non-empty: its first_issue_date is written as this
    bool orphan = false;           ///< its slot also has a client missing from clients.csv
    ClientProfile orphan_profile;
};

struct PeriodScratch {
    std::vector<Transaction> transactions;
    std::vector<PurchaseLine> lines;
};

/// What every block of every month shares: the options, the calendar of the whole series, the catalogue
/// and the behaviour model (both sized from the first month's clients).
class SeriesContext {
public:
    static constexpr std::int32_t history_days = 118;  ///< the first history, as in one folder
    static constexpr std::int32_t issue_days = 595;

    explicit SeriesContext(const SeriesOptions& options);
    SeriesContext(const SeriesContext&) = delete;
    SeriesContext& operator=(const SeriesContext&) = delete;

    std::uint64_t clients_at(int month) const;          ///< clients known at month's cutoff
    int arrival_month(std::uint64_t client) const;      ///< the first month the client is in
    std::uint64_t block_count(int month) const;

    ClientState draw_state(Rng& rng, std::uint64_t client) const;
    /// The discount-seekers drift: with the chance that raises their share by the drift, a client who is not
    /// one becomes one.
    void draw_switch(Rng& rng, ClientState& state) const;
    /// Whether period `period` (0: the first history; j: the month after month j's cutoff) is drifted.
    bool drifted_at(int period) const;
    const ClientProfile& behaviour_in(const ClientState& state, int period) const;
    const ClientProfile& truth_of(const ClientState& state, int month) const;
    /// The client's purchase lines of one period: visits by its habits, at least one when `first`, plus the
    /// campaign purchase in the period's first days when `responded`.
    void append_period(Rng& rng, std::uint64_t client, const ClientProfile& profile, int period, bool first,
                       bool responded, bool orphan, PeriodScratch& scratch, BlockText& out) const;

    const SeriesOptions& options;
    const IdCoder ids;
    const RetailCalendar calendar;
    const ProductCatalogue products;
    const RetailModel model;
    std::vector<std::int32_t> period_start;  ///< first day of each period (0 = the history start)

private:
    void place(ClientProfile& client, std::int32_t arrival_day) const;
    double switch_chance = 0;
};

/// The blocks of one month of the series, for write_block_tables.
class SeriesBlockMaker {
public:
    /// Smaller than the one-folder blocks: a late month's block holds its clients' whole history.
    static constexpr std::uint64_t clients_per_block = 256;

    SeriesBlockMaker(const SeriesContext& context, int month);
    std::uint64_t block_count() const noexcept;
    void make(std::uint64_t block, BlockText& out) const;

private:
    const SeriesContext& ctx_;
    int month_;
};

}  // namespace uplift::simulate
