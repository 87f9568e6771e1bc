#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize {

namespace {

/// A text cell as a spreadsheet will not execute it: OWASP's rule for CSV injection puts an apostrophe before a
/// cell that starts with =, +, -, @, a tab or a carriage return (the spreadsheet shows the text as it is; the
/// apostrophe is not part of the value it displays). `raw` keeps cells byte for byte.
void append_field(fmt::memory_buffer& out, std::string_view field, bool raw) {
    if (!raw && !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos) {
        std::string guarded = "'" + std::string(field);
        append_field(out, guarded, true);
        return;
    }
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace

double round6(double x) noexcept {
    const double r = std::round(x * 1e6) / 1e6;
    return r == 0 ? 0.0 : r;
}

std::string fixed6(double x) { return fmt::format("{:.6f}", round6(x)); }

std::vector<std::size_t> plan_order(const Instance& instance, std::span<const std::int8_t> choice) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < instance.clients; ++i) {
        if (choice[i] >= 0) order.push_back(i);
    }
    std::vector<std::pair<double, std::size_t>> keyed(order.size());
    for (std::size_t r = 0; r < order.size(); ++r) {
        keyed[r] = {-instance.profit(order[r], static_cast<std::size_t>(choice[order[r]])), order[r]};
    }
    std::sort(keyed.begin(), keyed.end());  // profit descending, then file order
    for (std::size_t r = 0; r < order.size(); ++r) order[r] = keyed[r].second;
    return order;
}

std::string plan_csv(const Instance& instance, const io::Column& ids, std::span<const std::int8_t> choice,
                     std::span<const std::size_t> order, bool raw_cells, std::span<const std::uint8_t> held_out) {
    const bool with_action = !held_out.empty();
    fmt::memory_buffer out;
    append_field(out, ids.name(), raw_cells);
    out.append(std::string_view(",offer,channel,expected_uplift,expected_incremental_revenue,expected_spend,"
                                "expected_profit,segment,rank"));
    out.append(std::string_view(with_action ? ",action\n" : "\n"));
    for (std::size_t r = 0; r < order.size(); ++r) {
        const std::size_t i = order[r];
        const auto k = static_cast<std::size_t>(choice[i]);
        const Offer& offer = instance.offers[k];
        const OptionValue v = instance.option(i, k);
        append_field(out, ids.text_at(i), raw_cells);
        out.push_back(',');
        append_field(out, offer.level, raw_cells);
        out.push_back(',');
        append_field(out, offer.channel, raw_cells);
        fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},{}", fixed6(v.uplift), fixed6(v.revenue),
                       fixed6(v.spend), fixed6(v.profit),
                       segment_name(instance, i, k), r + 1);
        if (with_action) {
            out.push_back(',');
            out.append(held_out[i] != 0 ? action_hold_out : action_contact);
        }
        out.push_back('\n');
    }
    return fmt::to_string(out);
}

io::Table plan_table(const Instance& instance, const io::Column& ids, std::span<const std::int8_t> choice,
                     std::span<const std::size_t> order, std::span<const std::uint8_t> held_out) {
    const std::size_t n = order.size();
    std::vector<std::string> action(held_out.empty() ? 0 : n);
    std::vector<std::string> offer(n), channel(n), segment(n);
    std::vector<double> uplift(n), revenue(n), spend(n), profit(n);
    std::vector<std::int64_t> rank(n);
    for (std::size_t r = 0; r < n; ++r) {
        const std::size_t i = order[r];
        const auto k = static_cast<std::size_t>(choice[i]);
        const OptionValue v = instance.option(i, k);
        offer[r] = instance.offers[k].level;
        channel[r] = instance.offers[k].channel;
        uplift[r] = round6(v.uplift);
        revenue[r] = round6(v.revenue);
        spend[r] = round6(v.spend);
        profit[r] = round6(v.profit);
        segment[r] = std::string(segment_name(instance, i, k));
        rank[r] = static_cast<std::int64_t>(r + 1);
        if (!held_out.empty()) action[r] = std::string(held_out[i] != 0 ? action_hold_out : action_contact);
    }
    std::vector<io::Column> columns{ids.take(order), io::Column::strings("offer", std::move(offer)),
                      io::Column::strings("channel", std::move(channel)),
                      io::Column::doubles("expected_uplift", std::move(uplift)),
                      io::Column::doubles("expected_incremental_revenue", std::move(revenue)),
                      io::Column::doubles("expected_spend", std::move(spend)),
                      io::Column::doubles("expected_profit", std::move(profit)),
                      io::Column::strings("segment", std::move(segment)), io::Column::int64s("rank", std::move(rank))};
    if (!held_out.empty()) columns.push_back(io::Column::strings("action", std::move(action)));
    return io::Table(std::move(columns));
}

}  // namespace uplift::optimize
