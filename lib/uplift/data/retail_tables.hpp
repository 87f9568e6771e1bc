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
};

/// SQL type of a column in the typed table: VARCHAR, TIMESTAMP, DOUBLE or BIGINT.
std::string sql_type(RetailCheck check);

const RetailTable& clients_table();
const RetailTable& products_table();
const RetailTable& purchases_table();
const RetailTable& campaign_table();

}  // namespace uplift::data
