#include "uplift/simulate/retail_rows.hpp"

#include <charconv>

#include "uplift/simulate/retail_block.hpp"

namespace uplift::simulate {

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

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

void append_client_row(std::string& row, const IdCoder& ids, const RetailCalendar& calendar, std::uint64_t client,
                       const ClientProfile& c, std::string_view bad_date, bool show_redeem, std::int32_t age) {
    ids.append(row, IdKind::Client, client);
    row.push_back(',');
    if (!bad_date.empty()) {
        row.append(bad_date);
    } else {
        calendar.append_datetime(row, c.issue_day, c.issue_seconds);
    }
    row.push_back(',');
    if (show_redeem && c.redeem_day >= 0) calendar.append_datetime(row, c.redeem_day, c.redeem_seconds);
    row.push_back(',');
    if (age != missing_age) append_int(row, age);
    row.push_back(',');
    row.push_back(c.gender);
    row.push_back('\n');
}

namespace {

/// Transaction-level fields repeat on every line: formatted once per transaction.
struct Prefixes {
    std::string head;  ///< client_id,transaction_id,
    std::string datetime;
    std::string points;
    std::string total;
    std::string tail;  ///< ,store_id,
};

thread_local Prefixes prefixes;

}  // namespace

void append_purchase_rows(std::string& o, const IdCoder& ids, const RetailCalendar& calendar, std::uint64_t client,
                          std::uint64_t first_transaction, const std::vector<Transaction>& transactions,
                          const std::vector<PurchaseLine>& lines, bool orphan, const DirtyRates& rates, Rng& rng,
                          BlockCounts& n) {
    Prefixes& s = prefixes;
    for (std::size_t t = 0; t < transactions.size(); ++t) {
        const Transaction& tr = transactions[t];
        s.head.clear();
        ids.append(s.head, IdKind::Client, client);
        s.head.push_back(',');
        ids.append(s.head, IdKind::Transaction, first_transaction + t);
        s.head.push_back(',');
        s.datetime.clear();
        calendar.append_datetime(s.datetime, tr.day, tr.seconds);
        s.points.clear();
        for (const std::int64_t tenths : {tr.regular_received_tenths, tr.express_received_tenths,
                                          tr.regular_spent_tenths, tr.express_spent_tenths}) {
            s.points.push_back(',');
            append_fixed(s.points, tenths, 1);
        }
        s.points.push_back(',');
        s.total.clear();
        append_fixed(s.total, tr.total_cents, 2);
        s.tail.clear();
        s.tail.push_back(',');
        ids.append(s.tail, IdKind::Store, tr.store);
        s.tail.push_back(',');
        for (std::uint32_t j = 0; j < tr.line_count; ++j) {
            const PurchaseLine& line = lines[tr.first_line + j];
            bool bad_date = false;
            bool negative = false;
            if (!orphan) {
                const double u = rng.uniform01();
                bad_date = u < rates.line_bad_datetime;
                negative = !bad_date && u < rates.line_bad_datetime + rates.line_negative_sum;
            }
            o.append(s.head);
            if (bad_date) {
                o.append(bad_dates[static_cast<std::size_t>(rng.below(bad_dates.size()))]);
                ++n.dirty.purchases_bad_datetime;
            } else {
                o.append(s.datetime);
            }
            o.append(s.points);
            if (negative) {
                o.push_back('-');
                ++n.dirty.purchases_negative_sum;
            }
            o.append(s.total);
            o.append(s.tail);
            ids.append(o, IdKind::Product, line.product);
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

void append_campaign_row(std::string& out, const IdCoder& ids, std::uint64_t client, bool treated, bool target) {
    ids.append(out, IdKind::Client, client);
    out.append(treated ? ",1," : ",0,");
    out.append(target ? "1\n" : "0\n");
}

void append_truth_row(std::string& out, const IdCoder& ids, std::uint64_t client, std::int64_t p_control_micro,
                      std::int64_t p_treatment_micro, ClientKind kind, char true_gender) {
    ids.append(out, IdKind::Client, client);
    out.push_back(',');
    append_fixed(out, p_control_micro, 6);
    out.push_back(',');
    append_fixed(out, p_treatment_micro, 6);
    out.push_back(',');
    append_fixed(out, p_treatment_micro - p_control_micro, 6);
    out.push_back(',');
    out.append(kind_name(kind));
    out.push_back(',');
    out.push_back(true_gender);
    out.push_back('\n');
}

}  // namespace uplift::simulate
