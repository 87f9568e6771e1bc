// upliftctl features: one model-ready row per client, from an ingested flat dataset (-i) or from the
// retail tables of `ingest` retail mode (--data DIR --cutoff DATE [--population] [--like MODEL]).

#include <fmt/format.h>

#include <algorithm>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/flat_encoding.hpp"
#include "uplift/features/flat_stream.hpp"
#include "uplift/features/retail_features.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/gender_imputation.hpp"

namespace upliftctl {

namespace {

struct FeaturesOptions {
    std::string input;
    std::string out;
    int max_levels = 20;
    bool list = false;
    std::string data;
    std::string cutoff;
    std::string windows = "7,30,90,180";
    std::string memory_limit = "6GB";
    std::string population;
    std::string like;
    bool allow_outside_history = false;
    std::string impute_gender = "on";
    double impute_gender_min_f1 = uplift::model::default_min_f1;
    CLI::Option* min_f1_option = nullptr;
    CLI::Option* input_option = nullptr;
    CLI::Option* max_levels_option = nullptr;
    CLI::Option* cutoff_option = nullptr;
    CLI::Option* windows_option = nullptr;
};

void check_mode(const FeaturesOptions& o) {
    const bool retail = !o.data.empty();
    if (retail && o.input_option->count() > 0) throw uplift::UsageError("features takes either -i (flat dataset) or --data (retail tables), not both");
    if (!retail && o.input_option->count() == 0) throw uplift::UsageError("features needs -i DATASET (flat) or --data DIR --cutoff DATE (retail)");
    if (retail && o.cutoff_option->count() == 0) throw uplift::UsageError("features --data needs --cutoff YYYY-MM-DD (the campaign's first day)");
    if (retail && o.max_levels_option->count() > 0) throw uplift::UsageError("--max-levels applies to -i (flat datasets) only");
    if (!retail && (o.cutoff_option->count() + o.windows_option->count() > 0 || !o.population.empty() ||
                    !o.like.empty() || o.allow_outside_history || o.impute_gender != "on" ||
                    o.min_f1_option->count() > 0)) {
        throw uplift::UsageError("--cutoff, --windows, --population, --like, --allow-outside-history, "
                                 "--impute-gender and --impute-gender-min-f1 apply to --data (retail tables) only");
    }
    if (o.impute_gender == "off" && o.min_f1_option->count() > 0) {
        throw uplift::UsageError("--impute-gender-min-f1 gates the predicted genders; it does not apply to "
                                 "--impute-gender off");
    }
}

void print_retail_manifest(const std::vector<uplift::features::RetailFeature>& manifest) {
    fmt::print("{:<36} {:<8} {:<10} {}\n", "name", "family", "window", "description");
    for (const auto& f : manifest) fmt::print("{:<36} {:<8} {:<10} {}\n", f.name, f.family, f.window, f.description);
}

void run_retail_features(const FeaturesOptions& o, const GlobalOptions& g) {
    uplift::features::RetailFeatureOptions options;
    options.data_dir = o.data;
    options.cutoff = o.cutoff;
    options.windows = uplift::features::parse_windows(o.windows);
    if (!o.population.empty()) options.population = uplift::features::parse_population(o.population);
    options.like = o.like;
    options.allow_outside_history = o.allow_outside_history;
    uplift::artifacts::GenderImputation gender;
    const bool impute_gender = o.impute_gender == "on";
    if (impute_gender) {
        options.refine = uplift::model::gender_imputation_step(
            {.seed = g.seed, .threads = g.threads, .min_f1 = o.impute_gender_min_f1}, gender);
    }
    uplift::io::Session session({.threads = g.threads, .memory_limit = o.memory_limit});
    session.set_progress(progress_bar(g, "features", "‰ of the running step"));
    if (o.out.empty()) {
        print_retail_manifest(uplift::features::retail_feature_manifest(session, options));
        return;
    }
    const auto result = uplift::features::write_retail_features(session, options, o.out, g.overwrite);
    if (o.list) print_retail_manifest(result.manifest);
    const auto& s = result.stats;
    if (!o.list && !g.quiet) {  // -q: nothing on stdout on success (cron)
        fmt::print("{} clients, {} features, cutoff {} -> {}\n", s.rows, result.manifest.size(), o.cutoff, o.out);
        fmt::print("  population {}: {}\n", s.population,
                   s.outcomes ? "campaign outcomes (treatment_flg, target) included"
                              : "no treatment or target, for scoring only");
        fmt::print("  purchase history: {} to {}\n", s.first_purchase.empty() ? "none" : s.first_purchase,
                   s.last_purchase.empty() ? "none" : s.last_purchase);
        fmt::print("  without purchases before the cutoff: {}\n", s.without_purchases);
        fmt::print("  population ids not in clients.parquet (left out): {}\n", s.missing_clients);
        if (!o.like.empty()) {
            fmt::print("  like {}: {} categories folded into __other__ ({} clients), {} set to 0\n", o.like,
                       s.folded.size(), s.folded_rows, s.zeroed.size());
        }
        if (!s.products) fmt::print("  no products.parquet: product-mix shares left out\n");
        if (impute_gender) {
            fmt::print("  gender: {} known, {} predicted (gender_imputed), cross-validated F1 {}{}\n", gender.known,
                       gender.imputed, gender.cv_f1 ? fmt::format("{:.3f}", *gender.cv_f1) : "none (too few known)",
                       gender.applied || !gender.cv_f1
                           ? ""
                           : fmt::format(", below --impute-gender-min-f1 {}: none imputed", o.impute_gender_min_f1));
        }
    }
}

void print_manifest(const uplift::features::FeatureSpec& spec) {
    fmt::print("{:<32} {:<8} {:<20} {}\n", "name", "family", "source", "description");
    for (const auto& f : spec.manifest) fmt::print("{:<32} {:<8} {:<20} {}\n", f.name, f.family, f.source, f.description);
}

void run_features(const FeaturesOptions& o, const GlobalOptions& g) {
    check_mode(o);
    if (!o.data.empty()) {
        if (!o.list && o.out.empty()) throw uplift::UsageError("features needs --out (or --list to only print the manifest)");
        run_retail_features(o, g);
        return;
    }
    if (!o.list && o.out.empty()) throw uplift::UsageError("features needs --out (or --list to only print the manifest)");
    if (!o.out.empty()) {
        uplift::io::check_distinct_outputs({o.out}, {o.input});
        uplift::io::check_writable(o.out, g.overwrite, uplift::io::OutputShape::File);
    }
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    session.set_progress(progress_bar(g, "features", "‰ of the running step"));
    // Fingerprinted once the input has been read: a missing file is named by the reader first.
    const auto provenance = [&] {
        return uplift::artifacts::provenance_of("features", {o.input}, {{"max_levels", std::to_string(o.max_levels)}});
    };
    const auto print_summary = [&](std::size_t rows, const uplift::features::FeatureSpec& spec) {
        if (!o.list && !g.quiet) {  // -q: nothing on stdout on success (cron)
            fmt::print("{} rows, {} features ({} numeric, {} one-hot from {} text columns) -> {}\n", rows,
                       spec.manifest.size(), spec.numeric.size(), spec.manifest.size() - spec.numeric.size(),
                       spec.categorical.size(), o.out);
        }
    };
    {
        // Numbers only (no text column to count levels of): DuckDB writes the features straight from the file.
        const auto schema = uplift::io::read_schema(session, o.input);
        const auto roles = uplift::data::require_roles(schema, o.input);
        if (schema.metadata().contains(uplift::artifacts::feature_spec_key)) {
            throw uplift::UsageError(
                fmt::format("'{}' already holds encoded features; pass the ingested dataset", o.input));
        }
        const bool all_numbers = std::none_of(roles.features.begin(), roles.features.end(), [&](const auto& name) {
            const auto* c = schema.find(name);
            return c == nullptr || c->type() == uplift::io::ColumnType::String;
        });
        if (all_numbers) {
            const auto spec = uplift::features::fit_flat_features(schema, roles, {.max_levels = o.max_levels});
            if (uplift::features::can_stream_flat_features(o.input, schema, spec)) {
                if (o.list) print_manifest(spec);
                if (o.out.empty()) return;
                auto metadata = uplift::features::flat_features_metadata(schema.metadata(), roles, spec);
                uplift::artifacts::store(metadata, provenance());
                const std::size_t rows = uplift::features::write_flat_features_streaming(
                    session, o.input, schema, roles, spec, metadata, o.out, g.overwrite);
                print_summary(rows, spec);
                return;
            }
        }
    }
    const auto dataset = uplift::io::read_table(session, o.input);
    const auto roles = uplift::data::require_roles(dataset, o.input);
    const auto spec = uplift::features::fit_flat_features(dataset, roles, {.max_levels = o.max_levels,
                                                                           .max_distinct_share = 0.5});
    if (o.list) print_manifest(spec);
    if (o.out.empty()) return;
    auto table = uplift::features::build_flat_features(dataset, roles, spec);
    uplift::artifacts::store(table.metadata(), provenance());
    uplift::io::write_table(session, table, o.out, {.overwrite = g.overwrite});
    print_summary(table.num_rows(), spec);
}

}  // namespace

void register_features(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<FeaturesOptions>();
    auto* cmd = root.add_subcommand("features", "Turn an ingested dataset into model-ready features (one row per client)");
    o->input_option = cmd->add_option("-i,--input", o->input, "Flat dataset written by `upliftctl ingest`");
    cmd->add_option("--data", o->data, "Retail mode: folder of tables written by `upliftctl ingest` retail mode "
                                       "(clients, purchases, optional campaign and products .parquet)");
    o->cutoff_option = cmd->add_option("--cutoff", o->cutoff,
                                       "Retail mode: YYYY-MM-DD, the campaign's first day; only purchases before it "
                                       "are history");
    o->windows_option = cmd->add_option("--windows", o->windows, "Retail mode: windows in days before the cutoff")
                            ->capture_default_str();
    cmd->add_option("--population", o->population,
                    "Retail mode: whose rows: campaign (its clients, with treatment and target; the default when "
                    "the folder has campaign.parquet), all (every client issued a card before the cutoff; the "
                    "default without a campaign) or FILE (.csv or .parquet with a client_id column). All but a "
                    "campaign with outcomes are for scoring only");
    cmd->add_option("--like", o->like,
                    "Retail mode: a model folder; build exactly its features in its order (categories it never "
                    "saw fold into its __other__ column, those it knew and the data lacks are 0)");
    cmd->add_flag("--allow-outside-history", o->allow_outside_history,
                  "Retail mode: build even when the cutoff is more than 365 days after the last purchase or no "
                  "client of the population has a purchase before it");
    cmd->add_option("--impute-gender", o->impute_gender,
                    "Retail mode: predict the gender of clients whose gender is missing or U from their purchases "
                    "(XGBoost, cross-fitted over 5 folds seeded by --seed) and add the gender_imputed flag")
        ->check(CLI::IsMember({"on", "off"}))
        ->capture_default_str();
    o->min_f1_option = cmd->add_option("--impute-gender-min-f1", o->impute_gender_min_f1,
                                       "Retail mode: impute no gender when the cross-validated F1 on the known "
                                       "clients is below F (a warning says so)")
                           ->check(CLI::Range(0.0, 1.0))
                           ->capture_default_str();
    cmd->add_option("--memory-limit", o->memory_limit, "Retail mode: DuckDB memory limit (it spills to disk beyond)")
        ->capture_default_str();
    cmd->add_option("-o,--out", o->out, "Output features (.parquet or .csv)");
    o->max_levels_option = cmd->add_option("--max-levels", o->max_levels,
                    "Text columns: one indicator per level for the most frequent N levels, the rest folded into "
                    "__other__")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_flag("--list", o->list,
                  "Print the feature manifest on stdout (flat: name, family, source, description; retail: name, "
                  "family, window, description)");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl features -i dataset.parquet -o features.parquet\n"
                            "  upliftctl features --data dataset/ --cutoff 2019-03-19 -o features.parquet\n"
                            "  upliftctl features --data april/ --cutoff 2019-04-19 --population all --like model "
                            "-o to_score.parquet"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_features(*o, invocation.global); }; });
}

}  // namespace upliftctl
