// upliftctl simulate: X5-RetailHero-shaped retail tables with a known treatment effect per client; with --months a
// series of monthly campaigns on one client base (--continue adds a month), and --outcomes-for a plan's outcomes.

#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/outcomes.hpp"
#include "uplift/simulate/series.hpp"
#include "uplift/simulate/simulate.hpp"

namespace upliftctl {

namespace {

namespace sim = uplift::simulate;

struct SimulateCliOptions {
    std::uint64_t clients = 0;
    std::string out;
    std::string format = "csv";
    std::string cutoff = "2019-03-19";
    bool json = false;
    int months = 0;
    std::uint64_t new_clients = 0;
    std::vector<std::string> drift;
    int drift_from_month = 0;
    std::string continue_dir;
    std::string outcomes_for;
    std::string truth;
};

void print_counts(const sim::BlockCounts& n, std::int64_t products) {
    const auto& d = n.dirty;
    fmt::print("clients        {} rows ({} clients, {} duplicate ids, {} bad dates)\n", n.client_rows, n.clients,
               d.clients_duplicate_id, d.clients_bad_date);
    fmt::print("products       {} rows\n", products);
    fmt::print("purchases      {} rows ({} transactions; {} bad dates, {} negative sums, {} rows of {} unknown clients)\n",
               n.purchase_rows, n.transactions, d.purchases_bad_datetime, d.purchases_negative_sum, d.purchases_orphan,
               d.orphan_clients);
    fmt::print("campaign       {} rows ({} treated, {} targets)\n", n.clients, n.treated, n.targets);
}

void print_month(const sim::MonthResult& m, const std::string& dir, const GlobalOptions& g) {
    if (g.quiet) return;
    fmt::print("{}/{}  cutoff {}, {} clients ({} new, {} switched to discount-seekers), {} purchase rows, {} targets\n",
               dir, sim::month_folder(m.month), uplift::io::format_date(m.cutoff), m.counts.clients,
               m.counts.new_clients, m.counts.switched, m.counts.purchase_rows, m.counts.targets);
}

void run_series(const SimulateCliOptions& c, const GlobalOptions& g) {
    sim::SeriesOptions o;
    o.clients = c.clients;
    o.new_clients = c.new_clients;
    o.months = c.months;
    o.out = c.out;
    o.seed = g.seed;
    o.format = c.format == "parquet" ? sim::TableFormat::Parquet : sim::TableFormat::Csv;
    o.threads = g.threads;
    o.overwrite = g.overwrite;
    o.first_cutoff = sim::parse_cutoff(c.cutoff, "--cutoff");
    for (const auto& d : c.drift) sim::parse_drift(d, o.drift);
    o.drift.from_month = c.drift_from_month;
    o.progress = progress_bar(g, "simulate", "blocks");
    const auto months = sim::simulate_series(o);
    if (c.json) {
        fmt::print("{}", months.back().summary_json);
        return;
    }
    for (const auto& m : months) print_month(m, c.out, g);
}

void run_simulate(const SimulateCliOptions& c, const GlobalOptions& g) {
    if (!c.outcomes_for.empty()) {
        const auto r = sim::draw_outcomes({.plan = c.outcomes_for, .truth = c.truth, .out = c.out, .seed = g.seed,
                                           .overwrite = g.overwrite});
        if (!g.quiet) {
            fmt::print("outcomes       {} rows ({},target): {} contacted, {} held out, {} targets\n", r.clients,
                       r.id_column, r.contacted, r.held_out, r.targets);
        }
        return;
    }
    if (!c.continue_dir.empty()) {
        const auto m = sim::continue_series(c.continue_dir, g.threads, progress_bar(g, "simulate", "blocks"));
        if (c.json) {
            fmt::print("{}", m.summary_json);
            return;
        }
        print_month(m, c.continue_dir, g);
        return;
    }
    if (c.months > 0) return run_series(c, g);
    sim::SimulateOptions o;
    o.clients = c.clients;
    o.out = c.out;
    o.seed = g.seed;
    o.format = c.format == "parquet" ? sim::TableFormat::Parquet : sim::TableFormat::Csv;
    o.threads = g.threads;
    o.overwrite = g.overwrite;
    o.cutoff = sim::parse_cutoff(c.cutoff, "--cutoff");
    o.progress = progress_bar(g, "simulate", "blocks");
    const auto r = sim::simulate_retail(o);
    if (c.json) {
        fmt::print("{}", r.summary_json);
        return;
    }
    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    print_counts(r.counts, r.products);
    fmt::print("cutoff         {} (pass to features --cutoff)\n", c.cutoff);
    fmt::print("written        {}/\n", c.out);
}

/// Which of the three forms was asked for; flags of one form with another's are a usage error.
void check_form(const CLI::App& cmd, const SimulateCliOptions& o) {
    const auto fail = [](const std::string& m) { throw CLI::ValidationError("simulate: " + m); };
    const auto series = given(cmd, {"--new-clients", "--drift", "--drift-from-month"});
    if (cmd.count("--outcomes-for") > 0) {
        const auto other = given(cmd, {"--clients", "--months", "--new-clients", "--drift", "--drift-from-month",
                                       "--format", "--cutoff", "--continue", "--json"});
        if (!other.empty()) fail(fmt::format("--outcomes-for cannot be combined with {}", fmt::join(other, ", ")));
        if (cmd.count("--truth") == 0 || cmd.count("--out") == 0) fail("--outcomes-for needs --truth FILE and -o FILE.csv");
        return;
    }
    if (cmd.count("--truth") > 0) fail("--truth goes with --outcomes-for PLAN");
    if (cmd.count("--continue") > 0) {
        const auto other = given(cmd, {"--clients", "--months", "--new-clients", "--drift", "--drift-from-month",
                                       "--format", "--cutoff", "--seed", "--out", "--overwrite"});
        if (!other.empty()) {
            fail(fmt::format("--continue takes the series' parameters from its month-01/simulate.json; {} cannot be "
                             "given with it", fmt::join(other, ", ")));
        }
        return;
    }
    if (cmd.count("--clients") == 0 || cmd.count("--out") == 0) fail("--clients N and -o DIR are required");
    if (o.months == 0 && !series.empty()) fail(fmt::format("{} needs --months K", fmt::join(series, ", ")));
}

}  // namespace

void register_simulate(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<SimulateCliOptions>();
    auto* cmd = root.add_subcommand("simulate",
                                    "Write X5-RetailHero-shaped retail tables with a known uplift per client");
    cmd->add_option("--clients", o->clients, "Number of clients (X5 has 400000: about 45 million purchase lines)")
        ->check(CLI::Range(std::uint64_t{1}, sim::max_clients));
    cmd->add_option("-o,--out", o->out,
                    "Output folder: clients, products, purchases, campaign, truth.csv, simulate.json; with --months "
                    "the folder of month-01 .. month-K; with --outcomes-for the outcomes .csv");
    cmd->add_option("--format", o->format, "Table format: csv or parquet (truth.csv stays CSV)")
        ->check(CLI::IsMember({"csv", "parquet"}))
        ->capture_default_str();
    cmd->add_option("--cutoff", o->cutoff,
                    "Campaign start: the history ends the day before (YYYY-MM-DD); with --months month 1's, each "
                    "later month's one calendar month later")
        ->capture_default_str();
    cmd->add_option("--months", o->months, "Write K monthly campaigns on one client base: DIR/month-01 .. month-K")
        ->check(CLI::Range(1, sim::max_months));
    cmd->add_option("--new-clients", o->new_clients,
                    "With --months: clients joining in each month after the first (default: --clients / 50)");
    cmd->add_option("--drift", o->drift,
                    "With --months: basket=F (basket values times F) or discount-seekers=+D (their share up by D), "
                    "from --drift-from-month on; repeatable");
    cmd->add_option("--drift-from-month", o->drift_from_month, "The first month of the --drift")
        ->check(CLI::Range(1, sim::max_months));
    cmd->add_option("--continue", o->continue_dir,
                    "Append the next month to the series in DIR (the bytes --months K+1 would have written)");
    cmd->add_option("--outcomes-for", o->outcomes_for,
                    "A plan (plan.csv from optimize): write each --truth client's realised outcome, contacted or "
                    "not, as the outcomes file of measure");
    cmd->add_option("--truth", o->truth, "With --outcomes-for: the month's truth.csv");
    cmd->add_flag("--json", o->json, "Print simulate.json (with --months: the last month's) instead of the summary");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer("upliftctl simulate --clients 400000 --out retail --seed 7"
                            "\n  upliftctl simulate --clients 20000 --months 3 --drift basket=2 --drift-from-month 3 "
                            "-o series"
                            "\n  upliftctl simulate --continue series"
                            "\n  upliftctl simulate --outcomes-for plan.csv --truth series/month-02/truth.csv "
                            "-o outcomes.csv --seed 5"));
    cmd->callback([o, cmd, &invocation] {
        check_form(*cmd, *o);
        if (o->months > 0 && cmd->count("--new-clients") == 0) o->new_clients = o->clients / 50;
        invocation.run = [o, &invocation] { run_simulate(*o, invocation.global); };
    });
}

}  // namespace upliftctl
