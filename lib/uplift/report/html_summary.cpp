// The director's part of the page: the recommendation, the budget slider and the plan's offers.

#include <cmath>

#include "uplift/report/html_context.hpp"
#include "uplift/report/svg_chart.hpp"

namespace uplift::report::html {

namespace {

std::string signed_count(const Context& c, double v) { return c.nf().signed_count(v); }
std::string signed_money(const Context& c, double v) { return c.nf().signed_money(v); }
std::string percent(const Context& c, double v) { return c.nf().percent(v, 1); }

std::string bold(const std::string& html) { return "<b>" + html + "</b>"; }

// One headline number: label, value, its range (or other second line) and what it means; all already HTML.
std::string card(const std::string& label, const std::string& value, const std::string& range,
                 const std::string& hint, bool key = false, const std::string& value_class = {}) {
    std::string out = fmt::format("<div class=\"card{}\"><div class=\"label\">{}</div><div class=\"value{}\">{}</div>",
                                  key ? " key" : "", label, value_class.empty() ? "" : " " + value_class, value);
    if (!range.empty()) out += "<div class=\"range\">" + range + "</div>";
    if (!hint.empty()) out += "<div class=\"hint\">" + hint + "</div>";
    return out + "</div>";
}

std::string sign_class(const std::optional<double>& v) {
    if (!v || *v == 0) return {};
    return *v > 0 ? "pos" : "neg";
}

// Quoted as each language quotes: “offer” in English, «offer» in Russian.
std::string offers_text(const Context& c) {
    const bool ru = c.lang() == Lang::Ru;
    std::string out;
    for (const auto& o : c.report().summary.offers) {
        if (!out.empty()) out += ", ";
        out += ru ? "\xC2\xAB" : "\xE2\x80\x9C";
        out += o;
        out += ru ? "\xC2\xBB" : "\xE2\x80\x9D";
    }
    return out;
}

std::string headline(const Context& c) {
    const auto& s = c.report().summary;
    const auto& nf = c.nf();
    std::string who;
    const std::string offers = offers_text(c);
    if (s.contacts.value && s.coverage_share) {
        who = c.tf(offers.empty() ? Msg::HeadlineWhoShare : Msg::HeadlineWhoOfferShare, bold(esc(nf.count(*s.contacts.value))),
                   bold(esc(nf.percent(*s.coverage_share, 1))), bold(esc(offers)));
    } else if (s.contacts.value) {
        who = c.tf(offers.empty() ? Msg::HeadlineWho : Msg::HeadlineWhoOffer, bold(esc(nf.count(*s.contacts.value))),
                   bold(esc(offers)));
    }
    std::vector<std::string> effects;
    if (s.incremental_conversions.value) {
        effects.push_back(c.tf(Msg::EffectOrders, bold(esc(nf.signed_count(*s.incremental_conversions.value)))));
    }
    if (s.incremental_revenue.value) {
        effects.push_back(c.tf(s.from_plan ? Msg::EffectRevenue : Msg::EffectOutcome,
                               bold(esc(nf.signed_money(*s.incremental_revenue.value)))));
    }
    if (s.spend.value) effects.push_back(c.tf(Msg::EffectSpend, bold(esc(nf.money(*s.spend.value)))));
    if (s.roi.value) effects.push_back(c.tf(Msg::EffectRoi, bold(esc(nf.percent(*s.roi.value, 0)))));
    std::string out = who;
    if (!effects.empty()) {
        std::string joined;
        for (const auto& e : effects) joined += (joined.empty() ? "" : ", ") + e;
        out += (out.empty() ? "" : " ") + c.tf(Msg::HeadlineEffect, joined);
    }
    return out;
}

std::string plan_cards(const Context& c) {
    const Report& r = c.report();
    const auto& s = r.summary;
    const auto& nf = c.nf();
    std::string out = "<div class=\"cards\">";
    const auto pop = population(r);
    out += card(c.t(Msg::CardCoverage), esc(nf.count(s.contacts.value)),
                 s.coverage_share && pop ? c.tf(Msg::CoverageOf, esc(nf.percent(*s.coverage_share, 1)), esc(nf.count(*pop)))
                                         : "",
                 esc(offers_text(c)), true);
    if (s.incremental_conversions.value || !s.from_plan) {
        out += card(c.t(Msg::CardOrders),
                    esc(s.incremental_conversions.value ? nf.signed_count(*s.incremental_conversions.value) : no_value),
                     c.range(s.incremental_conversions.range, signed_count), c.t(Msg::HintOrders), true,
                     sign_class(s.incremental_conversions.value));
    }
    if (s.incremental_revenue.value) {
        out += card(c.t(s.from_plan ? Msg::CardRevenue : Msg::CardOutcome),
                     esc(nf.signed_money(*s.incremental_revenue.value)), c.range(s.incremental_revenue.range, signed_money),
                     c.t(s.from_plan ? Msg::HintRevenue : Msg::HintOutcome), true,
                     sign_class(s.incremental_revenue.value));
    }
    if (s.spend.value) {
        out += card(c.t(Msg::CardSpend), esc(nf.money(*s.spend.value)), "",
                    c.t(r.message_only ? Msg::HintSpendMessage : Msg::HintSpend));
    }
    if (s.saved_vs_everyone.value) {
        out += card(c.t(Msg::CardSaved), esc(nf.money(*s.saved_vs_everyone.value)),
                     s.profit_vs_everyone ? c.tf(Msg::ProfitVsEveryone, esc(nf.signed_money(*s.profit_vs_everyone))) : "",
                     c.t(Msg::HintSaved), false, sign_class(s.saved_vs_everyone.value));
    }
    if (s.profit.value) {
        out += card(c.t(Msg::CardProfit), esc(nf.signed_money(*s.profit.value)), c.range(s.profit.range, signed_money),
                     c.t(Msg::HintProfit), false, sign_class(s.profit.value));
    }
    if (s.roi.value) {
        out += card(c.t(Msg::CardRoi), esc(nf.percent(*s.roi.value, 0)), c.range(s.roi.range, percent),
                     c.t(Msg::HintRoi), false, sign_class(s.roi.value));
    }
    if (s.useless_discount_share.value) {
        out += card(c.t(Msg::CardUseless), esc(nf.percent(*s.useless_discount_share.value, 1)),
                     c.range(s.useless_discount_share.range, percent),
                     c.t(r.message_only ? Msg::HintUselessMessage : Msg::HintUseless));
    }
    if (!s.from_plan && r.evaluation && r.evaluation->qini_auc) {
        const auto& ci = r.evaluation->ci;
        out += card(c.t(Msg::CardQini), esc(nf.metric(*r.evaluation->qini_auc)),
                     ci ? c.range(ci->qini_auc, [](const Context& cc, double v) { return cc.nf().metric(v); }) : "",
                     c.t(Msg::HintQini));
    }
    return out + "</div>";
}

/// The same plan seen from the holdout alone (its top share by score), when there is one: a second, independent
/// view of the test that the measured range should agree with.
std::string holdout_cross_check(const Context& c) {
    const Report& r = c.report();
    const auto& k = r.check;
    if (!k || !k->uplift || !k->uplift_range || !r.summary.contacts.value) return {};
    const double n = *r.summary.contacts.value;
    const auto effect = [&](double u) { return c.nf().signed_count(u * n); };
    return c.tf(Msg::CrossCheckHoldout, esc(r.evaluation_file), esc(c.nf().count(double(k->rows))),
                esc(c.nf().percent(k->share, 1)), esc(effect(*k->uplift)), esc(effect(k->uplift_range->low)),
                esc(effect(k->uplift_range->high)));
}

}  // namespace


std::size_t budget_start(const Plan& plan) {
    const auto& curve = plan.budget_curve;
    if (curve.empty()) return 0;
    const auto target = plan.budget ? plan.budget : plan.budget_used;
    if (!target) return curve.size() - 1;
    std::size_t best = 0;
    for (std::size_t i = 1; i < curve.size(); ++i) {
        if (std::fabs(*curve[i].budget - *target) < std::fabs(*curve[best].budget - *target)) best = i;
    }
    return best;
}

std::string summary_section(const Context& c) {
    const Report& r = c.report();
    std::string out = "<section class=\"block\" id=\"summary\"><h2>" + c.t(Msg::SummaryTitle) + "</h2>";
    const auto& s = r.summary;
    if (!s.contacts.value) {
        return out + "<p class=\"headline\">" + c.t(Msg::NoSummary) + "</p></section>";
    }
    out += "<p class=\"sub\">" + c.t(s.from_plan ? Msg::SummarySubPlan : Msg::SummarySubTest) + "</p>";
    out += "<p class=\"headline\">" + headline(c) + "</p>";
    out += plan_cards(c);
    if (s.measured) {
        const auto& m = *s.measured;
        out += "<p class=\"note\" id=\"ranges-note\">" +
               c.tf(Msg::RangesNoteMeasured, esc(c.nf().count(double(m.measured))), esc(c.nf().count(double(m.treated))),
                    esc(c.nf().count(double(m.control))), esc(m.scored_as), esc(c.nf().percent(m.level, 0)),
                    esc(s.model_forecast ? c.tf(r.binary ? Msg::EffectOrders : Msg::EffectOutcome,
                                                c.nf().signed_count(*s.model_forecast))
                                         : std::string(no_value)),
                    esc(c.nf().count(double(m.planned)))) +
               holdout_cross_check(c) + "</p>";
    } else if (r.check && r.has_note(Note::RangesFromHoldout)) {
        const auto& rel = s.relative_range;
        const std::string estimate =
            s.test_estimate ? c.tf(r.binary ? Msg::EffectOrders : Msg::EffectOutcome,
                                   esc(c.nf().signed_count(*s.test_estimate)))
                            : std::string(no_value);
        out += "<p class=\"note\" id=\"ranges-note\">" +
               c.tf(s.from_plan ? Msg::RangesNote : Msg::RangesNoteTest, esc(c.nf().percent(r.check->share, 1)),
                    esc(c.nf().count(double(r.check->rows))), esc(r.evaluation_file),
                    esc(c.nf().count(double(r.options.bootstrap))), esc(rel ? c.nf().percent(rel->low, 0) : no_value),
                    esc(rel ? c.nf().percent(rel->high, 0) : no_value), estimate) +
               "</p>";
    }
    if (r.has_note(Note::NoRangeNoUplift)) {
        out += "<p class=\"callout\" id=\"no-range\">" + c.t(Msg::NoteNoRangeNoUplift) + "</p>";
    }
    if (!s.from_plan) out += "<p class=\"callout\">" + c.t(Msg::NotePlanHint) + "</p>";
    return out + "</section>";
}

namespace {

/// A member of a plan's free-form parameters by key (empty when absent).
const artifacts::Setting* member(const artifacts::Setting& s, std::string_view key) {
    for (const auto& m : s.members) {
        if (m.key == key) return &m;
    }
    return nullptr;
}

std::string setting_text(const artifacts::Setting* s) {
    if (s == nullptr) return {};
    switch (s->kind) {
    case artifacts::Setting::Kind::Text: return s->text;
    case artifacts::Setting::Kind::Integer: return std::to_string(s->integer);
    case artifacts::Setting::Kind::Unsigned: return std::to_string(s->unsigned_integer);
    default: return {};
    }
}

std::string baseline_description(const Context& c, const Baseline& b, Msg name) {
    // optimize writes the descriptions in English; in another language the standard three are said again
    // from the plan's own parameters (the first offer, the random draws and their seed).
    const Report& r = c.report();
    if (c.lang() == Lang::En || name == Msg::BaselineOther || !r.plan || !r.plan->parameters) return b.description;
    const artifacts::Setting& p = *r.plan->parameters;
    std::string first_offer;
    if (const auto* offers = member(p, "offers"); offers != nullptr && !offers->members.empty()) {
        first_offer = setting_text(member(offers->members.front(), "offer"));
    }
    switch (name) {
    case Msg::BaselineEveryone: return c.tf(Msg::DescEveryone, esc(first_offer));
    case Msg::BaselineRandom:
        return c.tf(Msg::DescRandom, esc(setting_text(member(p, "random_repeats"))), esc(setting_text(member(p, "seed"))));
    case Msg::BaselineResponse: return c.t(r.binary ? Msg::DescResponse : Msg::DescResponseSpend);
    default: return b.description;
    }
}

}  // namespace

std::string budget_section(const Context& c) {
    const Report& r = c.report();
    if (!r.plan || r.plan->budget_curve.size() < 2) return {};
    const Plan& plan = *r.plan;
    const auto& nf = c.nf();
    const std::size_t start = budget_start(plan);
    const PlanFigures& p = plan.budget_curve[start];
    const auto pop = population(r);

    std::string out = "<section class=\"block\" id=\"budget\"><h2>" + c.t(Msg::BudgetTitle) + "</h2><p class=\"sub\">" +
                      c.t(Msg::BudgetSub) + "</p><div class=\"slider-box\"><div class=\"controls\">";
    out += "<label for=\"budget-slider\">" + c.t(Msg::Budget) + "</label>";
    out += "<div class=\"budget-value\" data-field=\"budget\">" + esc(nf.money(p.budget)) + "</div>";
    out += fmt::format("<input type=\"range\" id=\"budget-slider\" min=\"0\" max=\"{}\" step=\"1\" value=\"{}\" "
                       "aria-label=\"{}\">",
                       plan.budget_curve.size() - 1, start, c.t(Msg::Budget));
    out += "<div class=\"scale\"><span>" + esc(nf.money(plan.budget_curve.front().budget)) + "</span><span>" +
           esc(nf.money(plan.budget_curve.back().budget)) + "</span></div><dl class=\"live\">";
    const auto live = [&](Msg label, const char* field, const std::string& value, const std::string& attributes = {}) {
        out += "<dt>" + c.t(label) + "</dt><dd data-field=\"" + field + "\"" + attributes + ">" + esc(value) + "</dd>";
    };
    live(Msg::LiveContacts, "contacts", nf.count(p.contacts));
    live(Msg::LiveCoverage, "coverage", p.contacts && pop ? nf.percent(*p.contacts / *pop, 1) : no_value);
    live(Msg::LiveSpend, "spend", nf.money(p.spend));
    if (r.binary) live(Msg::LiveOrders, "conversions", nf.count(p.incremental_conversions));
    live(Msg::LiveRevenue, "revenue", nf.money(p.incremental_revenue));
    live(Msg::LiveProfit, "profit", nf.money(p.profit));
    live(Msg::LiveRoi, "roi", nf.percent(p.roi, 1));
    // With baselines at every budget: what the plan saves against a discount to everyone — every client, no
    // budget, when the plan file says what that costs (data-all-spend, read by the slider); else the everyone
    // baseline at this budget.
    const bool moving = plan.has_curve_baselines();
    if (moving) {
        const std::optional<double> all_spend = plan.everyone_all ? plan.everyone_all->spend : std::nullopt;
        const std::optional<double> against = all_spend ? all_spend : plan.curve_baseline(start, artifacts::baseline_everyone)->figures.spend;
        live(Msg::LiveSaved, "saved", against && p.spend ? nf.money(*against - *p.spend) : no_value,
             all_spend ? fmt::format(" data-all-spend=\"{}\"", *all_spend) : std::string());
    }
    out += "</dl></div><div>";

    // The plan at the chosen budget beside the baselines, which the plan file gives at its own budget.
    out += "<h3>" + c.t(Msg::CompareTitle) + "</h3><table class=\"data\"><thead><tr><th>" + c.t(Msg::ColStrategy) +
           "</th><th class=\"num\">" + c.t(Msg::ColClients) + "</th><th class=\"num\">" + c.t(Msg::ColSpend) +
           "</th><th class=\"num\">" + c.t(Msg::ColRevenue) + "</th><th class=\"num\">" + c.t(Msg::ColProfit) +
           "</th><th class=\"num\">" + c.t(Msg::ColRoi) + "</th></tr></thead><tbody>";
    out += "<tr class=\"ours\"><td>" + c.t(Msg::OurPlanAtBudget) + "</td><td class=\"num\" data-field=\"contacts\">" +
           esc(nf.count(p.contacts)) + "</td><td class=\"num\" data-field=\"spend\">" + esc(nf.money(p.spend)) +
           "</td><td class=\"num\" data-field=\"revenue\">" + esc(nf.money(p.incremental_revenue)) +
           "</td><td class=\"num\" data-field=\"profit\">" + esc(nf.money(p.profit)) +
           "</td><td class=\"num\" data-field=\"roi\">" + esc(nf.percent(p.roi, 1)) + "</td></tr>";
    for (const Baseline& top : plan.baselines) {
        // The slider moves these figures when the plan gives them at every budget; else they are the plan's.
        const Baseline* at = moving ? plan.curve_baseline(start, top.key) : nullptr;
        const Baseline& b = at != nullptr ? *at : top;
        const auto field = [&](const char* what) {
            return at != nullptr ? " data-field=\"b-" + esc(b.key) + "-" + what + "\"" : std::string();
        };
        const Msg name = b.key == artifacts::baseline_everyone        ? Msg::BaselineEveryone
                         : b.key == artifacts::baseline_random         ? Msg::BaselineRandom
                         : b.key == artifacts::baseline_response_model ? Msg::BaselineResponse
                                                     : Msg::BaselineOther;
        const std::string label = name == Msg::BaselineOther ? esc(b.key) : c.t(name);
        out += "<tr><td>" + label;
        if (!top.description.empty()) {
            out += "<span class=\"desc\">" + esc(baseline_description(c, top, name)) + "</span>";
        }
        out += "</td><td class=\"num\"" + field("contacts") + ">" + esc(nf.count(b.figures.contacts)) +
               "</td><td class=\"num\"" + field("spend") + ">" + esc(nf.money(b.figures.spend)) +
               "</td><td class=\"num\"" + field("revenue") + ">" + esc(nf.money(b.figures.incremental_revenue)) +
               "</td><td class=\"num\"" + field("profit") + ">" + esc(nf.money(b.figures.profit)) +
               "</td><td class=\"num\"" + field("roi") + ">" + esc(nf.percent(b.figures.roi, 1)) + "</td></tr>";
    }
    out += "</tbody></table>";
    if (moving) {
        out += "<p class=\"note\">" + c.t(Msg::BaselinesNoteCurve) + "</p>";
    } else if (!plan.baselines.empty() && plan.budget) {
        out += "<p class=\"note\">" + c.tf(Msg::BaselinesNote, esc(nf.money(*plan.budget))) + "</p>";
    }
    if (r.summary.measured) out += "<p class=\"note\" id=\"baselines-forecast\">" + c.t(Msg::BaselinesForecast) + "</p>";

    LineChart chart;
    chart.title = tr(c.lang(), Msg::BudgetChartTitle);
    chart.x_label = tr(c.lang(), Msg::Budget);
    chart.y_label = tr(c.lang(), Msg::AxisMoney);
    chart.no_data = tr(c.lang(), Msg::NoData);
    const NumberFormat& f = c.nf();
    chart.x_tick = [&f](double v) { return f.number(v, 0); };
    chart.y_tick = [&f](double v) { return f.number(v, 0); };
    ChartSeries revenue{tr(c.lang(), Msg::LiveRevenue), {}, {}, "s-revenue"};
    ChartSeries profit{tr(c.lang(), Msg::LiveProfit), {}, {}, "s-profit"};
    for (const auto& point : plan.budget_curve) {
        if (point.incremental_revenue) {
            revenue.x.push_back(*point.budget);
            revenue.y.push_back(*point.incremental_revenue);
        }
        if (point.profit) {
            profit.x.push_back(*point.budget);
            profit.y.push_back(*point.profit);
        }
    }
    chart.series = {revenue, profit};
    chart.marker_x = p.budget;
    chart.marker_id = "budget-marker";
    chart.height = 280;
    out += "<figure>" + render_line_chart(chart) + "<figcaption>" + c.t(Msg::BudgetChartCaption) + "</figcaption></figure>";
    return out + "</div></div></section>";
}

std::string plan_section(const Context& c) {
    const Report& r = c.report();
    if (!r.plan) return {};
    const Plan& plan = *r.plan;
    const auto& nf = c.nf();
    std::string out = "<section class=\"block\" id=\"plan\"><h2>" + c.t(Msg::PlanTitle) + "</h2>";
    if (!plan.per_offer.empty()) {
        out += "<table class=\"data\"><thead><tr><th>" + c.t(Msg::ColOffer) + "</th><th>" + c.t(Msg::ColChannel) +
               "</th><th class=\"num\">" + c.t(Msg::ColClients) + "</th><th class=\"num\">" + c.t(Msg::ColSpend) +
               "</th><th class=\"num\">" + c.t(Msg::ColOrders) + "</th><th class=\"num\">" + c.t(Msg::ColRevenue) +
               "</th><th class=\"num\">" + c.t(Msg::ColProfit) + "</th></tr></thead><tbody>";
        for (const auto& o : plan.per_offer) {
            out += "<tr><td>" + esc(o.offer) + "</td><td>" + esc(o.channel == artifacts::unnamed_channel ? std::string(no_value) : o.channel) + "</td><td class=\"num\">" +
                   esc(nf.count(o.figures.contacts)) + "</td><td class=\"num\">" + esc(nf.money(o.figures.spend)) +
                   "</td><td class=\"num\">" + esc(nf.number(o.figures.incremental_conversions, 1)) +
                   "</td><td class=\"num\">" + esc(nf.money(o.figures.incremental_revenue)) + "</td><td class=\"num\">" +
                   esc(nf.money(o.figures.profit)) + "</td></tr>";
        }
        out += "</tbody></table>";
    }
    out += "<table class=\"data kv\"><tbody>";
    const auto row = [&](Msg label, const std::string& value) {
        out += "<tr><td>" + c.t(label) + "</td><td class=\"num\">" + esc(value) + "</td></tr>";
    };
    if (plan.budget) row(Msg::Budget, nf.money(*plan.budget));
    if (plan.budget_used) row(Msg::BudgetUsed, nf.money(*plan.budget_used));
    if (plan.expected_incremental_conversions) row(Msg::ColOrders, nf.number(*plan.expected_incremental_conversions, 1));
    if (plan.upper_bound) row(Msg::UpperBound, nf.money(*plan.upper_bound));
    if (plan.gap) row(Msg::Gap, nf.money(*plan.gap));
    out += "</tbody></table><p class=\"note\">" + c.t(Msg::PlanNote) + "</p>";
    return out + "</section>";
}

}  // namespace uplift::report::html
