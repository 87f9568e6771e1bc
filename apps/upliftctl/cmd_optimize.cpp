// upliftctl optimize: whom to give which offer within a budget, with the baselines the plan must beat.

#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/hold_out.hpp"
#include "uplift/optimize/list_options.hpp"
#include "uplift/optimize/offer_config.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_run.hpp"

namespace upliftctl {

namespace {

namespace opt = uplift::optimize;

struct OptimizeCliOptions {
    CsvFlags csv;  ///< how a CSV --basket-file is written
    std::string scores;
    std::string out;
    std::string plan_json;
    bool raw_csv = false;
    std::vector<std::string> offers;
    std::string offers_file;
    std::vector<std::string> channels;
    std::optional<double> contact_cost;
    std::string basket_file;
    opt::EconomicsConfig economics;  // margin, basket, basket column, value
    opt::OptimizeOptions run;
    std::optional<std::size_t> max_contacts;
    std::optional<double> min_roi;
    std::string columns;  ///< --columns a,b,c (empty: the default list)
    std::optional<std::string> id_col;
    bool excel = false;
    std::string split_by;
    std::string rank_by = "profit";
    std::optional<double> min_p;
};

opt::ListOptions list_options_from_flags(const OptimizeCliOptions& o) {
    opt::ListOptions l;
    if (!o.columns.empty()) l.layout.columns = opt::parse_plan_columns(o.columns);
    l.layout.id_name = o.id_col.value_or("");
    l.layout.raw_cells = o.raw_csv;
    l.layout.excel = o.excel;
    if (!o.split_by.empty()) l.split_by = opt::split_by_from_string(o.split_by);
    l.rank_by = opt::rank_by_from_string(o.rank_by);
    l.min_p = o.min_p;
    return l;
}

opt::EconomicsConfig economics_from_flags(const OptimizeCliOptions& o) {
    opt::EconomicsConfig config = o.economics;
    for (const auto& spec : o.channels) {
        const auto [name, cost] = opt::parse_channel_spec(spec);
        config.channels[name] = cost;
    }
    if (o.contact_cost) {
        if (config.channels.contains(opt::default_channel)) {
            throw uplift::UsageError("--contact-cost sets the cost of channel 'default'; do not also pass "
                                     "--channel default=...");
        }
        config.channels[opt::default_channel] = *o.contact_cost;
    }
    if (!o.offers_file.empty()) opt::load_offers_file(o.offers_file, config);
    for (const auto& spec : o.offers) config.offers.push_back(opt::parse_offer_spec(spec));
    return config;
}

void run_optimize(OptimizeCliOptions o, const GlobalOptions& g) {
    o.run.constraints.max_contacts = o.max_contacts;
    o.run.constraints.min_roi = o.min_roi;
    o.run.seed = g.seed;
    o.run.solver.threads = g.threads;
    opt::check_constraints(o.run.constraints);
    const opt::EconomicsConfig config = economics_from_flags(o);
    const opt::ListOptions list = list_options_from_flags(o);
    const std::filesystem::path out = o.out;
    const std::filesystem::path json = o.plan_json.empty() ? std::filesystem::path(out).replace_extension(".json")
                                                           : std::filesystem::path(o.plan_json);
    uplift::io::format_of(out);  // an unknown extension is a usage error before any work
    opt::check_list_options(list, out, o.run.control_share, o.id_col.has_value());
    if (json == out) throw uplift::UsageError(fmt::format("--plan-json '{}' is the plan itself; pick another path",
                                                          json.string()));

    // Checked before the scores are read (the list, or with --split-by the manifest, and plan.json); the part
    // names wait for the offers.
    const std::vector<std::filesystem::path> inputs_to_keep{o.scores, o.offers_file, o.basket_file};
    opt::plan_destination(out, json, {}, list.split_by, g.overwrite, inputs_to_keep);

    // --progress: reading the scores, building the instance, optimize's phases, the test estimate, the writing.
    const uplift::Progress bar = progress_bar(g, "optimize", "steps");
    constexpr std::uint64_t steps = 4 + opt::optimize_steps;
    const auto step = [&](std::uint64_t done) {
        if (bar) bar(done, steps);
    };
    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    const auto scores = uplift::io::read_table(session, o.scores);
    step(1);
    const auto roles = uplift::data::require_roles(scores, o.scores);
    const auto economics = opt::resolve_economics(config, roles);
    auto destination = opt::plan_destination(out, json, economics.offers, list.split_by, g.overwrite, inputs_to_keep);
    // A held-out list measure could not read is refused before the plan is solved.
    const std::string offer_column =
        o.run.control_share > 0 ? opt::measure_offer_column(list.layout.columns, economics.offers) : "offer";

    const uplift::io::Column* ids = scores.find(roles.id);
    if (ids == nullptr) throw uplift::DataError(fmt::format("'{}' has no id column '{}'", o.scores, roles.id));
    std::vector<double> basket;
    std::vector<std::filesystem::path> inputs{o.scores};
    if (!economics.basket_column.empty()) {
        std::optional<uplift::io::Table> source;
        if (!o.basket_file.empty()) {
            source = uplift::io::read_table(session, o.basket_file, o.csv.dialect());
            inputs.emplace_back(o.basket_file);
        }
        basket = opt::basket_values(scores, o.scores, economics.basket_column, roles.id,
                                    source ? &*source : nullptr, o.basket_file);
    }
    if (!o.offers_file.empty()) inputs.emplace_back(o.offers_file);
    auto instance = opt::instance_from_scores(scores, o.scores, economics, std::move(basket));
    // How the scores were made: their segment thresholds, whether the plan can be measured, the stdout label.
    const auto info = uplift::artifacts::load_scores_info(scores.metadata(), o.scores);
    if (info) instance.kinds = {info->segment_uplift, info->segment_buy};
    step(2);
    o.run.progress = [&](std::uint64_t done, std::uint64_t) { step(2 + done); };
    const opt::PlanRun run = opt::run_plan(instance, o.run, list.min_p, scores, o.scores, roles, info);
    const opt::OptimizeResult& result = run.result;
    const auto& test_estimate = run.test_estimate;
    step(3 + opt::optimize_steps);

    auto provenance = uplift::artifacts::provenance_of("optimize", inputs);
    provenance.parameters["budget"] = fmt::format("{}", o.run.constraints.budget);
    provenance.parameters["seed"] = std::to_string(g.seed);
    provenance.parameters["offers"] = std::to_string(instance.num_offers());
    auto record = opt::plan_record(instance, result, o.run, economics, config,
                                   uplift::artifacts::to_json(provenance), test_estimate);
    if (!result.held_out.empty()) {
        record.control = opt::control_record(instance, run.choice(), result.held_out, o.run);
        // measure finds the list there: the one file, or the manifest of the split files.
        record.control->plan_file = opt::plan_file_from(json, destination.parts.empty() ? out : destination.manifest);
        record.control->raw_csv = o.raw_csv;
        record.control->separator = std::string(1, opt::list_dialect(list.layout.excel).delimiter);
        record.control->offer_column = offer_column;
        record.control->id_column = list.layout.id_name.empty() ? roles.id : list.layout.id_name;
        record.control->outcome_column = roles.outcome;
    }
    if (run.responders) {
        record.response_list = opt::response_list_record(instance, *run.responders, result.solution.choice,
                                                         run.list_test_estimate, test_estimate);
    }
    const opt::PlanRows rows{instance, *ids, run.choice(), run.order, result.held_out};
    if (!destination.parts.empty()) {
        opt::assign_rows(destination.parts, instance.offers, list.split_by, run.choice(), run.order);
    }
    opt::write_plan_files(session, rows, list.layout, destination, uplift::artifacts::to_json(record));
    step(steps);

    if (g.quiet) return;  // -q: nothing on stdout on success (cron)
    fmt::print("plan           {} ({} contacts of {} clients), {}\nscores         {} ({})\n{}",
               destination.parts.empty() ? out.string() : destination.manifest.string(),
               run.order.size(), instance.clients,
               result.held_out.empty() ? json.string()
                                       : fmt::format("{}\ncontrol        {} of them held out uncontacted (--control-share {})",
                                                     json.string(), record.control->held_out, o.run.control_share),
               o.scores,
               test_estimate ? fmt::format("{}: the plan's figures are measured on the test in plan.json",
                                           test_estimate->scored_as)
                             : info ? fmt::format("{}: the figures below are the model's forecast",
                                                  uplift::artifacts::to_string(info->scored_as))
                                    : std::string("origin not recorded: the figures below are the model's forecast"),
               opt::summary_text(instance, result, o.run));
    if (record.response_list) fmt::print("{}", opt::response_list_text(*record.response_list, instance.binary()));
}

}  // namespace

void register_optimize(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<OptimizeCliOptions>();
    auto* cmd = root.add_subcommand("optimize", "Choose whom to give which offer within a budget; compare baselines");
    // No CLI::ExistingFile on the input files: a missing or unreadable input is an I/O error (exit 4) named by
    // the reader, as in every other command, not a usage error of the parser.
    cmd->add_option("-s,--scores", o->scores, "Scores written by `upliftctl score`")->required();
    cmd->add_option("--budget", o->run.constraints.budget, "Total expected spend allowed (discounts + contacts)")
        ->required();
    cmd->add_option("-o,--out", o->out, "Plan to write: .csv (for the CRM) or .parquet")->required();
    cmd->add_flag("--raw-csv", o->raw_csv,
                  "Write plan.csv's text cells byte for byte (by default a cell starting with = + - @ gets a leading "
                  "apostrophe so a spreadsheet shows it instead of running it)");
    cmd->add_option("--plan-json", o->plan_json, "Plan summary JSON (default: --out with extension .json)");
    auto* offer = cmd->add_option("--offer", o->offers,
                                  "LEVEL[:kind=percent|coupon|message,value=0.1|10%|5.0,channel=NAME,code=CODE] (repeatable; "
                                  "default: every treated level, message only)");
    auto* offers_file = cmd->add_option("--offers", o->offers_file, "Offers and channels as JSON (see docs/optimize.md)");
    offer->excludes(offers_file);
    cmd->add_option("--channel", o->channels, "NAME=COST: contact cost of a channel (repeatable)");
    cmd->add_option("--contact-cost", o->contact_cost, "Contact cost of channel 'default' (offers naming no channel)");
    cmd->add_option("--margin", o->economics.margin, "Gross margin rate on incremental sales, 0..1");
    cmd->add_option("--basket", o->economics.basket, "Basket value of every client (binary outcomes)");
    auto* basket_col = cmd->add_option("--basket-col", o->economics.basket_column,
                                       "Column with each client's basket value (in --scores, or in --basket-file)");
    cmd->add_option("--basket-file", o->basket_file, "Table with the id column and --basket-col, joined on the id")
        ->needs(basket_col);
    cmd->add_option("--value", o->economics.value,
                    "Simple form: one extra conversion is worth V (basket V, margin 1; no --margin/--basket)");
    cmd->add_option("--max-contacts", o->max_contacts, "At most N clients get an offer");
    cmd->add_option("--min-roi", o->min_roi, "Only offers whose own expected profit/spend is at least R");
    cmd->add_flag("--allow-negative", o->run.constraints.allow_negative,
                  "Spend leftover budget on offers with expected profit <= 0 too");
    add_param(*cmd, uplift::optimize::optimize_params::random_repeats, o->run.random_repeats);
    add_csv_flags(*cmd, o->csv, "CSV --basket-file");
    add_param(*cmd, uplift::optimize::optimize_params::control_share, o->run.control_share);
    cmd->add_option("--columns", o->columns,
                    "Columns of the CRM list, in this order (e.g. id,offer_code,channel,action; see docs/optimize.md)");
    cmd->add_option("--id-col", o->id_col, "Header of the id column in the CRM list (default: the scores' id column)");
    cmd->add_flag("--excel", o->excel, "CSV for a spreadsheet in a comma-decimal locale: UTF-8 BOM, ';', decimal commas");
    cmd->add_option("--split-by", o->split_by,
                    "channel|offer: one list per channel (or offer code) beside --out, and <stem>.manifest.json");
    cmd->add_option("--rank-by", o->rank_by,
                    "profit (the uplift plan; default) or response: clients whose purchase probability exceeds --min-p");
    cmd->add_option("--min-p", o->min_p, "With --rank-by response: the purchase probability a listed client exceeds");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer(
        "upliftctl optimize -s scores.parquet --budget 5000 --margin 0.3 --basket 60 --channel email=0.1 \\\n"
        "    --offer \"Womens E-Mail:kind=percent,value=10%,channel=email\" "
        "--offer \"Mens E-Mail:channel=email\" -o plan.csv\n"
        "  upliftctl optimize -s scores.parquet --budget 1000 --contact-cost 0.1 --value 5 -o plan.csv\n"
        "  upliftctl optimize -s scores.parquet --budget 1000 --channel email=0.1 --channel sms=0.5 --value 5 \\\n"
        "    --offer \"Womens E-Mail:kind=percent,value=10%,channel=email,code=SPRING10\" \\\n"
        "    --offer \"Mens E-Mail:channel=sms,code=MSG1\" --split-by channel --id-col customer_id -o plan.csv\n"
        "  upliftctl optimize -s scores.parquet --budget 1000 --contact-cost 0.1 --value 5 --columns "
        "id,offer_code,channel,action --excel -o crm.csv\n"
        "  upliftctl optimize -s scores.parquet --budget 1000 --contact-cost 0.1 --value 5 --rank-by response "
        "--min-p 0.9 -o priority.csv"));
    cmd->callback([o, &invocation] { invocation.run = [o, &invocation] { run_optimize(*o, invocation.global); }; });
}

}  // namespace upliftctl
