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
void append_field(fmt::memory_buffer& out, std::string_view field, bool raw, char separator) {
    if (!raw && !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos) {
        std::string guarded = "'" + std::string(field);
        append_field(out, guarded, true, separator);
        return;
    }
    const char specials[] = {separator, '"', '\r', '\n', '\0'};
    if (field.find_first_of(specials) == std::string_view::npos) {
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

bool is_text(PlanColumn c) noexcept {
    switch (c) {
    case PlanColumn::Id:
    case PlanColumn::Offer:
    case PlanColumn::OfferCode:
    case PlanColumn::OfferKind:
    case PlanColumn::OfferValue:
    case PlanColumn::Channel:
    case PlanColumn::Action:
    case PlanColumn::Segment: return true;
    default: return false;
    }
}

/// Row r of the list (client i with offer k): a text column's cell.
std::string text_cell(const PlanRows& rows, PlanColumn c, std::size_t i, std::size_t k, char decimal) {
    const Offer& offer = rows.instance.offers[k];
    switch (c) {
    case PlanColumn::Id: return rows.ids.text_at(i);
    case PlanColumn::Offer: return offer.level;
    case PlanColumn::OfferCode: return offer_code(offer);
    case PlanColumn::OfferKind: return std::string(to_string(offer.kind));
    case PlanColumn::OfferValue: return offer_value_text(offer, decimal);
    case PlanColumn::Channel: return offer.channel;
    case PlanColumn::Action:
        return std::string(!rows.held_out.empty() && rows.held_out[i] != 0 ? action_hold_out : action_contact);
    case PlanColumn::Segment: return std::string(segment_name(rows.instance, i, k));
    default: return {};
    }
}

/// A number column's value, rounded as written.
double number_cell(const PlanRows& rows, PlanColumn c, std::size_t i, std::size_t k) {
    const OptionValue v = rows.instance.option(i, k);
    switch (c) {
    case PlanColumn::ExpectedUplift: return round6(v.uplift);
    case PlanColumn::ExpectedIncrementalRevenue: return round6(v.revenue);
    case PlanColumn::ExpectedSpend: return round6(v.spend);
    case PlanColumn::ExpectedProfit: return round6(v.profit);
    case PlanColumn::BaselineOutcome: return round6(rows.instance.p0[i]);
    case PlanColumn::PurchaseProbability: return round6(rows.instance.pt[i * rows.instance.num_offers() + k]);
    default: return 0;
    }
}

std::string header_name(const PlanRows& rows, const PlanLayout& layout, PlanColumn c) {
    if (c != PlanColumn::Id) return std::string(column_name(c));
    return layout.id_name.empty() ? rows.ids.name() : layout.id_name;
}

/// Calls f(row index in the list) for every row of `positions` (null: every row of the list).
template <class F>
void for_each_row(const PlanRows& rows, const std::vector<std::size_t>* positions, const F& f) {
    if (positions == nullptr) {
        for (std::size_t r = 0; r < rows.order.size(); ++r) f(r);
    } else {
        for (const std::size_t r : *positions) f(r);
    }
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

io::CsvDialect list_dialect(bool excel) {
    io::CsvDialect dialect;
    if (excel) {
        // Excel in a comma-decimal locale opens a ';'-separated file with a BOM as UTF-8 columns of numbers.
        dialect.delimiter = ';';
        dialect.decimal = ',';
    }
    return dialect;
}

std::string plan_csv(const PlanRows& rows, const PlanLayout& layout, const std::vector<std::size_t>* positions) {
    const io::CsvDialect dialect = list_dialect(layout.excel);
    const char separator = dialect.delimiter;
    const char decimal = dialect.decimal;
    fmt::memory_buffer out;
    if (layout.excel) out.append(std::string_view("\xEF\xBB\xBF"));
    for (std::size_t c = 0; c < layout.columns.size(); ++c) {
        if (c > 0) out.push_back(separator);
        append_field(out, header_name(rows, layout, layout.columns[c]), layout.raw_cells, separator);
    }
    out.push_back('\n');
    for_each_row(rows, positions, [&](std::size_t r) {
        const std::size_t i = rows.order[r];
        const auto k = static_cast<std::size_t>(rows.choice[i]);
        for (std::size_t c = 0; c < layout.columns.size(); ++c) {
            const PlanColumn column = layout.columns[c];
            if (c > 0) out.push_back(separator);
            if (is_text(column)) {
                append_field(out, text_cell(rows, column, i, k, decimal), layout.raw_cells, separator);
            } else if (column == PlanColumn::Rank) {
                fmt::format_to(std::back_inserter(out), "{}", r + 1);
            } else {
                std::string number = fixed6(number_cell(rows, column, i, k));
                if (decimal != '.') std::replace(number.begin(), number.end(), '.', decimal);
                out.append(number);
            }
        }
        out.push_back('\n');
    });
    return fmt::to_string(out);
}

io::Table plan_table(const PlanRows& rows, const PlanLayout& layout, const std::vector<std::size_t>* positions) {
    std::vector<std::size_t> picked;  // clients in list order
    std::vector<std::size_t> ranks;
    for_each_row(rows, positions, [&](std::size_t r) {
        picked.push_back(rows.order[r]);
        ranks.push_back(r + 1);
    });
    std::vector<io::Column> columns;
    for (const PlanColumn column : layout.columns) {
        const std::string name = header_name(rows, layout, column);
        if (column == PlanColumn::Id) {
            io::Column ids = rows.ids.take(picked);
            ids.rename(name);
            columns.push_back(std::move(ids));
        } else if (column == PlanColumn::Rank) {
            std::vector<std::int64_t> rank(ranks.begin(), ranks.end());
            columns.push_back(io::Column::int64s(name, std::move(rank)));
        } else if (is_text(column)) {
            std::vector<std::string> cells;
            cells.reserve(picked.size());
            for (const std::size_t i : picked) {
                cells.push_back(text_cell(rows, column, i, static_cast<std::size_t>(rows.choice[i]), '.'));
            }
            columns.push_back(io::Column::strings(name, std::move(cells)));
        } else {
            std::vector<double> cells;
            cells.reserve(picked.size());
            for (const std::size_t i : picked) {
                cells.push_back(number_cell(rows, column, i, static_cast<std::size_t>(rows.choice[i])));
            }
            columns.push_back(io::Column::doubles(name, std::move(cells)));
        }
    }
    return io::Table(std::move(columns));
}

}  // namespace uplift::optimize
