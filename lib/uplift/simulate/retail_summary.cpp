#include <nlohmann/json.hpp>

#include "uplift/core/version.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/retail_files.hpp"

namespace uplift::simulate {

std::string summary_json(const SimulateOptions& o, const SimulateResult& r) {
    return summary_fields({.seed = o.seed, .clients = o.clients, .format = o.format, .cutoff = o.cutoff,
                           .history_start = o.cutoff - o.history_days, .model = o.model, .dirty = o.dirty,
                           .counts = r.counts, .products = r.products, .stores = r.stores})
               .dump(2) + "\n";
}

nlohmann::ordered_json summary_fields(const SummaryFacts& o) {
    using Json = nlohmann::ordered_json;
    const BlockCounts& n = o.counts;
    const bool parquet = o.format == TableFormat::Parquet;
    const std::string ext = parquet ? ".parquet" : ".csv";
    Json j;
    j["tool"] = "upliftctl";
    j["tool_version"] = version();
    j["command"] = "simulate";
    j["seed"] = o.seed;
    j["clients"] = o.clients;
    j["format"] = parquet ? "parquet" : "csv";
    j["cutoff"] = io::format_date(o.cutoff);
    j["history_start"] = io::format_date(o.history_start);
    j["history_end"] = io::format_date(o.cutoff - 1);
    j["files"] = {{"clients", "clients" + ext},     {"products", "products" + ext}, {"purchases", "purchases" + ext},
                  {"campaign", "campaign" + ext},   {"truth", "truth.csv"}};
    j["rows"] = {{"clients", n.client_rows}, {"products", o.products}, {"purchases", n.purchase_rows},
                 {"campaign", n.clients},    {"truth", n.clients}};
    j["transactions"] = n.transactions;
    j["stores"] = o.stores;
    j["dirty"] = {{"clients_bad_date", n.dirty.clients_bad_date},
                  {"clients_duplicate_id", n.dirty.clients_duplicate_id},
                  {"purchases_bad_datetime", n.dirty.purchases_bad_datetime},
                  {"purchases_negative_sum", n.dirty.purchases_negative_sum},
                  {"purchases_orphan", n.dirty.purchases_orphan},
                  {"orphan_clients", n.dirty.orphan_clients}};
    Json kinds = Json::object();
    for (std::size_t k = 0; k < kind_count; ++k) kinds[std::string(kind_name(static_cast<ClientKind>(k)))] = n.kinds[k];
    j["kinds"] = kinds;
    j["treated"] = n.treated;
    j["targets"] = n.targets;
    const auto& m = o.model;
    Json shares = Json::object();
    Json visits = Json::object();
    Json checks = Json::object();
    for (std::size_t k = 0; k < kind_count; ++k) {
        const std::string name(kind_name(static_cast<ClientKind>(k)));
        shares[name] = m.kind_share[k];
        visits[name] = m.relative_weekly_visits[k];
        checks[name] = m.median_check[k];
    }
    j["parameters"] = {{"kind_share", shares},
                       {"relative_weekly_visits", visits},
                       {"median_check", checks},
                       {"mean_lines_per_client", m.mean_lines_per_client},
                       {"mean_lines_per_transaction", m.mean_lines_per_transaction},
                       {"visit_dispersion", m.visit_dispersion},
                       {"new_client_share", m.new_client_share},
                       {"clients_per_block", o.block_size},
                       {"dirty_rates",
                        {{"client_bad_date", o.dirty.client_bad_date},
                         {"client_duplicate", o.dirty.client_duplicate},
                         {"line_bad_datetime", o.dirty.line_bad_datetime},
                         {"line_negative_sum", o.dirty.line_negative_sum},
                         {"orphan_client", o.dirty.orphan_client}}}};
    return j;
}

}  // namespace uplift::simulate
