// The "response list vs uplift plan" block of the report (optimize --rank-by response): the list of likely
// buyers beside the uplift plan of the same size, worded once for the HTML and Markdown renderers, and the
// reading of the two (who is ahead by the model, who by the test) that report.json carries.

#include <fmt/format.h>

#include <cmath>

#include "uplift/report/monthly_blocks.hpp"
#include "uplift/report/number_format.hpp"

namespace uplift::report {

namespace {

constexpr const char* ellipsis = " \xE2\x80\xA6 ";

// A measured figure with its range, the unit-free count form the plan's increments use ("+273 (+185 … +360)").
std::string measured_cell(const NumberFormat& nf, const std::optional<artifacts::PlanTestEstimate>& t) {
    if (!t) return no_value;
    const auto& f = t->incremental_conversions;
    return nf.signed_count(f.estimate) + " (" + nf.signed_count(f.low) + ellipsis + nf.signed_count(f.high) + ")";
}

// "114 (3.8%)": the count first, so the reader sees clients, then the share of the list's clients.
std::string wasted_cell(const NumberFormat& nf, const artifacts::PlanListSide& s) {
    std::string out = nf.count(double(s.non_positive_uplift));
    if (s.non_positive_uplift_share) out += " (" + nf.percent(*s.non_positive_uplift_share, 1) + ")";
    return out;
}

// The threshold as the user gave it (0.25, 0.1, 0.125), not rounded to a fixed number of decimals.
std::string threshold(const NumberFormat& nf, double p) {
    for (int decimals = 1; decimals < 4; ++decimals) {
        const double scaled = p * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-9) return nf.number(p, decimals);
    }
    return nf.number(p, 4);
}

std::string signed_count_or_dash(const NumberFormat& nf, const std::optional<double>& v) {
    return v ? nf.signed_count(*v) : no_value;
}

}  // namespace

ResponseListReading read_response_list(const artifacts::PlanResponseList& l) {
    ResponseListReading r;
    const auto& list = l.list.figures;
    const auto& plan = l.uplift_plan.figures;
    if (list.incremental_conversions && plan.incremental_conversions) {
        r.model_list_ahead = *list.incremental_conversions > *plan.incremental_conversions;
    }
    if (list.profit && plan.profit && *plan.profit > 0 && *list.profit < *plan.profit) {
        r.model_profit_shortfall = (*plan.profit - *list.profit) / *plan.profit;
    }
    if (l.list.test_estimate && l.uplift_plan.test_estimate) {
        const auto& a = l.list.test_estimate->incremental_conversions;
        const auto& b = l.uplift_plan.test_estimate->incremental_conversions;
        r.test_list_ahead = a.estimate > b.estimate;
        r.test_ranges_overlap = a.low <= b.high && b.low <= a.high;
        if (r.model_list_ahead) r.test_contradicts_model = *r.test_list_ahead != *r.model_list_ahead;
    }
    return r;
}

