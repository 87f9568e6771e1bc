#include "uplift/features/retail_features.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/retail_derived.hpp"
#include "uplift/features/retail_inputs.hpp"
#include "uplift/features/retail_recipes.hpp"
#include "uplift/features/retail_template.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/temporal.hpp"

namespace uplift::features {

namespace {

/// Logs how long each step took (-v): where the time goes on a large history.
class StepTimer {
public:
    void done(std::string_view step) {
        const auto now = std::chrono::steady_clock::now();
        log::info("features: {} in {:.2f} s", step, std::chrono::duration<double>(now - last_).count());
        last_ = now;
    }

private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

/// Output order of the families; each is recipes/retail_<family>.sql.
constexpr const char* families[] = {"profile", "rfm", "check", "points", "habits", "basket"};

void validate(const RetailFeatureOptions& o) {
    std::int32_t days = 0;
    if (o.cutoff.size() != 10 || !io::parse_date(o.cutoff, days)) {
        throw UsageError(fmt::format("--cutoff '{}': expected a date YYYY-MM-DD (the first day of the campaign)", o.cutoff));
    }
    if (o.windows.empty()) throw UsageError("--windows: at least one window is needed");
    if (!std::is_sorted(o.windows.begin(), o.windows.end()) ||
        std::adjacent_find(o.windows.begin(), o.windows.end()) != o.windows.end() || o.windows.front() < 1 ||
        o.windows.back() > 3650) {
        throw UsageError("--windows: distinct whole numbers of days in 1..3650, ascending");
    }
}

RecipeContext context_for(io::Session& session, const RetailFeatureOptions& o, const RetailInputs& inputs) {
    RecipeContext ctx;
    ctx.cutoff = fmt::format("TIMESTAMP '{} 00:00:00'", o.cutoff);
    ctx.cutoff_date = fmt::format("DATE '{}'", o.cutoff);
    ctx.windows = o.windows;
    ctx.products = inputs.has_products();
    if (ctx.products) ctx.level_1 = top_level_1(session, o.max_level_1);
    return ctx;
}

std::vector<ExpandedRecipe> expand_families(const RecipeContext& ctx) {
    std::vector<ExpandedRecipe> out;
    for (const char* family : families) {
        out.push_back(expand_recipe(family, detail::recipe(fmt::format("retail_{}", family)), ctx));
    }
    return out;
}

std::vector<RetailFeature> manifest_of(const std::vector<ExpandedRecipe>& recipes) {
    std::vector<RetailFeature> out;
    for (const auto& r : recipes) out.insert(out.end(), r.features.begin(), r.features.end());
    return out;
}

/// One SELECT joining every family's per-client row to the campaign columns, ordered by client id.
std::string final_query(const std::vector<ExpandedRecipe>& recipes) {
    std::string select = "SELECT c.client_id, c.treatment_flg, c.target";
    std::string from = "FROM upl_clients c";
    for (std::size_t i = 0; i < recipes.size(); ++i) {
        select += fmt::format(", f{}.* EXCLUDE (client_id)", i);
        from += fmt::format("\nJOIN (\n{}\n) f{} ON f{}.client_id = c.client_id", recipes[i].sql, i, i);
    }
    return fmt::format("{}\n{}\nORDER BY c.client_id", select, from);
}

/// The recipes' declared features must be exactly the columns DuckDB returned: a mismatch is a recipe bug
/// that would give the manifest and the file different stories.
void check_columns(const std::vector<std::string>& columns, const std::vector<RetailFeature>& manifest) {
    std::vector<std::string> expected{"client_id", "treatment_flg", "target"};
    for (const auto& f : manifest) expected.push_back(f.name);
    if (columns != expected) {
        throw InternalError(fmt::format("retail feature recipes: declared columns [{}] differ from the result [{}]",
                                        fmt::join(expected, ", "), fmt::join(columns, ", ")));
    }
}

/// The feature rows, left in the session's table upl_features, with everything said about them.
struct StagedFeatures {
    std::vector<RetailFeature> manifest;
    RetailFeatureStats stats;
    io::Metadata metadata;  ///< roles, manifest, provenance
};

}  // namespace

std::vector<int> parse_windows(const std::string& text) {
    std::vector<int> out;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        auto end = text.find(',', begin);
        if (end == std::string::npos) end = text.size();
        const std::string item = text.substr(begin, end - begin);
        int value = 0;
        const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || value < 1 || value > 3650) {
            throw UsageError(fmt::format("--windows '{}': '{}' is not a number of days in 1..3650 (e.g. 7,30,90,180)",
                                         text, item));
        }
        out.push_back(value);
        begin = end + 1;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<RetailFeature> retail_feature_manifest(io::Session& session, const RetailFeatureOptions& options) {
    validate(options);
    const RetailInputs inputs = locate_retail_inputs(options.data_dir);
    open_retail_inputs(session, inputs);
    return manifest_of(expand_families(context_for(session, options, inputs)));
}

namespace {

StagedFeatures stage_features(io::Session& session, const RetailFeatureOptions& options) {
    validate(options);
    StepTimer timer;
    const RetailInputs inputs = locate_retail_inputs(options.data_dir);
    open_retail_inputs(session, inputs);
    const CampaignCheck campaign = check_campaign(session, inputs);
    if (campaign.missing_clients > 0) {
        log::warn("{} of {} campaign client(s) are not in '{}' and get no feature row (e.g. '{}')",
                  campaign.missing_clients, campaign.rows, inputs.clients.string(), campaign.missing_sample.front());
    }
    if (inputs.has_products()) check_products(session, inputs);
    const RecipeContext ctx = context_for(session, options, inputs);
    timer.done("input checks");

    const auto stage = [&](const char* staging) {
        const auto expanded = expand_recipe(staging, detail::recipe(staging), ctx);
        log::debug("features: {}:\n{}", staging, expanded.sql);
        try {
            session.execute(expanded.sql);
        } catch (const Error& e) {
            // The recipe's SQL is ours: a binder error here is our bug (1), a bad value the data's (3).
            const std::string message = e.what();
            throw_error(e.kind(), fmt::format("'{}': {}", options.data_dir.string(), message.substr(0, message.find('\n'))));
        }
        timer.done(staging);
    };
    stage("retail_clients");
    const HistorySource history = open_history(session, inputs, ctx.level_1);
    if (!history.derived) {
        // Missing is normal for tables made by other tools; a stale file means someone replaced a table.
        const std::string message = fmt::format("{}: computing transactions from every purchase line (slow on a "
                                                "long history; `upliftctl ingest` writes them once)",
                                                history.reason);
        history.missing ? log::info("{}", message) : log::warn("{}", message);
    }
    stage("retail_history");
    const auto recipes = expand_families(ctx);
    StagedFeatures out;
    out.manifest = manifest_of(recipes);
    const std::string query = final_query(recipes);
    log::debug("features: final query:\n{}", query);
    session.execute("CREATE OR REPLACE TEMP TABLE upl_features AS " + query);
    timer.done("feature families");
    check_columns(session.query("DESCRIBE upl_features").column("column_name").string_values(), out.manifest);
    session.execute(
        "DROP VIEW upl_trn; DROP TABLE upl_new_products; DROP TABLE upl_clients; DROP VIEW upl_transactions; "
        "DROP VIEW upl_product_firsts");

    out.stats.campaign_rows = campaign.rows;
    out.stats.missing_clients = campaign.missing_clients;
    out.stats.missing_sample = campaign.missing_sample;
    out.stats.products = inputs.has_products();
    const auto counts = session.query(
        "SELECT count(*) AS n_rows, count(*) FILTER (WHERE frequency_all = 0) AS without FROM upl_features");
    out.stats.rows = counts.column("n_rows").int64_values()[0];
    out.stats.without_purchases = counts.column("without").int64_values()[0];

    data::Roles roles;
    roles.id = "client_id";
    roles.treatment = "treatment_flg";
    roles.control = "0";
    roles.treatment_levels = {"1"};
    roles.outcome = "target";
    roles.outcome_type = data::OutcomeType::Binary;
    for (const auto& f : out.manifest) roles.features.push_back(f.name);
    auto& meta = out.metadata;
    data::store_roles(meta, roles);
    artifacts::store(meta, out.manifest);
    std::string windows;
    for (int w : options.windows) windows += fmt::format("{}{}", windows.empty() ? "" : ",", w);
    artifacts::store(meta, artifacts::provenance_of(
                               "features", inputs.files(history.derived),
                               {{"mode", "retail"},
                                {"history", history.derived ? "transactions.parquet, product_firsts.parquet"
                                                            : "purchases.parquet"},
                                {"cutoff", options.cutoff},
                                {"windows", windows},
                                {"campaign_rows", std::to_string(campaign.rows)},
                                {"campaign_clients_missing", std::to_string(campaign.missing_clients)}}));
    timer.done("input fingerprints");
    return out;
}

}  // namespace

RetailFeatures build_retail_features(io::Session& session, const RetailFeatureOptions& options) {
    StagedFeatures staged = stage_features(session, options);
    RetailFeatures out;
    out.table = session.query("SELECT * FROM upl_features");
    session.execute("DROP TABLE upl_features");
    out.table.metadata() = std::move(staged.metadata);
    out.manifest = std::move(staged.manifest);
    out.stats = std::move(staged.stats);
    return out;
}

RetailFeatures write_retail_features(io::Session& session, const RetailFeatureOptions& options,
                                     const std::filesystem::path& out_path, bool overwrite) {
    const std::filesystem::path& dir = options.data_dir;
    io::check_distinct_outputs({out_path}, {dir / "clients.parquet", dir / "purchases.parquet", dir / "campaign.parquet",
                                            dir / "products.parquet", dir / "transactions.parquet",
                                            dir / "product_firsts.parquet"});
    io::check_writable(out_path, overwrite, io::OutputShape::File);
    StagedFeatures staged = stage_features(session, options);
    StepTimer timer;
    io::write_session_table(session, "upl_features", out_path, staged.metadata, {.overwrite = overwrite});
    session.execute("DROP TABLE upl_features");
    timer.done("written");
    RetailFeatures out;
    out.manifest = std::move(staged.manifest);
    out.stats = std::move(staged.stats);
    return out;
}

}  // namespace uplift::features
