#include "uplift/simulate/series_blocks.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "uplift/simulate/random_draws.hpp"
#include "uplift/simulate/retail_files.hpp"
#include "uplift/simulate/retail_rows.hpp"

namespace uplift::simulate {

namespace {

// Each purpose has its own streams, so a month's draws never depend on which month is being written.
constexpr std::uint64_t profile_domain = 0x5E41;
constexpr std::uint64_t drift_domain = 0x5E42;
constexpr std::uint64_t campaign_domain = 0x5E43;
constexpr std::uint64_t period_domain = 0x5E44;

constexpr std::uint64_t series_block = SeriesBlockMaker::clients_per_block;
constexpr std::int32_t open_end = std::numeric_limits<std::int32_t>::max();
/// Campaign responders make their campaign purchase within this many days of the cutoff.
constexpr std::int32_t response_days = 14;
/// Transaction slots of a client: the first history has 1,024 (at most 1,000 used), each later month 512.
constexpr std::uint64_t first_history_slots = 1024;
constexpr std::uint64_t month_slots = 512;
constexpr std::size_t max_month_transactions = 500;
constexpr std::uint64_t orphan_base = std::uint64_t{1} << 23;

std::uint64_t transaction_slot(int period) {
    return period == 0 ? 0 : first_history_slots + static_cast<std::uint64_t>(period - 1) * month_slots;
}

std::uint64_t stream(std::uint64_t seed, std::uint64_t domain, std::uint64_t block, int month) {
    return stream_seed(seed, domain, block * 128 + static_cast<std::uint64_t>(month));
}

}  // namespace

SeriesContext::SeriesContext(const SeriesOptions& o)
    : options(o),
      ids(o.seed),
      calendar(o.first_cutoff, history_days, issue_days, month_cutoff(o.first_cutoff, max_months + 1) - o.first_cutoff),
      products(static_cast<std::size_t>(product_count(o.clients)), o.seed),
      model(o.model, calendar, products, static_cast<std::uint32_t>(store_count(o.clients))) {
    // period_start[j]: first day (0 = history start) of period j; period 0 is the first history, period j >= 1
    // the month after month j's cutoff.
    period_start.push_back(0);
    for (int m = 1; m <= max_months + 1; ++m) {
        period_start.push_back(month_cutoff(o.first_cutoff, m) - calendar.history_start());
    }
    const double persuadable_share = o.model.kind_share[static_cast<std::size_t>(ClientKind::Persuadable)];
    switch_chance = o.drift.discount_seekers / (1.0 - persuadable_share);
}

std::uint64_t SeriesContext::clients_at(int month) const {
    return options.clients + static_cast<std::uint64_t>(month - 1) * options.new_clients;
}

int SeriesContext::arrival_month(std::uint64_t client) const {
    if (client < options.clients) return 1;
    return 2 + static_cast<int>((client - options.clients) / options.new_clients);
}

std::uint64_t SeriesContext::block_count(int month) const { return (clients_at(month) + series_block - 1) / series_block; }

/// A client's card, habits, truth and dirt, drawn once from its block's profile stream.
ClientState SeriesContext::draw_state(Rng& rng, std::uint64_t client) const {
    ClientState s;
    s.base = model.draw_client(rng);
    s.duplicate = bernoulli(rng, options.dirty.client_duplicate);
    if (bernoulli(rng, options.dirty.client_bad_date)) {
        s.bad_date = bad_dates[static_cast<std::size_t>(rng.below(bad_dates.size()))];
    }
    s.orphan = bernoulli(rng, options.dirty.orphan_client);
    if (s.orphan) s.orphan_profile = model.draw_client(rng);
    const int arrival = arrival_month(client);
    // A client of month m >= 2 got its card during the month before m's cutoff and shops from that day.
    std::int32_t arrival_day = -1;
    if (arrival >= 2) {
        const std::int32_t from = period_start[static_cast<std::size_t>(arrival - 1)];
        const std::int32_t to = period_start[static_cast<std::size_t>(arrival)];
        arrival_day = from + static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(to - from)));
    }
    place(s.base, arrival_day);
    if (s.orphan) place(s.orphan_profile, arrival_day);
    return s;
}

