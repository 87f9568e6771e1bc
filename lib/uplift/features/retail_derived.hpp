#pragma once
/// The derived tables of a retail folder — transactions.parquet (one row per transaction, product-mix
/// sums included) and product_firsts.parquet (how many products each client first bought on each day).
/// `ingest` writes them once from the purchase lines, so that `features`, run once per cutoff, reads a
/// few million transactions instead of tens of millions of lines. They come from the recipes
/// retail_transactions.sql and retail_product_firsts.sql; `features` runs the same recipes over
/// purchases.parquet when the files are missing or were not made from the purchases.parquet beside them,
/// so both ways give the same numbers.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "uplift/features/retail_inputs.hpp"
#include "uplift/features/retail_template.hpp"
#include "uplift/io/session.hpp"

namespace uplift::features {

/// Product categories (level_1) that get a product-mix share: the most common ones in products.parquet.
inline constexpr int default_max_level_1 = 10;

/// Parquet key-value metadata of the derived tables: what they were made from (see derived_source).
inline constexpr const char* derived_source_metadata_key = "upliftctl:derived_from";

/// The `max_levels` most common level_1 values of upl_products_src (ties by value), as column keys, and
/// any less common category whose key is in `also` (the categories a model knows), most common first.
std::vector<CategoryLevel> top_level_1(io::Session& session, int max_levels, const std::set<std::string>& also = {});

/// The SELECTs of the derived tables over the views upl_purchases_src (and upl_products_src when
/// `products`), with a product-mix column per category of `level_1`.
std::string transactions_select(bool products, const std::vector<CategoryLevel>& level_1);
std::string product_firsts_select();

/// Names the tables the derived ones are made from: size and a fingerprint of the last MiB (the Parquet
/// footer: row groups, offsets, statistics) of purchases.parquet and of products.parquet (empty path:
/// none). Cheap on a file of any size, and any rewrite of the table changes it.
std::string derived_source(const std::filesystem::path& purchases, const std::filesystem::path& products);

struct DerivedTableCounts {
    std::int64_t transactions = 0;
    std::int64_t product_firsts = 0;
};

/// Writes transactions.parquet and product_firsts.parquet into `dir` from its purchases.parquet (and
/// products.parquet when present), sorted by client so the bytes do not depend on the thread count.
DerivedTableCounts write_retail_derived(io::Session& session, const std::filesystem::path& dir);

/// Where `features` took the history from.
struct HistorySource {
    bool derived = false;   ///< transactions.parquet + product_firsts.parquet; false: the purchase lines
    bool missing = false;   ///< not derived because the files are absent (rather than stale)
    std::string reason;     ///< why the lines, when not derived
};

/// Creates the views upl_transactions and upl_product_firsts: over the derived files when both are in the
/// folder, were made from its purchases.parquet and products.parquet, and have a column for every
/// category of `level_1`; otherwise over the recipes run on upl_purchases_src (and upl_products_src).
HistorySource open_history(io::Session& session, const RetailInputs& inputs, const std::vector<CategoryLevel>& level_1);

}  // namespace uplift::features
