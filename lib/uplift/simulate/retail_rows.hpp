#pragma once
/// Internal to simulate: the text of one row of clients.csv, purchases.csv, campaign.csv and truth.csv,
/// shared by the one-folder generator (retail_block.hpp) and the month series (series.hpp), so both
/// write the same fields the same way.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/simulate/hex_ids.hpp"
#include "uplift/simulate/retail_calendar.hpp"
#include "uplift/simulate/retail_model.hpp"

namespace uplift::simulate {

struct DirtyRates;
struct BlockCounts;

/// Dates a careless export or a broken till writes; none parses as a timestamp.
inline constexpr std::array<std::string_view, 5> bad_dates = {"2019-02-30 10:15:00", "2018-13-05 09:00:00",
                                                              "31.12.2018 18:40", "2018-12-05 25:61:00", "not a date"};

void append_int(std::string& out, std::int64_t v);
/// v / 10^digits with exactly `digits` decimals, e.g. (-1234, 2) -> "-12.34".
void append_fixed(std::string& out, std::int64_t v, int digits);

/// One clients.csv row. `bad_date` non-empty replaces first_issue_date; `show_redeem` false leaves
/// first_redeem_date empty (never redeemed, or not yet at the export's cutoff).
void append_client_row(std::string& out, const IdCoder& ids, const RetailCalendar& calendar, std::uint64_t client,
                       const ClientProfile& c, std::string_view bad_date, bool show_redeem, std::int32_t age);

/// The purchases.csv lines of `transactions`; transaction t gets id index `first_transaction + t`. Draws
/// each line's defect (rates.line_*) from `rng` unless `orphan` (orphans are otherwise clean, so the dirty
/// kinds add up), and counts rows, transactions and defects into `counts`.
void append_purchase_rows(std::string& out, const IdCoder& ids, const RetailCalendar& calendar, std::uint64_t client,
                          std::uint64_t first_transaction, const std::vector<Transaction>& transactions,
                          const std::vector<PurchaseLine>& lines, bool orphan, const DirtyRates& rates, Rng& rng,
                          BlockCounts& counts);

void append_campaign_row(std::string& out, const IdCoder& ids, std::uint64_t client, bool treated, bool target);

/// client_id,p_control,p_treatment,uplift,kind,true_gender with six decimals; uplift = treatment - control
/// exactly; true_gender F or M, also where clients.csv hides it as U.
void append_truth_row(std::string& out, const IdCoder& ids, std::uint64_t client, std::int64_t p_control_micro,
                      std::int64_t p_treatment_micro, ClientKind kind, char true_gender);

}  // namespace uplift::simulate
