#include "uplift/features/retail_features.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/retail_alignment.hpp"
#include "uplift/features/retail_derived.hpp"
#include "uplift/features/retail_history_checks.hpp"
#include "uplift/features/retail_inputs.hpp"
#include "uplift/features/retail_population.hpp"
#include "uplift/features/retail_recipes.hpp"
#include "uplift/features/retail_template.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/temporal.hpp"

namespace uplift::features {

namespace {

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

/// The category keys among a model's features (level_1_share_<key>, the fold-in column left out).
std::set<std::string> model_category_keys(const std::vector<std::string>& model) {
    std::set<std::string> out;
    const std::string prefix = category_family_prefixes[0];
    for (const auto& f : model) {
        const std::string other = category_other_column(f);
        if (!other.empty() && f != other && other.starts_with(prefix)) out.insert(f.substr(prefix.size()));
    }
    return out;
}

/// `model`: the features of the --like model; the categories it knows get a column whatever their rank here.
RecipeContext context_for(io::Session& session, const RetailFeatureOptions& o, const RetailInputs& inputs,
                          const std::vector<std::string>& model = {}) {
    RecipeContext ctx;
    ctx.cutoff = fmt::format("TIMESTAMP '{} 00:00:00'", o.cutoff);
    ctx.cutoff_date = fmt::format("DATE '{}'", o.cutoff);
    ctx.windows = o.windows;
    ctx.products = inputs.has_products();
    if (ctx.products) ctx.level_1 = top_level_1(session, o.max_level_1, model_category_keys(model));
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

/// The columns before the features: the id, and the campaign's outcomes when the population has them.
std::vector<std::string> key_columns(bool outcomes) {
    if (outcomes) return {"client_id", "treatment_flg", "target"};
    return {"client_id"};
}

/// One SELECT joining every family's per-client row to the population's columns, ordered by client id.
std::string final_query(const std::vector<ExpandedRecipe>& recipes, bool outcomes) {
    std::string select = outcomes ? "SELECT c.client_id, c.treatment_flg, c.target" : "SELECT c.client_id";
    std::string from = "FROM upl_clients c";
    for (std::size_t i = 0; i < recipes.size(); ++i) {
        select += fmt::format(", f{}.* EXCLUDE (client_id)", i);
        from += fmt::format("\nJOIN (\n{}\n) f{} ON f{}.client_id = c.client_id", recipes[i].sql, i, i);
    }
    return fmt::format("{}\n{}\nORDER BY c.client_id", select, from);
}

/// The recipes' declared features must be exactly the columns DuckDB returned: a mismatch is a recipe bug
/// that would give the manifest and the file different stories.
void check_columns(const std::vector<std::string>& columns, const std::vector<RetailFeature>& manifest, bool outcomes) {
    std::vector<std::string> expected = key_columns(outcomes);
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
    StepTimer timer("features");
    const RetailInputs inputs = locate_retail_inputs(options.data_dir);
    open_retail_inputs(session, inputs);
    const std::vector<std::string> model = options.like.empty() ? std::vector<std::string>{} : model_features(options.like);
    RecipeContext ctx = context_for(session, options, inputs, model);
    const Population population = options.population.value_or(default_population(inputs));
    const PopulationCheck checked = stage_population(session, inputs, population, ctx.cutoff);
    ctx.outcomes = checked.outcomes;
    if (checked.missing_clients > 0) {
        log::warn("{} of {} client id(s) of the population ({}) are not in '{}' and get no feature row (e.g. '{}')",
                  checked.missing_clients, checked.rows, population.name(), inputs.clients.string(),
                  checked.missing_sample.front());
    }
    if (inputs.has_products()) check_products(session, inputs);
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
    const HistoryRange range = check_cutoff(session, options.cutoff, max_days_after_history,
                                            options.allow_outside_history, options.data_dir.string());
    stage("retail_history");
    const auto recipes = expand_families(ctx);
    StagedFeatures out;
    out.manifest = manifest_of(recipes);
    const std::string query = final_query(recipes, ctx.outcomes);
    log::debug("features: final query:\n{}", query);
    session.execute("CREATE OR REPLACE TEMP TABLE upl_features AS " + query);
    timer.done("feature families");
    check_columns(session.query("DESCRIBE upl_features").column("column_name").string_values(), out.manifest,
                  ctx.outcomes);
    if (options.refine) {
        StagedTable staged{session, "upl_features", out.manifest, out.metadata};
        options.refine(staged);
        check_columns(session.query("DESCRIBE upl_features").column("column_name").string_values(), out.manifest,
                      ctx.outcomes);
        timer.done("refined");
    }
    // Counted before the alignment, which may leave frequency_all out (a model that does not use it).
    const auto counts = session.query(
        "SELECT count(*) AS n_rows, count(*) FILTER (WHERE frequency_all = 0) AS without FROM upl_features");
    out.stats.rows = counts.column("n_rows").int64_values()[0];
    out.stats.without_purchases = counts.column("without").int64_values()[0];
    if (!model.empty()) {
        auto aligned = align_session_table(session, "upl_features", key_columns(ctx.outcomes), out.manifest, model,
                                           options.like);
        out.manifest = std::move(aligned.manifest);
        out.stats.folded = std::move(aligned.folded);
        out.stats.folded_rows = aligned.folded_rows;
        out.stats.zeroed = std::move(aligned.zeroed);
        if (!out.stats.folded.empty()) {
            log::warn("{} product categor{} model '{}' never saw ({}) fold into its level_1_share___other__: {} of "
                      "the clients spent on them",
                      out.stats.folded.size(), out.stats.folded.size() == 1 ? "y" : "ies", options.like.string(),
                      fmt::join(out.stats.folded, ", "), out.stats.folded_rows);
        }
        if (!out.stats.zeroed.empty()) {
            log::warn("{} product categor{} model '{}' knew {} not in this catalogue: {} set to 0 ({})",
                      out.stats.zeroed.size(), out.stats.zeroed.size() == 1 ? "y" : "ies", options.like.string(),
                      out.stats.zeroed.size() == 1 ? "is" : "are", out.stats.zeroed.size() == 1 ? "its share" : "their shares",
                      fmt::join(out.stats.zeroed, ", "));
        }
        if (!aligned.unplaced.empty()) {
            log::warn("model '{}' has no level_1_share___other__ column (trained by an older upliftctl; retrain it): "
                      "{} categor{} it never saw left out ({})",
                      options.like.string(), aligned.unplaced.size(), aligned.unplaced.size() == 1 ? "y" : "ies",
                      fmt::join(aligned.unplaced, ", "));
        }
        timer.done("aligned with the model");
    }
    session.execute(
        "DROP VIEW upl_trn; DROP TABLE upl_new_products; DROP TABLE upl_clients; DROP VIEW upl_transactions; "
        "DROP VIEW upl_product_firsts; DROP VIEW upl_population");

    out.stats.population = population.name();
    out.stats.outcomes = checked.outcomes;
    out.stats.population_rows = checked.rows;
    out.stats.missing_clients = checked.missing_clients;
    out.stats.missing_sample = checked.missing_sample;
    out.stats.products = inputs.has_products();
    out.stats.first_purchase = range.first;
    out.stats.last_purchase = range.last;
    out.stats.days_after_history = range.days_after_last;
    check_history_coverage(out.stats.rows, out.stats.without_purchases, range, options.cutoff,
                           options.allow_outside_history);

    data::Roles roles;
    roles.id = "client_id";
    if (checked.outcomes) {
        roles.treatment = "treatment_flg";
        roles.control = "0";
        roles.treatment_levels = {"1"};
        roles.outcome = "target";
        roles.outcome_type = data::OutcomeType::Binary;
    } else {
        roles.scoring_only = true;  // no treatment, no target: `train` refuses it, `score` takes it
    }
    for (const auto& f : out.manifest) roles.features.push_back(f.name);
    auto& meta = out.metadata;
    data::store_roles(meta, roles);
    artifacts::store(meta, out.manifest);
    std::string windows;
    for (int w : options.windows) windows += fmt::format("{}{}", windows.empty() ? "" : ",", w);
    std::vector<std::filesystem::path> files = inputs.files(history.derived);
    if (population.kind == PopulationKind::File) files.push_back(population.file);
    std::map<std::string, std::string> parameters{
        {"mode", "retail"},
        {"history", history.derived ? "transactions.parquet, product_firsts.parquet" : "purchases.parquet"},
        {"cutoff", options.cutoff},
        {"windows", windows},
        {"population", population.kind == PopulationKind::File ? population.file.filename().string() : population.name()},
        {"population_rows", std::to_string(checked.rows)},
        {"population_clients_missing", std::to_string(checked.missing_clients)}};
    if (!options.like.empty()) {
        parameters["like"] = options.like.filename().string();
        parameters["categories_folded"] = std::to_string(out.stats.folded.size());
        parameters["categories_zeroed"] = std::to_string(out.stats.zeroed.size());
    }
    artifacts::store(meta, artifacts::provenance_of("features", files, std::move(parameters)));
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
                                            dir / "product_firsts.parquet",
                                            options.population && options.population->kind == PopulationKind::File
                                                ? options.population->file
                                                : std::filesystem::path()});
    io::check_writable(out_path, overwrite, io::OutputShape::File);
    StagedFeatures staged = stage_features(session, options);
    StepTimer timer("features");
    io::write_session_table(session, "upl_features", out_path, staged.metadata, {.overwrite = overwrite});
    session.execute("DROP TABLE upl_features");
    timer.done("written");
    RetailFeatures out;
    out.manifest = std::move(staged.manifest);
    out.stats = std::move(staged.stats);
    return out;
}

}  // namespace uplift::features
