#pragma once
/// The retail tables of docs/retail_schema.md as data: which columns each raw file must have, what each
/// column must hold, and the type it gets in the typed Parquet table. `ingest` turns every entry into
/// SQL checks; `features` relies on the resulting types, so this file is the single place they live.

#include <string>
#include <vector>

namespace uplift::data {

/// What a raw column must hold. Missing = empty field (CSV) or null (Parquet).
enum class RetailCheck {
    Id,                 ///< required text (a missing id rejects the row)
    Text,               ///< optional text
    Gender,             ///< optional text; missing becomes "U" (unknown), as in the X5 data
    Timestamp,          ///< required timestamp
    OptionalTimestamp,  ///< timestamp or missing
    Number,             ///< required finite number
    NonNegative,        ///< required finite number >= 0
    OptionalNumber,     ///< finite number or missing
    OptionalInteger,    ///< integer or missing (absurd values such as age 999 are kept as data)
    Flag,               ///< required 0 or 1
};

struct RetailColumn {
    std::string name;
    RetailCheck check;
};

struct RetailTable {
    std::string name;                  ///< clients, products, purchases, campaign
    std::vector<RetailColumn> columns;  ///< in the order of the contract's header line
    std::string unique_key;            ///< a column whose repeats are rejected (first kept), or ""
    bool references_clients = false;   ///< rows whose client_id is not a kept client are rejected
    /// A column naming a group of rows that must share one client_id and one `group_time` (a transaction's
    /// lines), or "". A group whose kept rows disagree is rejected whole: which row is right is unknown,
    /// and merging them would move lines of one purchase into another's time.
    std::string group_key;
    std::string group_time;
    /// A Flag column saying which arm a row is in (1 treated, 0 control), or "". Both arms must occur among
    /// the kept rows: uplift is the difference between them, so a campaign with one arm cannot be learnt from.
    std::string arm_column;
};

/// The largest magnitude a number of a Number, NonNegative or OptionalNumber column may have (10^12). The
/// derived tables hold money and points as DECIMAL(18,2) and line sums as whole cents in DOUBLE, exact
/// below 2^53 (about 9·10^13 units): a bound well inside both keeps every sum exact, and no receipt,
/// line or points balance comes near it, so a larger value is a broken export, rejected with its row.
inline constexpr double retail_max_abs_number = 1e12;

/// The only text forms a Timestamp or OptionalTimestamp field may take (an RE2 regex, matched whole):
/// `YYYY-MM-DD`, optionally followed by ` HH:MM:SS` (or `T`) with hours 00-23 and up to 9 decimals of
/// seconds. DuckDB's own cast also takes a time-zone offset (and drops it) and rolls `24:00:00` over
/// to the next day; both would move a purchase silently, so such text is rejected instead.
inline constexpr const char* retail_timestamp_pattern =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?)?";
/// A time followed by a time-zone offset (`+05`, `-03:30`, `Z`): told apart from other unparsable text.
inline constexpr const char* retail_offset_pattern = ":[0-9]{2}(\\.[0-9]*)? ?([+-][0-9]{2}(:?[0-9]{2})?|Z|UTC)$";

/// SQL type of a column in the typed table: VARCHAR, TIMESTAMP, DOUBLE or BIGINT.
std::string sql_type(RetailCheck check);

const RetailTable& clients_table();
const RetailTable& products_table();
const RetailTable& purchases_table();
const RetailTable& campaign_table();
/// A campaign without outcomes (no treatment_flg and target columns, or both empty in every row): the list of
/// clients a campaign is about to contact, for scoring only. campaign.parquet then holds client_id alone.
const RetailTable& campaign_clients_table();

}  // namespace uplift::data