std::optional<TextBlock> response_list_block(const Report& r) {
    if (!r.plan || !r.plan->response_list) return std::nullopt;
    const artifacts::PlanResponseList& l = *r.plan->response_list;
    const ResponseListReading reading = read_response_list(l);
    const Lang lang = r.options.lang;
    const NumberFormat nf(lang, r.options.currency);
    const auto t = [&](Msg m) { return tr(lang, m, r.words); };
    const auto tf = [&](Msg m, const auto&... args) { return fmt::format(fmt::runtime(t(m)), args...); };
    const std::string min_p = threshold(nf, l.min_p);
    const double list_size = l.list.figures.contacts.value_or(0);
    TextBlock b{.id = "response-list", .title = t(Msg::RespTitle), .lines = {}, .tables = {}, .notes = {}};
    // "All of them fit" rather than "N above it; the budget keeps the first N" when the budget did not bind.
    const bool all_fit = double(l.above_threshold) == list_size;
    b.lines.push_back(tf(all_fit ? Msg::RespIntroAll : Msg::RespIntro, nf.count(list_size), min_p,
                         nf.count(double(l.above_threshold)), nf.money(r.plan->budget)));

    // The two columns name their population; each row names its unit (clients, money, the outcome's words).
    const auto level = [&](const artifacts::PlanListSide& s) {
        return s.test_estimate ? s.test_estimate->level : r.options.ci_level;
    };
    TextTable table;
    table.header = {t(Msg::ColMeasure),
                    tf(Msg::RespColList, min_p) + " (" + nf.count(list_size) + ")",
                    t(Msg::RespColPlan) + " (" + nf.count(l.uplift_plan.figures.contacts.value_or(0)) + ")"};
    table.numeric = {false, true, true};
    const auto row = [&](std::string name, std::string a, std::string c) {
        table.rows.push_back({std::move(name), std::move(a), std::move(c)});
    };
    const auto& lf = l.list.figures;
    const auto& pf = l.uplift_plan.figures;
    row(t(Msg::RespRowContacts), nf.count(lf.contacts), nf.count(pf.contacts));
    row(t(Msg::RespRowSpend), nf.money(lf.spend), nf.money(pf.spend));
    row(t(Msg::RespRowForecast), signed_count_or_dash(nf, lf.incremental_conversions),
        signed_count_or_dash(nf, pf.incremental_conversions));
    const bool measured = l.list.test_estimate || l.uplift_plan.test_estimate;
    if (measured) {
        const double lvl = level(l.list.test_estimate ? l.list : l.uplift_plan);
        row(tf(Msg::RespRowMeasured, nf.percent(lvl, 0)), measured_cell(nf, l.list.test_estimate),
            measured_cell(nf, l.uplift_plan.test_estimate));
    }
    row(t(Msg::RespRowProfit), nf.money(lf.profit), nf.money(pf.profit));
    row(t(Msg::RespRowWasted), wasted_cell(nf, l.list), wasted_cell(nf, l.uplift_plan));
    row(t(Msg::RespRowUseless), nf.percent(l.list.useless_discount_share, 1),
        nf.percent(l.uplift_plan.useless_discount_share, 1));
    b.tables.push_back(std::move(table));

    // What the list wastes, by the model: its clients the offer does not move, and the same budget elsewhere.
    const std::string wasted_share = l.list.non_positive_uplift_share ? nf.percent(*l.list.non_positive_uplift_share, 1)
                                                                       : std::string(no_value);
    const std::string useless = nf.percent(l.list.useless_discount_share, 1);
    const std::string shortfall =
        reading.model_profit_shortfall ? nf.percent(*reading.model_profit_shortfall, 0) : std::string(no_value);
    const auto waste_args = [&](Msg m) {
        return tf(m, nf.count(double(l.list.non_positive_uplift)), nf.count(list_size), wasted_share, useless,
                  signed_count_or_dash(nf, pf.incremental_conversions), nf.money(pf.profit),
                  signed_count_or_dash(nf, lf.incremental_conversions), nf.money(lf.profit),
                  shortfall);
    };
    b.notes.push_back(waste_args(reading.model_profit_shortfall ? Msg::RespWaste : Msg::RespWasteEven));

    // The test's reading, said as it is, even when it contradicts the model (the honest figure wins).
    if (reading.test_list_ahead) {
        const auto& lt = *l.list.test_estimate;
        const auto& pt = *l.uplift_plan.test_estimate;
        const std::string a = nf.signed_count(lt.incremental_conversions.estimate);
        const std::string c = nf.signed_count(pt.incremental_conversions.estimate);
        std::string verdict = tf(*reading.test_list_ahead ? Msg::RespTestListAhead : Msg::RespTestPlanAhead, a, c);
        if (reading.test_contradicts_model) {
            verdict += " " + t(*reading.test_contradicts_model ? Msg::RespTestContradicts : Msg::RespTestAgrees);
        }
        verdict += " " + tf(*reading.test_ranges_overlap ? Msg::RespTestOverlap : Msg::RespTestApart,
                            nf.percent(lt.level, 0));
        b.notes.push_back(std::move(verdict));
    }
    if (measured) {
        const auto counts = [&](const artifacts::PlanListSide& s) {
            return s.test_estimate ? std::pair{nf.count(double(s.test_estimate->measured)),
                                               nf.count(double(s.test_estimate->planned))}
                                   : std::pair{std::string(no_value), nf.count(s.figures.contacts.value_or(0))};
        };
        const auto [lm, lp] = counts(l.list);
        const auto [pm, pp] = counts(l.uplift_plan);
        const auto& any = l.list.test_estimate ? *l.list.test_estimate : *l.uplift_plan.test_estimate;
        b.notes.push_back(tf(Msg::RespTestPopulation, lm, lp, pm, pp, any.scored_as, nf.percent(any.level, 0)));
    }
    return b;
}

}  // namespace uplift::report