void SeriesContext::place(ClientProfile& c, std::int32_t arrival_day) const {
    if (arrival_day >= 0) {
        const std::int32_t span = c.active_to - c.active_from;
        c.active_from = arrival_day;
        c.active_to = arrival_day + span;
        c.issue_day = calendar.history_start() + arrival_day;
    }
    // Only lapsed clients stop coming; the others shop in every month of the series.
    if (c.kind != ClientKind::LostCause) c.active_to = open_end;
    // The first redemption keeps its wait from the issue date; a month shows it once it is before its cutoff.
    if (c.redeem_wait >= 0) {
        c.redeem_day = c.issue_day + c.redeem_wait;
        c.redeem_seconds = std::max(c.redeem_seconds, c.redeem_day == c.issue_day ? c.issue_seconds : 0);
    }
}

void SeriesContext::draw_switch(Rng& rng, ClientState& s) const {
    if (!bernoulli(rng, switch_chance) || s.base.kind == ClientKind::Persuadable) return;
    // The client keeps its card, store, favourites and demographics and takes a discount-seeker's habits
    // and response; a lapsed client comes back.
    const ClientProfile p = model.draw_client_of_kind(rng, ClientKind::Persuadable);
    s.drifted = s.base;
    s.drifted.kind = p.kind;
    s.drifted.daily_visits = p.daily_visits;
    s.drifted.points_share = p.points_share;
    s.drifted.median_check = p.median_check;
    s.drifted.p_control_micro = p.p_control_micro;
    s.drifted.p_treatment_micro = p.p_treatment_micro;
    s.drifted.active_to = open_end;
    s.switched = true;
}

bool SeriesContext::drifted_at(int period) const {
    return options.drift.active() && period >= options.drift.from_month - 1;
}

const ClientProfile& SeriesContext::behaviour_in(const ClientState& s, int period) const {
    return s.switched && drifted_at(period) ? s.drifted : s.base;
}

const ClientProfile& SeriesContext::truth_of(const ClientState& s, int month) const {
    return s.switched && options.drift.active() && month >= options.drift.from_month ? s.drifted : s.base;
}

void SeriesContext::append_period(Rng& rng, std::uint64_t client, const ClientProfile& c, int period, bool first,
                                  bool responded, bool orphan, PeriodScratch& scratch, BlockText& out) const {
    const std::int32_t from = std::max(period_start[static_cast<std::size_t>(period)], c.active_from);
    const std::int32_t to = std::min(period_start[static_cast<std::size_t>(period) + 1], c.active_to);
    std::int64_t n = to > from ? poisson(rng, c.daily_visits * (to - from)) : 0;
    // Every card holder has bought at least once in the period its card was issued (as in model.draw_history).
    if (first) n = std::max<std::int64_t>(n, 1);
    const std::size_t cap = period == 0 ? max_transactions_per_client : max_month_transactions - 1;
    auto& tx = scratch.transactions;
    tx.clear();
    scratch.lines.clear();
    model.append_visits(rng, std::min(static_cast<std::size_t>(n), cap), from, std::max(to, from + 1), tx);
    if (responded) {
        const std::int32_t start = period_start[static_cast<std::size_t>(period)];
        model.append_visits(rng, 1, start, std::min(start + response_days, period_start[static_cast<std::size_t>(period) + 1]), tx);
    }
    if (tx.empty()) return;
    sort_by_time(tx);
    model.fill_transactions(rng, c, drifted_at(period) ? options.drift.basket : 1.0, tx, scratch.lines);
    append_purchase_rows(out.purchases, ids, calendar, client, (client << 16) + transaction_slot(period), tx,
                         scratch.lines, orphan, options.dirty, rng, out.counts);
}

SeriesBlockMaker::SeriesBlockMaker(const SeriesContext& context, int month) : ctx_(context), month_(month) {}

std::uint64_t SeriesBlockMaker::block_count() const noexcept { return ctx_.block_count(month_); }

