// upliftctl ingest: check and type a flat experiment table (or, in retail mode, the clients / purchases /
// products / campaign files); write the typed data, its rejects and a summary.

#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/data/ingest_flat.hpp"
#include "uplift/features/retail_ingest.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/table_writer.hpp"
#include "uplift/io/table_io.hpp"

namespace upliftctl {

namespace {

struct IngestOptions {
    std::string input;
    std::string out;
    std::string rejects;
    std::string summary;
    std::string treatment;
    std::string control;
    std::string outcome;
    std::string id;
    std::vector<std::string> treatment_levels;
    std::vector<std::string> features;
    std::vector<std::string> drop;
    std::string outcome_type;
    std::string max_reject_rate = "1%";
    double reject_rate = 0.01;  ///< max_reject_rate parsed at parse time, so a bad value is a usage error
    std::string id_type = "text";
    bool trim_ids = false;
    CsvFlags csv;
    bool json = false;
    // retail mode
    std::string clients;
    std::string purchases;
    std::string products;
    std::string campaign;
};

void run_retail_ingest(const IngestOptions& o, const GlobalOptions& g) {
    uplift::data::RetailIngestOptions options;
    options.clients = o.clients;
    options.purchases = o.purchases;
    options.products = o.products;
    options.campaign = o.campaign;
    options.out = o.out;
    options.max_reject_rate = o.reject_rate;
    options.overwrite = g.overwrite;
    uplift::io::check_distinct_outputs({options.out}, {o.clients, o.purchases, o.products, o.campaign});
    uplift::io::check_writable(options.out, g.overwrite, uplift::io::OutputShape::Folder);

    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    session.set_progress(progress_bar(g, "ingest", "‰ of the running step"));
    const auto summary = uplift::features::ingest_retail(session, options);
    if (g.quiet && !o.json) return;  // -q: nothing on stdout on success, unless --json asks
    fmt::print("{}", o.json ? uplift::artifacts::to_json(summary)
                            : uplift::data::to_text(summary) + fmt::format("output     {}\n", o.out));
}

/// `<out without extension>.<suffix>`, beside the output.
std::filesystem::path beside(const std::string& out, const std::string& suffix) {
    std::filesystem::path p(out);
    return p.parent_path() / (p.stem().string() + suffix);
}

void run_ingest(const IngestOptions& o, const GlobalOptions& g) {
    uplift::data::FlatIngestOptions options;
    options.input = o.input;
    options.treatment = o.treatment;
    options.control = o.control;
    options.outcome = o.outcome;
    options.id = o.id;
    options.treatment_levels = o.treatment_levels;
    options.features = o.features;
    options.drop = o.drop;
    if (!o.outcome_type.empty()) options.outcome_type = uplift::data::outcome_type_from_string(o.outcome_type);
    options.max_reject_rate = o.reject_rate;
    options.id_type = uplift::data::id_type_from_string(o.id_type);
    options.trim_ids = o.trim_ids;
    options.csv = o.csv.dialect();

    const auto rejects_path = o.rejects.empty() ? beside(o.out, ".rejects.csv") : std::filesystem::path(o.rejects);
    const auto summary_path = o.summary.empty() ? beside(o.out, ".ingest.json") : std::filesystem::path(o.summary);
    uplift::io::check_distinct_outputs({o.out, rejects_path, summary_path}, {o.input});
    for (const auto& p : {std::filesystem::path(o.out), rejects_path, summary_path}) {
        uplift::io::check_writable(p, g.overwrite, uplift::io::OutputShape::File);
    }

    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    session.set_progress(progress_bar(g, "ingest", "‰ of the running step"));
    // The dataset streams to its file while the rows are checked (ingest_flat_streamed): memory stays bounded
    // whatever the row count.
    uplift::io::TableWriter dataset_out(o.out, {.overwrite = g.overwrite, .threads = g.threads});
    const auto result = uplift::data::ingest_flat_streamed(
        session, options, [&](uplift::io::Table&& chunk) { dataset_out.append(std::move(chunk)); },
        [&] { dataset_out.restart(); }, uplift::data::ingest_chunk_rows);
    // The three appear together or not at all: a full disk on the dataset must not leave its rejects behind.
    uplift::io::AtomicOutput rejects_out(rejects_path, g.overwrite);
    uplift::io::AtomicOutput summary_out(summary_path, g.overwrite);
    uplift::io::write_table(session, result.rejects, rejects_out);
    uplift::io::write_file(summary_out.temp_path(), uplift::artifacts::to_json(result.summary), summary_path);
    uplift::StepTimer timer("ingest");
    dataset_out.write(result.dataset_metadata);
    timer.done("dataset, rejects and summary written");
    rejects_out.commit();
    summary_out.commit();
    dataset_out.commit();
    if (g.quiet && !o.json) return;  // -q: nothing on stdout on success, unless --json asks
    fmt::print("{}", o.json ? uplift::artifacts::to_json(result.summary)
                            : uplift::data::to_text(result.summary) + fmt::format("dataset        {}\nrejects        {}\n"
                                                                     "summary        {}\n",
                                                                     o.out, rejects_path.string(),
                                                                     summary_path.string()));
}

}  // namespace

void register_ingest(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<IngestOptions>();
    auto* cmd = root.add_subcommand(
        "ingest", "Check and type a flat experiment table (features, treatment, outcome), or the retail tables "
                  "(--clients, --purchases, [--products], [--campaign]) into a folder of Parquet tables");
    cmd->add_option("-i,--input", o->input, "Input table (.csv or .parquet); flat mode");
    cmd->add_option("-o,--out", o->out, "Output dataset (.parquet or .csv); in retail mode the output folder")
        ->required();
    cmd->add_option("--treatment", o->treatment, "Treatment column (text levels)");
    cmd->add_option("--control", o->control, "The treatment level meaning \"no offer\"");
    cmd->add_option("--outcome", o->outcome, "Outcome column: 0/1 (conversion) or a number (spend)");
    cmd->add_option("--id", o->id, "Client id column (default: a row id is added, the data row number)");
    cmd->add_option("--id-type", o->id_type,
                    "How --id is read: text keeps every byte (\"01\" and \"1\" are two clients), integer reads a "
                    "whole number")
        ->check(CLI::IsMember({"text", "integer"}))
        ->capture_default_str();
    cmd->add_flag("--trim-ids", o->trim_ids, "Strip spaces and tabs around ids (kept by default)");
    cmd->add_option("--treatment-level", o->treatment_levels,
                    "Keep only this treated level against control (repeatable); rows of other arms are excluded "
                    "and counted");
    cmd->add_option("--features", o->features, "Use only these columns as features (comma-separated)")
        ->delimiter(',');
    cmd->add_option("--drop", o->drop,
                    "Columns that must not be features, e.g. other outcomes that would leak (comma-separated)")
        ->delimiter(',');
    cmd->add_option("--outcome-type", o->outcome_type, "binary or continuous (default: detected)")
        ->check(CLI::IsMember({"binary", "continuous"}));
    cmd->add_option("--max-reject-rate", o->max_reject_rate,
                    "Fail when more rows than this are unusable (fraction or percentage; retail mode: per table)")
        ->capture_default_str();
    add_csv_flags(*cmd, o->csv, "CSV input");
    cmd->add_option("--rejects", o->rejects, "Rejects file (default: <out>.rejects.csv beside the output)");
    cmd->add_option("--summary", o->summary, "Summary JSON (default: <out>.ingest.json beside the output)");
    cmd->add_flag("--json", o->json, "Print the summary as JSON on stdout");
    cmd->add_option("--clients", o->clients, "Retail mode: clients table (.csv or .parquet, see docs/ingest.md)");
    cmd->add_option("--purchases", o->purchases, "Retail mode: purchase lines table");
    cmd->add_option("--products", o->products, "Retail mode: products table (optional)");
    cmd->add_option("--campaign", o->campaign, "Retail mode: campaign table (client_id, treatment_flg, target); optional, and "
                    "without treatment_flg and target it is a client list for scoring only");
    add_global_options(*cmd, invocation.global, false);
    cmd->footer(help_footer("upliftctl ingest -i hillstrom.csv -o dataset.parquet --treatment segment "
                            "--control \"No E-Mail\" --outcome visit --treatment-level \"Womens E-Mail\" --drop conversion,spend"
                            "\n  upliftctl ingest --clients clients.csv --purchases purchases.csv --products "
                            "products.csv --campaign campaign.csv --out retail"));
    cmd->callback([o, cmd, &invocation] {
        const auto flat = given(*cmd, {"--input", "--treatment", "--control", "--outcome", "--id", "--treatment-level",
                                       "--features", "--drop", "--outcome-type", "--rejects", "--summary",
                                       "--id-type", "--trim-ids", "--delimiter", "--decimal", "--na-values",
                                       "--encoding"});
        const auto retail = given(*cmd, {"--clients", "--purchases", "--products", "--campaign"});
        if (!flat.empty() && !retail.empty()) {
            throw CLI::ValidationError(fmt::format("ingest: {} (flat mode) cannot be combined with {} (retail mode)",
                                                   fmt::join(flat, ", "), fmt::join(retail, ", ")));
        }
        const bool is_retail = !retail.empty();
        // Each mode's required flags, checked at parse time like CLI11's own ->required().
        const auto require = [&](std::initializer_list<const char*> flags, const std::string& what) {
            for (const char* f : flags) {
                if (cmd->count(f) == 0) throw CLI::ValidationError(fmt::format("ingest needs {}; {} is missing", what, f));
            }
        };
        if (is_retail) {
            require({"--clients", "--purchases"},
                    "--clients, --purchases and --out DIR in retail mode (--products and --campaign are optional)");
        } else {
            require({"--input", "--treatment", "--control", "--outcome"},
                    "-i/--input, --treatment, --control and --outcome (flat mode), or --clients, --purchases, "
                    "--campaign (retail mode)");
        }
        try {
            o->reject_rate = parse_fraction(o->max_reject_rate, "--max-reject-rate");
        } catch (const uplift::UsageError& e) {  // only CLI11's own errors leave parse() for main's handler
            throw CLI::ValidationError(e.what());
        }
        invocation.run = [o, is_retail, &invocation] {
            is_retail ? run_retail_ingest(*o, invocation.global) : run_ingest(*o, invocation.global);
        };
    });
}

}  // namespace upliftctl
