// upliftctl simulate: X5-RetailHero-shaped retail tables with a known treatment effect per client.

#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/simulate/simulate.hpp"

namespace upliftctl {

namespace {

struct SimulateCliOptions {
    std::uint64_t clients = 0;
    std::string out;
    std::string format = "csv";
    std::string cutoff = "2019-03-19";
    bool json = false;
};

void run_simulate(const SimulateCliOptions& c, const GlobalOptions& g) {
    uplift::simulate::SimulateOptions o;
    o.clients = c.clients;
    o.out = c.out;
    o.seed = g.seed;
    o.format = c.format == "parquet" ? uplift::simulate::TableFormat::Parquet : uplift::simulate::TableFormat::Csv;
    o.threads = g.threads;
    o.overwrite = g.overwrite;
    o.cutoff = uplift::simulate::parse_cutoff(c.cutoff, "--cutoff");
    o.progress = progress_bar(g, "simulate", "blocks");
    const auto r = uplift::simulate::simulate_retail(o);
    if (c.json) {
        fmt::print("{}", r.summary_json);
        return;
    }
    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    const auto& n = r.counts;
    const auto& d = n.dirty;
    fmt::print("clients        {} rows ({} clients, {} duplicate ids, {} bad dates)\n", n.client_rows, n.clients,
               d.clients_duplicate_id, d.clients_bad_date);
    fmt::print("products       {} rows\n", r.products);
    fmt::print("purchases      {} rows ({} transactions; {} bad dates, {} negative sums, {} rows of {} unknown clients)\n",
               n.purchase_rows, n.transactions, d.purchases_bad_datetime, d.purchases_negative_sum, d.purchases_orphan,
               d.orphan_clients);
    fmt::print("campaign       {} rows ({} treated, {} targets)\n", n.clients, n.treated, n.targets);
    fmt::print("cutoff         {} (pass to features --cutoff)\n", c.cutoff);
    fmt::print("written        {}/\n", c.out);
}

}  // namespace

void register_simulate(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<SimulateCliOptions>();
    auto* cmd = root.add_subcommand("simulate",
                                    "Write X5-RetailHero-shaped retail tables with a known uplift per client");
    cmd->add_option("--clients", o->clients, "Number of clients (X5 has 400000: about 45 million purchase lines)")
        ->required()
        ->check(CLI::Range(std::uint64_t{1}, uplift::simulate::max_clients));
    cmd->add_option("-o,--out", o->out,
                    "Output folder: clients, products, purchases, campaign, truth.csv, simulate.json")
        ->required();
    cmd->add_option("--format", o->format, "Table format: csv or parquet (truth.csv stays CSV)")
        ->check(CLI::IsMember({"csv", "parquet"}))
        ->capture_default_str();
    cmd->add_option("--cutoff", o->cutoff, "Campaign start: the history ends the day before (YYYY-MM-DD)")
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "Print simulate.json on stdout instead of the summary");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl simulate --clients 400000 --out retail --seed 7"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_simulate(*o, invocation.global); }; });
}

}  // namespace upliftctl
