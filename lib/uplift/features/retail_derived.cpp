#include "uplift/features/retail_derived.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <utility>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/features/retail_recipes.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

namespace {

/// The derived recipes use neither the cutoff nor windows; the expander still wants a window.
std::string expand_derived(std::string_view name, bool products, const std::vector<CategoryLevel>& level_1) {
    RecipeContext ctx;
    ctx.windows = {1};
    ctx.products = products;
    ctx.level_1 = level_1;
    return expand_recipe(name, detail::recipe(name), ctx).sql;
}

std::string tail_fingerprint(const fs::path& path) {
    constexpr std::uintmax_t tail = 1 << 20;
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) throw IoError(fmt::format("cannot read '{}': {}", path.string(), ec.message()));
    std::ifstream in(path, std::ios::binary);
    const std::uintmax_t from = size > tail ? size - tail : 0;
    in.seekg(static_cast<std::streamoff>(from));
    std::string bytes(static_cast<std::size_t>(size - from), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in) throw IoError(fmt::format("cannot read '{}'", path.string()));
    return fmt::format("{}:{}", size, text_fingerprint(bytes));
}

std::int64_t copy_sorted(io::Session& session, const std::string& select, const std::string& order,
                         const fs::path& target, const std::string& source) {
    return session.execute_rows(fmt::format(
        "COPY (SELECT * FROM ({}) ORDER BY {}) TO {} ({})", select, order, io::quote_literal(target.string()),
        io::copy_options(io::FileFormat::Parquet, {{derived_source_metadata_key, source}})));
}

}  // namespace

std::vector<CategoryLevel> top_level_1(io::Session& session, int max_levels, const std::set<std::string>& also) {
    if (max_levels <= 0 && also.empty()) return {};
    // From products.parquet, not from purchases: the same product table gives the same columns whatever
    // the cutoff, so features for scoring line up with those for training. Keys are made over every category
    // in that order, so a category's key is the one it gets wherever it ranks.
    const auto all = session.query(
        "SELECT level_1 FROM upl_products_src WHERE level_1 IS NOT NULL AND level_1 <> '' GROUP BY level_1 "
        "ORDER BY count(*) DESC, level_1");
    const auto levels = category_levels(all.column("level_1").string_values());
    std::vector<CategoryLevel> out;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (std::cmp_less(i, max_levels) || also.contains(levels[i].key)) out.push_back(levels[i]);
    }
    return out;
}

std::string transactions_select(bool products, const std::vector<CategoryLevel>& level_1) {
    return expand_derived("retail_transactions", products, level_1);
}

std::string product_firsts_select() { return expand_derived("retail_product_firsts", false, {}); }

std::string derived_source(const fs::path& purchases, const fs::path& products) {
    return fmt::format("purchases {} products {}", tail_fingerprint(purchases),
                       products.empty() ? std::string("none") : tail_fingerprint(products));
}

DerivedTableCounts write_retail_derived(io::Session& session, const fs::path& dir) {
    const fs::path purchases = dir / "purchases.parquet";
    const fs::path products = fs::exists(dir / "products.parquet") ? dir / "products.parquet" : fs::path();
    session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW upl_purchases_src AS SELECT * FROM read_parquet({})",
                                io::quote_literal(purchases.string())));
    std::vector<CategoryLevel> level_1;
    if (!products.empty()) {
        session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW upl_products_src AS SELECT * FROM read_parquet({})",
                                    io::quote_literal(products.string())));
        level_1 = top_level_1(session, default_max_level_1);
    }
    const std::string source = derived_source(purchases, products);
    DerivedTableCounts out;
    out.transactions = copy_sorted(session, transactions_select(!products.empty(), level_1),
                                   "client_id, trn_time, transaction_id", dir / "transactions.parquet", source);
    out.product_firsts =
        copy_sorted(session, product_firsts_select(), "client_id, first_day", dir / "product_firsts.parquet", source);
    session.execute("DROP VIEW upl_purchases_src");
    if (!products.empty()) session.execute("DROP VIEW upl_products_src");
    return out;
}

namespace {

/// Why the derived files cannot stand in for the purchase lines, or "" when they can.
std::string derived_unusable(io::Session& session, const RetailInputs& inputs, const std::vector<CategoryLevel>& level_1) {
    if (!inputs.has_derived()) {
        return "transactions.parquet or product_firsts.parquet is missing (written by `upliftctl ingest`)";
    }
    const std::string source = derived_source(inputs.purchases, inputs.products);
    for (const fs::path& file : {inputs.transactions, inputs.product_firsts}) {
        const auto meta = io::read_metadata(session, file);
        const auto it = meta.find(derived_source_metadata_key);
        if (it == meta.end() || it->second != source) {
            return fmt::format("'{}' was not made from the purchases.parquet and products.parquet beside it",
                               file.string());
        }
    }
    if (inputs.has_products()) {
        const auto columns = session.query(fmt::format("DESCRIBE SELECT * FROM read_parquet({})",
                                                       io::quote_literal(inputs.transactions.string())))
                                 .column("column_name")
                                 .string_values();
        if (std::find(columns.begin(), columns.end(), "catalogued_cents") == columns.end()) {
            return fmt::format("'{}' has no column catalogued_cents (written by an older upliftctl ingest)",
                               inputs.transactions.string());
        }
        for (const auto& level : level_1) {
            if (std::find(columns.begin(), columns.end(), "cents_" + level.key) == columns.end()) {
                return fmt::format("'{}' has no column cents_{} for product category '{}'", inputs.transactions.string(),
                                   level.key, level.value);
            }
        }
    }
    return {};
}

}  // namespace

HistorySource open_history(io::Session& session, const RetailInputs& inputs, const std::vector<CategoryLevel>& level_1) {
    HistorySource out;
    out.reason = derived_unusable(session, inputs, level_1);
    out.derived = out.reason.empty();
    out.missing = !inputs.has_derived();
    const auto view = [&](const char* name, const std::string& select) {
        session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW {} AS {}", name, select));
    };
    if (out.derived) {
        view("upl_transactions", "SELECT * FROM read_parquet(" + io::quote_literal(inputs.transactions.string()) + ")");
        view("upl_product_firsts", "SELECT * FROM read_parquet(" + io::quote_literal(inputs.product_firsts.string()) + ")");
    } else {
        view("upl_transactions", transactions_select(inputs.has_products(), level_1));
        view("upl_product_firsts", product_firsts_select());
    }
    return out;
}

}  // namespace uplift::features
