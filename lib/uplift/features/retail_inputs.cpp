#include "uplift/features/retail_inputs.hpp"

#include <fmt/format.h>

#include <map>

#include "uplift/core/errors.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

namespace {

enum class Kind { Text, Number, Time };

struct Required {
    const char* column;
    Kind kind;
};

// Only the columns the recipes read; other columns of the contract may be absent or extra.
const std::vector<Required> clients_columns{{"client_id", Kind::Text},
                                           {"first_issue_date", Kind::Time},
                                           {"first_redeem_date", Kind::Time},
                                           {"age", Kind::Number},
                                           {"gender", Kind::Text}};
const std::vector<Required> purchases_columns{
    {"client_id", Kind::Text},         {"transaction_id", Kind::Text},          {"transaction_datetime", Kind::Time},
    {"regular_points_received", Kind::Number}, {"express_points_received", Kind::Number},
    {"regular_points_spent", Kind::Number},    {"express_points_spent", Kind::Number},
    {"purchase_sum", Kind::Number},    {"store_id", Kind::Text},                {"product_id", Kind::Text},
    {"product_quantity", Kind::Number}, {"trn_sum_from_iss", Kind::Number}};
const std::vector<Required> campaign_columns{{"client_id", Kind::Text}};
/// A campaign's outcomes: both or neither (a campaign ingested without them is a client list for scoring).
const std::vector<Required> campaign_outcome_columns{{"treatment_flg", Kind::Number}, {"target", Kind::Number}};
const std::vector<Required> products_columns{
    {"product_id", Kind::Text}, {"level_1", Kind::Text}, {"is_own_trademark", Kind::Number}, {"is_alcohol", Kind::Number}};

bool fits(Kind kind, const std::string& type) {
    switch (kind) {
    case Kind::Text: return type == "VARCHAR";
    case Kind::Time: return type.starts_with("TIMESTAMP") || type == "DATE";
    case Kind::Number:
        return type == "BIGINT" || type == "INTEGER" || type == "SMALLINT" || type == "TINYINT" || type == "DOUBLE" ||
               type == "FLOAT" || type == "HUGEINT" || type.starts_with("DECIMAL") || type.starts_with("U");
    }
    return false;
}

const char* expected(Kind kind) {
    switch (kind) {
    case Kind::Text: return "VARCHAR";
    case Kind::Time: return "TIMESTAMP";
    case Kind::Number: return "a number (BIGINT or DOUBLE)";
    }
    return "";
}

/// `optional` columns are checked when present; all of them or none must be.
void open_view(io::Session& session, const std::string& view, const fs::path& file, const std::vector<Required>& columns,
               const std::vector<Required>& optional = {}) {
    std::map<std::string, std::string> types;
    try {
        session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW {} AS SELECT * FROM read_parquet({})",
                                    io::quote_identifier(view), io::quote_literal(file.string())));
        const auto described = session.query(fmt::format("DESCRIBE {}", io::quote_identifier(view)));
        const auto& names = described.column("column_name").string_values();
        const auto& kinds = described.column("column_type").string_values();
        for (std::size_t i = 0; i < described.num_rows(); ++i) types[names[i]] = kinds[i];
    } catch (const Error& e) {
        io::throw_unreadable(e, file, file);
    }
    std::vector<Required> wanted = columns;
    const auto present = std::count_if(optional.begin(), optional.end(), [&](const Required& r) { return types.contains(r.column); });
    if (present > 0) wanted.insert(wanted.end(), optional.begin(), optional.end());
    for (const auto& r : wanted) {
        const auto it = types.find(r.column);
        if (it == types.end()) {
            throw DataError(fmt::format("'{}' has no column '{}'; features --data expects the tables written by "
                                        "`upliftctl ingest` retail mode",
                                        file.string(), r.column));
        }
        if (!fits(r.kind, it->second)) {
            throw DataError(fmt::format("'{}', column '{}': type {}, expected {}", file.string(), r.column, it->second,
                                        expected(r.kind)));
        }
    }
}

std::int64_t int_at(const io::Table& t, const char* column) { return t.column(column).int64_values()[0]; }

}  // namespace

std::vector<fs::path> RetailInputs::files(bool derived) const {
    std::vector<fs::path> out{clients};
    if (has_campaign()) out.push_back(campaign);
    if (derived) {
        out.push_back(transactions);
        out.push_back(product_firsts);
    } else {
        out.push_back(purchases);
    }
    if (has_products()) out.push_back(products);
    return out;
}

RetailInputs locate_retail_inputs(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw IoError(fmt::format("cannot read '{}': {}", dir.string(),
                                  fs::exists(dir, ec) ? "not a folder (--data takes the folder `ingest` wrote)"
                                                      : "no such folder"));
    }
    const auto need = [&](const char* name) {
        const fs::path p = dir / name;
        if (!fs::is_regular_file(p, ec)) {
            throw IoError(fmt::format("cannot read '{}': no such file (--data expects clients.parquet and "
                                      "purchases.parquet from `upliftctl ingest`)",
                                      p.string()));
        }
        return p;
    };
    RetailInputs in;
    in.clients = need("clients.parquet");
    in.purchases = need("purchases.parquet");
    if (fs::is_regular_file(dir / "campaign.parquet", ec)) in.campaign = dir / "campaign.parquet";
    if (fs::is_regular_file(dir / "products.parquet", ec)) in.products = dir / "products.parquet";
    if (fs::is_regular_file(dir / "transactions.parquet", ec)) in.transactions = dir / "transactions.parquet";
    if (fs::is_regular_file(dir / "product_firsts.parquet", ec)) in.product_firsts = dir / "product_firsts.parquet";
    return in;
}

void open_retail_inputs(io::Session& session, const RetailInputs& inputs) {
    open_view(session, "upl_clients_src", inputs.clients, clients_columns);
    open_view(session, "upl_purchases_src", inputs.purchases, purchases_columns);
    if (inputs.has_campaign()) {
        open_view(session, "upl_campaign_src", inputs.campaign, campaign_columns, campaign_outcome_columns);
    }
    if (inputs.has_products()) open_view(session, "upl_products_src", inputs.products, products_columns);
}

void check_products(io::Session& session, const RetailInputs& inputs) {
    const auto p = session.query(
        "SELECT count(*) - count(DISTINCT product_id) AS duplicates, min(product_id) FILTER (WHERE product_id IN "
        "(SELECT product_id FROM upl_products_src GROUP BY product_id HAVING count(*) > 1)) AS example "
        "FROM upl_products_src");
    if (const auto n = int_at(p, "duplicates"); n > 0) {
        throw DataError(fmt::format("'{}', column 'product_id': {} duplicate row(s), e.g. '{}'; one row per product "
                                    "is expected",
                                    inputs.products.string(), n, p.column("example").text_at(0)));
    }
}

}  // namespace uplift::features
