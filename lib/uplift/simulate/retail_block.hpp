#pragma once
/// One block of clients turned into CSV text: their clients.csv, purchases.csv, campaign.csv and
/// truth.csv rows. A block draws from its own random stream, seeded from (seed, block index), so
/// blocks can be made on any thread in any order and the files are the same bytes.

#include <array>
#include <cstdint>
#include <string>

#include "uplift/simulate/hex_ids.hpp"
#include "uplift/simulate/retail_model.hpp"

namespace uplift::simulate {

/// Clients per block: fixed (not derived from --threads), since the streams are per block.
inline constexpr std::uint64_t clients_per_block = 1024;

/// How often each kind of dirty row appears.
struct DirtyRates {
    double client_bad_date = 0.001;      ///< clients row with an unparsable first_issue_date
    double client_duplicate = 0.002;     ///< clients row repeated (same id, updated age)
    double line_bad_datetime = 0.0001;   ///< purchase line with an unparsable transaction_datetime
    double line_negative_sum = 0.0001;   ///< purchase line with negative purchase_sum and trn_sum_from_iss
    double orphan_client = 0.002;        ///< per client: purchases of one more client missing from clients.csv
};

/// Dirty rows written, by kind (each dirty row has exactly one kind).
struct DirtyCounts {
    std::int64_t clients_bad_date = 0;
    std::int64_t clients_duplicate_id = 0;
    std::int64_t purchases_bad_datetime = 0;
    std::int64_t purchases_negative_sum = 0;
    std::int64_t purchases_orphan = 0;   ///< purchase rows whose client is not in clients.csv
    std::int64_t orphan_clients = 0;     ///< distinct such clients
    void add(const DirtyCounts& o);
};

struct BlockCounts {
    std::int64_t clients = 0;       ///< distinct clients
    std::int64_t client_rows = 0;   ///< rows of clients.csv (clients + duplicates)
    std::int64_t purchase_rows = 0;
    std::int64_t transactions = 0;
    std::int64_t treated = 0;
    std::int64_t targets = 0;
    std::int64_t new_clients = 0;  ///< a month of a series: clients not in the month before
    std::int64_t switched = 0;     ///< a month of a series: clients the discount-seekers drift changed
    std::array<std::int64_t, kind_count> kinds{};
    DirtyCounts dirty;
    void add(const BlockCounts& o);
};

struct BlockText {
    std::string clients, purchases, campaign, truth;
    BlockCounts counts;
};

inline constexpr const char* clients_header = "client_id,first_issue_date,first_redeem_date,age,gender\n";
inline constexpr const char* products_header =
    "product_id,level_1,level_2,level_3,level_4,segment_id,brand_id,vendor_id,netto,is_own_trademark,is_alcohol\n";
inline constexpr const char* purchases_header =
    "client_id,transaction_id,transaction_datetime,regular_points_received,express_points_received,"
    "regular_points_spent,express_points_spent,purchase_sum,store_id,product_id,product_quantity,"
    "trn_sum_from_iss,trn_sum_from_red\n";
inline constexpr const char* campaign_header = "client_id,treatment_flg,target\n";
inline constexpr const char* truth_header = "client_id,p_control,p_treatment,uplift,kind,true_gender\n";

class BlockMaker {
public:
    BlockMaker(const RetailModel& model, const RetailCalendar& calendar, const IdCoder& ids, std::uint64_t seed,
               std::uint64_t clients, const DirtyRates& rates);

    std::uint64_t block_count() const noexcept { return (clients_ + clients_per_block - 1) / clients_per_block; }
    /// Fills `out` (cleared first) with block `block`'s rows.
    void make(std::uint64_t block, BlockText& out) const;

private:
    void append_history(Rng& rng, std::uint64_t client, const ClientProfile& profile, bool orphan, BlockText& out) const;

    const RetailModel& model_;
    const RetailCalendar& calendar_;
    const IdCoder& ids_;
    std::uint64_t seed_;
    std::uint64_t clients_;
    DirtyRates rates_;
};

}  // namespace uplift::simulate
