#include "uplift/simulate/retail_block.hpp"

#include <string_view>
#include <vector>

#include "uplift/simulate/random_draws.hpp"
#include "uplift/simulate/retail_rows.hpp"

namespace uplift::simulate {

namespace {

constexpr std::uint64_t blocks_domain = 0xB10C;

struct Scratch {
    std::vector<Transaction> transactions;
    std::vector<PurchaseLine> lines;
};

thread_local Scratch scratch;

}  // namespace

void DirtyCounts::add(const DirtyCounts& o) {
    clients_bad_date += o.clients_bad_date;
    clients_duplicate_id += o.clients_duplicate_id;
    purchases_bad_datetime += o.purchases_bad_datetime;
    purchases_negative_sum += o.purchases_negative_sum;
    purchases_orphan += o.purchases_orphan;
    orphan_clients += o.orphan_clients;
}

void BlockCounts::add(const BlockCounts& o) {
    clients += o.clients;
    client_rows += o.client_rows;
    purchase_rows += o.purchase_rows;
    transactions += o.transactions;
    treated += o.treated;
    targets += o.targets;
    new_clients += o.new_clients;
    switched += o.switched;
    for (std::size_t k = 0; k < kind_count; ++k) kinds[k] += o.kinds[k];
    dirty.add(o.dirty);
}

BlockMaker::BlockMaker(const RetailModel& model, const RetailCalendar& calendar, const IdCoder& ids, std::uint64_t seed,
                       std::uint64_t clients, const DirtyRates& rates)
    : model_(model), calendar_(calendar), ids_(ids), seed_(seed), clients_(clients), rates_(rates) {}

void BlockMaker::make(std::uint64_t block, BlockText& out) const {
    out.clients.clear();
    out.purchases.clear();
    out.campaign.clear();
    out.truth.clear();
    out.counts = {};
    Rng rng(stream_seed(seed_, blocks_domain, block));
    std::string duplicates;  // repeated client rows go after the block, as a re-export appended to the file
    const std::uint64_t first = block * clients_per_block;
    const std::uint64_t last = std::min(first + clients_per_block, clients_);
    for (std::uint64_t i = first; i < last; ++i) {
        const ClientProfile c = model_.draw_client(rng);
        BlockCounts& n = out.counts;
        ++n.clients;
        ++n.kinds[static_cast<std::size_t>(c.kind)];

        // clients.csv
        for (int copy = 0; copy < 2; ++copy) {
            std::string& row = copy == 0 ? out.clients : duplicates;
            if (copy == 1 && !bernoulli(rng, rates_.client_duplicate)) break;
            std::string_view bad_date;
            if (copy == 0 && bernoulli(rng, rates_.client_bad_date)) {
                bad_date = bad_dates[static_cast<std::size_t>(rng.below(bad_dates.size()))];
                ++n.dirty.clients_bad_date;
            }
            // The repeated row carries an updated age, so the copies disagree as real duplicates do.
            const std::int32_t age = copy == 1 && c.age != missing_age ? c.age + 1 : c.age;
            append_client_row(row, ids_, calendar_, i, c, bad_date, true, age);
            ++n.client_rows;
            if (copy == 1) ++n.dirty.clients_duplicate_id;
        }

        append_history(rng, i, c, false, out);
        if (bernoulli(rng, rates_.orphan_client)) {
            // A card missing from the clients export: its purchases reference an id clients.csv lacks.
            const ClientProfile orphan = model_.draw_client(rng);
            append_history(rng, clients_ + i, orphan, true, out);
            ++n.dirty.orphan_clients;
        }

        // campaign.csv: a fair coin, then the outcome from the arm's true probability.
        const CampaignDraw arm = draw_campaign(rng, c.p_control_micro, c.p_treatment_micro);
        append_campaign_row(out.campaign, ids_, i, arm.treated, arm.target);
        n.treated += arm.treated ? 1 : 0;
        n.targets += arm.target ? 1 : 0;

        append_truth_row(out.truth, ids_, i, c.p_control_micro, c.p_treatment_micro, c.kind, c.true_gender);
    }
    out.clients.append(duplicates);
}

void BlockMaker::append_history(Rng& rng, std::uint64_t client, const ClientProfile& profile, bool orphan,
                                BlockText& out) const {
    Scratch& s = scratch;
    model_.draw_history(rng, profile, s.transactions, s.lines);
    append_purchase_rows(out.purchases, ids_, calendar_, client, client * 1024, s.transactions, s.lines, orphan, rates_,
                         rng, out.counts);
}

}  // namespace uplift::simulate
