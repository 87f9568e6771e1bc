// upliftctl features: one model-ready row per client from an ingested flat dataset.

#include <fmt/format.h>

#include "commands.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/provenance.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/features/flat_encoding.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"

namespace upliftctl {

namespace {

struct FeaturesOptions {
    std::string input;
    std::string out;
    int max_levels = 20;
    bool list = false;
};

void print_manifest(const uplift::features::FeatureSpec& spec) {
    fmt::print("{:<32} {:<8} {:<20} {}\n", "name", "family", "source", "description");
    for (const auto& f : spec.manifest) fmt::print("{:<32} {:<8} {:<20} {}\n", f.name, f.family, f.source, f.description);
}

void run_features(const FeaturesOptions& o, const GlobalOptions& g) {
    if (!o.list && o.out.empty()) throw uplift::UsageError("features needs --out (or --list to only print the manifest)");
    if (!o.out.empty()) uplift::io::check_writable(o.out, g.overwrite);
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    const auto dataset = uplift::io::read_table(session, o.input);
    const auto roles = uplift::data::require_roles(dataset, o.input);
    if (dataset.metadata().contains(uplift::features::feature_spec_metadata_key)) {
        throw uplift::UsageError(fmt::format("'{}' already holds encoded features; pass the ingested dataset", o.input));
    }
    const auto spec = uplift::features::fit_flat_features(dataset, roles, {.max_levels = o.max_levels,
                                                                           .max_distinct_share = 0.5});
    if (o.list) print_manifest(spec);
    if (o.out.empty()) return;
    auto table = uplift::features::build_flat_features(dataset, roles, spec);
    uplift::Provenance provenance{"features", {o.input}, {{"max_levels", std::to_string(o.max_levels)}}};
    table.metadata()[uplift::data::provenance_metadata_key] = provenance.to_json();
    uplift::io::write_table(session, table, o.out, {.overwrite = g.overwrite});
    if (!o.list) {
        fmt::print("{} rows, {} features ({} numeric, {} one-hot from {} text columns) -> {}\n", table.num_rows(),
                   spec.manifest.size(), spec.numeric.size(), spec.manifest.size() - spec.numeric.size(),
                   spec.categorical.size(), o.out);
    }
}

}  // namespace

void register_features(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<FeaturesOptions>();
    auto* cmd = root.add_subcommand("features", "Turn an ingested dataset into model-ready features (one row per client)");
    cmd->add_option("-i,--input", o->input, "Dataset written by `upliftctl ingest`")->required();
    cmd->add_option("-o,--out", o->out, "Output features (.parquet or .csv)");
    cmd->add_option("--max-levels", o->max_levels,
                    "Text columns: one indicator per level for the most frequent N levels, the rest folded into "
                    "__other__")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_flag("--list", o->list, "Print the feature manifest (name, family, source, description) on stdout");
    add_global_options(*cmd, invocation.global, false);
    cmd->footer(help_footer("upliftctl features -i dataset.parquet -o features.parquet"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_features(*o, invocation.global); }; });
}

}  // namespace upliftctl
