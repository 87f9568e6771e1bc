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
const std::vector<Required> campaign_columns{
    {"client_id", Kind::Text}, {"treatment_flg", Kind::Number}, {"target", Kind::Number}};
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

void open_view(io::Session& session, const std::string& view, const fs::path& file, const std::vector<Required>& columns) {
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
    for (const auto& r : columns) {
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
    std::vector<fs::path> out{clients, campaign};
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
            throw IoError(fmt::format("cannot read '{}': no such file (--data expects clients.parquet, "
                                      "purchases.parquet and campaign.parquet from `upliftctl ingest`)",
                                      p.string()));
        }
        return p;
    };
    RetailInputs in;
    in.clients = need("clients.parquet");
    in.purchases = need("purchases.parquet");
    in.campaign = need("campaign.parquet");
    if (fs::is_regular_file(dir / "products.parquet", ec)) in.products = dir / "products.parquet";
    if (fs::is_regular_file(dir / "transactions.parquet", ec)) in.transactions = dir / "transactions.parquet";
    if (fs::is_regular_file(dir / "product_firsts.parquet", ec)) in.product_firsts = dir / "product_firsts.parquet";
    return in;
}

void open_retail_inputs(io::Session& session, const RetailInputs& inputs) {
    open_view(session, "upl_clients_src", inputs.clients, clients_columns);
    open_view(session, "upl_purchases_src", inputs.purchases, purchases_columns);
    open_view(session, "upl_campaign_src", inputs.campaign, campaign_columns);
    if (inputs.has_products()) open_view(session, "upl_products_src", inputs.products, products_columns);
}

CampaignCheck check_campaign(io::Session& session, const RetailInputs& inputs) {
    const auto c = session.query(
        "SELECT count(*) AS n_rows, count(*) - count(DISTINCT client_id) AS duplicates, "
        "count(*) FILTER (WHERE client_id IS NULL) AS null_ids, "
        "count(*) FILTER (WHERE treatment_flg IS NULL OR treatment_flg NOT IN (0, 1)) AS bad_treatment, "
        "CAST(min(treatment_flg) FILTER (WHERE treatment_flg IS NULL OR treatment_flg NOT IN (0, 1)) AS VARCHAR) AS bad_treatment_value, "
        "count(*) FILTER (WHERE target IS NULL OR target NOT IN (0, 1)) AS bad_target, "
        "CAST(min(target) FILTER (WHERE target IS NULL OR target NOT IN (0, 1)) AS VARCHAR) AS bad_target_value "
        "FROM upl_campaign_src");
    const std::string file = inputs.campaign.string();
    CampaignCheck out;
    out.rows = int_at(c, "n_rows");
    if (out.rows == 0) throw DataError(fmt::format("'{}' has no rows: no client to compute features for", file));
    if (const auto n = int_at(c, "null_ids"); n > 0) {
        throw DataError(fmt::format("'{}', column 'client_id': {} empty id(s)", file, n));
    }
    if (const auto n = int_at(c, "duplicates"); n > 0) {
        const auto d = session.query("SELECT client_id FROM upl_campaign_src GROUP BY client_id HAVING count(*) > 1 "
                                     "ORDER BY client_id LIMIT 1");
        throw DataError(fmt::format("'{}', column 'client_id': {} duplicate row(s), e.g. '{}'; one row per client "
                                    "is expected",
                                    file, n, d.column("client_id").text_at(0)));
    }
    for (const auto& [column, count, value] :
         {std::tuple{"treatment_flg", "bad_treatment", "bad_treatment_value"}, {"target", "bad_target", "bad_target_value"}}) {
        if (const auto n = int_at(c, count); n > 0) {
            const std::string v = c.column(value).text_at(0);
            throw DataError(fmt::format("'{}', column '{}': {} row(s) not 0 or 1, e.g. {}", file, column, n,
                                        v.empty() ? "an empty value" : "'" + v + "'"));
        }
    }
    const auto k = session.query("SELECT count(*) - count(DISTINCT client_id) AS duplicates FROM upl_clients_src");
    if (const auto n = int_at(k, "duplicates"); n > 0) {
        throw DataError(fmt::format("'{}', column 'client_id': {} duplicate row(s); one row per client is expected",
                                    inputs.clients.string(), n));
    }
    const auto missing = session.query(
        "SELECT client_id, count(*) OVER () AS n FROM upl_campaign_src cp "
        "ANTI JOIN upl_clients_src cl ON cl.client_id = cp.client_id ORDER BY client_id LIMIT 5");
    if (missing.num_rows() > 0) {
        out.missing_clients = int_at(missing, "n");
        out.missing_sample = missing.column("client_id").string_values();
    }
    if (out.missing_clients == out.rows) {
        throw DataError(fmt::format("none of the {} client(s) of '{}' is in '{}' (e.g. '{}'): tables from different "
                                    "exports?",
                                    out.rows, file, inputs.clients.string(), out.missing_sample.front()));
    }
    return out;
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