void SeriesBlockMaker::make(std::uint64_t block, BlockText& out) const {
    out.clients.clear();
    out.purchases.clear();
    out.campaign.clear();
    out.truth.clear();
    out.counts = {};
    const SeriesOptions& o = ctx_.options;
    const std::uint64_t first = block * series_block;
    const std::uint64_t last = std::min(first + series_block, ctx_.clients_at(month_));
    std::vector<ClientState> states;
    Rng profiles(stream(o.seed, profile_domain, block, 0));
    for (std::uint64_t i = first; i < last; ++i) states.push_back(ctx_.draw_state(profiles, i));
    if (o.drift.active() && o.drift.discount_seekers > 0) {
        Rng switches(stream(o.seed, drift_domain, block, 0));
        for (ClientState& s : states) ctx_.draw_switch(switches, s);
    }
    BlockCounts& n = out.counts;

    // clients.csv: the clients known at this month's cutoff; repeated rows after the block, as in one folder.
    const std::int32_t cutoff = month_cutoff(o.first_cutoff, month_);
    std::string duplicates;
    for (std::uint64_t i = first; i < last; ++i) {
        const ClientState& s = states[i - first];
        const bool redeemed = s.base.redeem_day >= 0 && s.base.redeem_day < cutoff;
        append_client_row(out.clients, ctx_.ids, ctx_.calendar, i, s.base, s.bad_date, redeemed, s.base.age);
        ++n.client_rows;
        if (!s.bad_date.empty()) ++n.dirty.clients_bad_date;
        if (s.duplicate) {
            const std::int32_t age = s.base.age != missing_age ? s.base.age + 1 : s.base.age;
            append_client_row(duplicates, ctx_.ids, ctx_.calendar, i, s.base, {}, redeemed, age);
            ++n.client_rows;
            ++n.dirty.clients_duplicate_id;
        }
    }
    out.clients.append(duplicates);

    // purchases.csv: period by period (the first history, then each month after a cutoff), in client order.
    std::vector<char> responded(states.size(), 0);
    PeriodScratch scratch;
    for (int period = 0; period < month_; ++period) {
        if (period >= 1) {
            // Month `period`'s campaign: its responders make their campaign purchase in this period.
            Rng campaign(stream(o.seed, campaign_domain, block, period));
            const std::uint64_t known = std::min(last, ctx_.clients_at(period));
            for (std::uint64_t i = first; i < known; ++i) {
                const ClientProfile& c = ctx_.truth_of(states[i - first], period);
                responded[i - first] = draw_campaign(campaign, c.p_control_micro, c.p_treatment_micro).target ? 1 : 0;
            }
        }
        Rng visits(stream(o.seed, period_domain, block, period));
        const std::uint64_t shopping = std::min(last, ctx_.clients_at(period + 1));
        for (std::uint64_t i = first; i < shopping; ++i) {
            const ClientState& s = states[i - first];
            const bool first_period = ctx_.arrival_month(i) == period + 1;
            const bool response = period >= 1 && i < ctx_.clients_at(period) && responded[i - first] != 0;
            ctx_.append_period(visits, i, ctx_.behaviour_in(s, period), period, first_period, response, false, scratch, out);
            if (s.orphan) {
                // A card missing from the clients export keeps shopping; its lines are clean but for the id.
                ctx_.append_period(visits, orphan_base + i, s.orphan_profile, period, first_period, false, true, scratch,
                                   out);
            }
        }
    }
    for (const ClientState& s : states) n.dirty.orphan_clients += s.orphan ? 1 : 0;

    // campaign.csv and truth.csv: this month's campaign over every client known at its cutoff.
    Rng campaign(stream(o.seed, campaign_domain, block, month_));
    for (std::uint64_t i = first; i < last; ++i) {
        const ClientProfile& c = ctx_.truth_of(states[i - first], month_);
        const CampaignDraw arm = draw_campaign(campaign, c.p_control_micro, c.p_treatment_micro);
        append_campaign_row(out.campaign, ctx_.ids, i, arm.treated, arm.target);
        append_truth_row(out.truth, ctx_.ids, i, c.p_control_micro, c.p_treatment_micro, c.kind, c.true_gender);
        ++n.clients;
        if (month_ >= 2 && i >= ctx_.clients_at(month_ - 1)) ++n.new_clients;
        if (&c == &states[i - first].drifted) ++n.switched;
        ++n.kinds[static_cast<std::size_t>(c.kind)];
        n.treated += arm.treated ? 1 : 0;
        n.targets += arm.target ? 1 : 0;
    }
}

}  // namespace uplift::simulate
