#include "uplift/simulate/retail_block.hpp"

#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include "uplift/simulate/random_draws.hpp"

namespace uplift::simulate {

namespace {

constexpr std::uint64_t blocks_domain = 0xB10C;

// Dates a careless export or a broken till writes; none parses as a timestamp.
constexpr std::array<std::string_view, 5> bad_dates = {"2019-02-30 10:15:00", "2018-13-05 09:00:00", "31.12.2018 18:40",
                                                      "2018-12-05 25:61:00", "not a date"};

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// v / 10^digits with exactly `digits` decimals, e.g. (-1234, 2) -> "-12.34".
void append_fixed(std::string& out, std::int64_t v, int digits) {
    if (v < 0) {
        out.push_back('-');
        v = -v;
    }
    std::int64_t unit = 1;
    for (int i = 0; i < digits; ++i) unit *= 10;
    append_int(out, v / unit);
    out.push_back('.');
    std::int64_t frac = v % unit;
    char buf[8];
    for (int i = digits - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    out.append(buf, static_cast<std::size_t>(digits));
}

struct Scratch {
    std::vector<Transaction> transactions;
    std::vector<PurchaseLine> lines;
    std::string prefix_head;  ///< client_id,transaction_id,
    std::string prefix_points;
    std::string prefix_tail;  ///< ,store_id,
};

thread_local Scratch scratch;

}  // namespace

void DirtyCounts::add(const DirtyCounts& o) {
    clients_bad_date += o.clients_bad_date;
    clients_duplicate_id += o.clients_duplicate_id;
    purchases_bad_datetime += o.purchases_bad_datetime;
    purchases_negative_sum += o.purchases_negative_sum;
    purchases_orphan += o.purchases_orphan;
    orphan_clients += o.orphan_clients;
}

void BlockCounts::add(const BlockCounts& o) {
    clients += o.clients;
    client_rows += o.client_rows;
    purchase_rows += o.purchase_rows;
    transactions += o.transactions;
    treated += o.treated;
    targets += o.targets;
    for (std::size_t k = 0; k < kind_count; ++k) kinds[k] += o.kinds[k];
    dirty.add(o.dirty);
}

BlockMaker::BlockMaker(const RetailModel& model, const RetailCalendar& calendar, const IdCoder& ids, std::uint64_t seed,
                       std::uint64_t clients, const DirtyRates& rates)
    : model_(model), calendar_(calendar), ids_(ids), seed_(seed), clients_(clients), rates_(rates) {}

void BlockMaker::make(std::uint64_t block, BlockText& out) const {
    out.clients.clear();
    out.purchases.clear();
    out.campaign.clear();
    out.truth.clear();
    out.counts = {};
    Rng rng(stream_seed(seed_, blocks_domain, block));
    std::string duplicates;  // repeated client rows go after the block, as a re-export appended to the file
    const std::uint64_t first = block * clients_per_block;
    const std::uint64_t last = std::min(first + clients_per_block, clients_);
    for (std::uint64_t i = first; i < last; ++i) {
        const ClientProfile c = model_.draw_client(rng);
        BlockCounts& n = out.counts;
        ++n.clients;
        ++n.kinds[static_cast<std::size_t>(c.kind)];

        // clients.csv
        for (int copy = 0; copy < 2; ++copy) {
            std::string& row = copy == 0 ? out.clients : duplicates;
            if (copy == 1 && !bernoulli(rng, rates_.client_duplicate)) break;
            ids_.append(row, IdKind::Client, i);
            row.push_back(',');
            if (copy == 0 && bernoulli(rng, rates_.client_bad_date)) {
                row.append(bad_dates[static_cast<std::size_t>(rng.below(bad_dates.size()))]);
                ++n.dirty.clients_bad_date;
            } else {
                calendar_.append_datetime(row, c.issue_day, c.issue_seconds);
            }
            row.push_back(',');
            if (c.redeem_day >= 0) calendar_.append_datetime(row, c.redeem_day, c.redeem_seconds);
            row.push_back(',');
            // The repeated row carries an updated age, so the copies disagree as real duplicates do.
            const std::int32_t age = copy == 1 && c.age != missing_age ? c.age + 1 : c.age;
            if (age != missing_age) append_int(row, age);
            row.push_back(',');
            row.push_back(c.gender);
            row.push_back('\n');
            ++n.client_rows;
            if (copy == 1) ++n.dirty.clients_duplicate_id;
        }

        append_history(rng, i, c, false, out);
        if (bernoulli(rng, rates_.orphan_client)) {
            // A card missing from the clients export: its purchases reference an id clients.csv lacks.
            const ClientProfile orphan = model_.draw_client(rng);
            append_history(rng, clients_ + i, orphan, true, out);
            ++n.dirty.orphan_clients;
        }

        // campaign.csv: a fair coin, then the outcome from the arm's true probability.
        const bool treated = bernoulli(rng, 0.5);
        const std::int64_t p = treated ? c.p_treatment_micro : c.p_control_micro;
        const bool target = rng.below(1'000'000) < static_cast<std::uint64_t>(p);
        ids_.append(out.campaign, IdKind::Client, i);
        out.campaign.append(treated ? ",1," : ",0,");
        out.campaign.append(target ? "1\n" : "0\n");
        n.treated += treated ? 1 : 0;
        n.targets += target ? 1 : 0;

        // truth.csv
        ids_.append(out.truth, IdKind::Client, i);
        out.truth.push_back(',');
        append_fixed(out.truth, c.p_control_micro, 6);
        out.truth.push_back(',');
        append_fixed(out.truth, c.p_treatment_micro, 6);
        out.truth.push_back(',');
        append_fixed(out.truth, c.p_treatment_micro - c.p_control_micro, 6);
        out.truth.push_back(',');
        out.truth.append(kind_name(c.kind));
        out.truth.push_back('\n');
    }
    out.clients.append(duplicates);
}

void BlockMaker::append_history(Rng& rng, std::uint64_t client, const ClientProfile& profile, bool orphan,
                                BlockText& out) const {
    Scratch& s = scratch;
    model_.draw_history(rng, profile, s.transactions, s.lines);
    BlockCounts& n = out.counts;
    std::string& o = out.purchases;
    std::string datetime;
    std::string total;
    for (std::size_t t = 0; t < s.transactions.size(); ++t) {
        const Transaction& tr = s.transactions[t];
        // Transaction-level fields repeat on every line: format them once.
        s.prefix_head.clear();
        ids_.append(s.prefix_head, IdKind::Client, client);
        s.prefix_head.push_back(',');
        ids_.append(s.prefix_head, IdKind::Transaction, client * 1024 + t);
        s.prefix_head.push_back(',');
        datetime.clear();
        calendar_.append_datetime(datetime, tr.day, tr.seconds);
        s.prefix_points.clear();
        s.prefix_points.push_back(',');
        append_fixed(s.prefix_points, tr.regular_received_tenths, 1);
        s.prefix_points.push_back(',');
        append_fixed(s.prefix_points, tr.express_received_tenths, 1);
        s.prefix_points.push_back(',');
        append_fixed(s.prefix_points, tr.regular_spent_tenths, 1);
        s.prefix_points.push_back(',');
        append_fixed(s.prefix_points, tr.express_spent_tenths, 1);
        s.prefix_points.push_back(',');
        total.clear();
        append_fixed(total, tr.total_cents, 2);
        s.prefix_tail.clear();
        s.prefix_tail.push_back(',');
        ids_.append(s.prefix_tail, IdKind::Store, tr.store);
        s.prefix_tail.push_back(',');
        for (std::uint32_t j = 0; j < tr.line_count; ++j) {
            const PurchaseLine& line = s.lines[tr.first_line + j];
            // Each dirty line has one defect; orphans are otherwise clean so the kinds add up.
            bool bad_date = false;
            bool negative = false;
            if (!orphan) {
                const double u = rng.uniform01();
                bad_date = u < rates_.line_bad_datetime;
                negative = !bad_date && u < rates_.line_bad_datetime + rates_.line_negative_sum;
            }
            o.append(s.prefix_head);
            if (bad_date) {
                o.append(bad_dates[static_cast<std::size_t>(rng.below(bad_dates.size()))]);
                ++n.dirty.purchases_bad_datetime;
            } else {
                o.append(datetime);
            }
            o.append(s.prefix_points);
            if (negative) {
                o.push_back('-');
                ++n.dirty.purchases_negative_sum;
            }
            o.append(total);
            o.append(s.prefix_tail);
            ids_.append(o, IdKind::Product, line.product);
            o.push_back(',');
            append_int(o, line.quantity);
            o.push_back(',');
            append_fixed(o, negative ? -line.sum_cents : line.sum_cents, 2);
            o.push_back(',');
            if (line.redeemed_cents >= 0) append_fixed(o, line.redeemed_cents, 2);
            o.push_back('\n');
            ++n.purchase_rows;
            if (orphan) ++n.dirty.purchases_orphan;
        }
        ++n.transactions;
    }
}

}  // namespace uplift::simulate
