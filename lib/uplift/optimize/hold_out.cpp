#include "uplift/optimize/hold_out.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "uplift/core/random.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize {

namespace {

// Its own stream: the random baseline draws from `seed` too, and the two must not share draws.
constexpr std::uint64_t hold_out_stream = 0x686F6C645F6F7574ULL;  // "hold_out"

}  // namespace

std::size_t hold_out_count(std::size_t planned, double share) noexcept {
    const double n = std::floor(share * static_cast<double>(planned) + 0.5);
    return std::min(planned, static_cast<std::size_t>(std::max(0.0, n)));
}

std::vector<std::uint8_t> draw_hold_out(const Instance& instance, std::span<const std::int8_t> choice, double share,
                                        std::uint64_t seed) {
    if (share <= 0) return {};
    std::vector<std::uint8_t> held(instance.clients, 0);
    Rng rng(seed ^ hold_out_stream);
    std::vector<std::size_t> planned;
    for (std::size_t k = 0; k < instance.num_offers(); ++k) {
        planned.clear();
        for (std::size_t i = 0; i < instance.clients; ++i) {
            if (choice[i] == static_cast<std::int8_t>(k)) planned.push_back(i);
        }
        const std::size_t h = hold_out_count(planned.size(), share);
        // A partial Fisher–Yates: the first h positions are a uniform sample without replacement.
        for (std::size_t j = 0; j < h; ++j) {
            const auto pick = j + static_cast<std::size_t>(rng.below(planned.size() - j));
            std::swap(planned[j], planned[pick]);
            held[planned[j]] = 1;
        }
    }
    return held;
}

std::string plan_file_from(const std::filesystem::path& plan_json, const std::filesystem::path& plan_list) {
    const auto folder = std::filesystem::absolute(plan_json).parent_path();
    return std::filesystem::absolute(plan_list).lexically_normal().lexically_proximate(folder.lexically_normal())
        .generic_string();
}

artifacts::PlanControl control_record(const Instance& instance, std::span<const std::int8_t> choice,
                                      std::span<const std::uint8_t> held_out, const OptimizeOptions& options) {
    std::vector<std::int8_t> contacted(choice.begin(), choice.end());
    std::vector<std::int8_t> held(instance.clients, -1);
    for (std::size_t i = 0; i < held_out.size(); ++i) {
        if (held_out[i] != 0) std::swap(contacted[i], held[i]);
    }
    const PlanSummary reach = summarize(instance, contacted);
    const PlanSummary saved = summarize(instance, held);
    const bool binary = instance.binary();
    artifacts::PlanControl c;
    c.rule = fmt::format("per offer, round({} x planned clients) of them drawn uniformly without replacement "
                         "(seed {}) are held out: listed with action hold_out, not contacted, not paid for",
                         options.control_share, options.seed);
    c.share = options.control_share;
    c.seed = options.seed;
    c.outcome_type = std::string(data::to_string(instance.outcome));
    c.contacted = static_cast<std::int64_t>(reach.totals.contacts);
    c.held_out = static_cast<std::int64_t>(saved.totals.contacts);
    c.planned = c.contacted + c.held_out;
    if (binary) c.expected_incremental_conversions = round6(reach.totals.conversions);
    c.expected_incremental_revenue = round6(reach.totals.revenue);
    c.expected_spend = round6(reach.totals.spend);
    c.expected_profit = round6(reach.totals.profit);
    c.spend_saved = round6(saved.totals.spend);
    for (std::size_t k = 0; k < instance.num_offers(); ++k) {
        const Totals& r = reach.per_offer[k].totals;
        const Totals& h = saved.per_offer[k].totals;
        artifacts::ControlOffer o;
        o.offer = instance.offers[k].level;
        o.code = offer_code(instance.offers[k]);
        o.contacted = static_cast<std::int64_t>(r.contacts);
        o.held_out = static_cast<std::int64_t>(h.contacts);
        o.planned = o.contacted + o.held_out;
        if (binary) o.expected_incremental_conversions = round6(r.conversions);
        o.expected_incremental_revenue = round6(r.revenue);
        o.expected_spend = round6(r.spend);
        c.per_offer.push_back(o);
    }
    return c;
}

}  // namespace uplift::optimize
