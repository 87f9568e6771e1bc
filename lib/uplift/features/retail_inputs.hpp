#pragma once
/// The typed tables of a retail dataset folder (written by `ingest` retail mode, docs/retail_schema.md),
/// opened as SQL views in a session and checked before any feature is computed, so that a wrong folder
/// or a table of the wrong shape fails with one clear line instead of a DuckDB message mid-query.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "uplift/io/session.hpp"

namespace uplift::features {

struct RetailInputs {
    std::filesystem::path clients, purchases, campaign, products;  ///< campaign, products empty when absent
    /// The derived tables `ingest` writes (retail_derived.hpp); empty when absent.
    std::filesystem::path transactions, product_firsts;
    bool has_products() const { return !products.empty(); }
    bool has_campaign() const { return !campaign.empty(); }
    bool has_derived() const { return !transactions.empty() && !product_firsts.empty(); }
    /// The tables a run reads: the derived ones in place of purchases.parquet when `derived`.
    std::vector<std::filesystem::path> files(bool derived) const;
};

/// Finds the tables in `dir`; IoError naming the missing file (campaign and products.parquet are optional).
RetailInputs locate_retail_inputs(const std::filesystem::path& dir);

/// Creates the views upl_clients_src, upl_purchases_src (and upl_campaign_src, upl_products_src) and
/// checks their columns: DataError naming file, column, found and expected type. A campaign has both
/// treatment_flg and target, or neither (a client list).
void open_retail_inputs(io::Session& session, const RetailInputs& inputs);

/// Duplicate product ids would multiply purchase lines in the product join: DataError.
void check_products(io::Session& session, const RetailInputs& inputs);

}  // namespace uplift::features
