// The HTML page: head with a strict Content-Security-Policy, the sections, and the slider's data and script.

#include <cmath>

#include <nlohmann/json.hpp>

#include "uplift/core/version.hpp"
#include "uplift/report/csp_hash.hpp"
#include "uplift/report/html_assets.hpp"
#include "uplift/report/html_context.hpp"
#include "uplift/report/render.hpp"

namespace uplift::report {

namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

// The slider's data; strings in it come from our formats only, yet it is escaped like any JSON in a script.
std::string slider_data(const Report& r, const NumberFormat& nf) {
    Json doc;
    doc["format"] = Json{{"group", nf.group_separator()},
                         {"decimal", nf.decimal_mark()},
                         {"currency", sanitize_utf8(nf.currency())},
                         {"percent", r.options.lang == Lang::Ru ? "\xC2\xA0%" : "%"}};
    doc["population"] = number_or_null(population(r));
    doc["start"] = html::budget_start(*r.plan);
    Json curve = Json::array();
    const auto figures = [](const PlanFigures& p) {
        return Json{{"budget", number_or_null(p.budget)},
                    {"contacts", number_or_null(p.contacts)},
                    {"spend", number_or_null(p.spend)},
                    {"incremental_conversions", number_or_null(p.incremental_conversions)},
                    {"incremental_revenue", number_or_null(p.incremental_revenue)},
                    {"profit", number_or_null(p.profit)},
                    {"roi", number_or_null(p.roi)}};
    };
    // Baseline keys are data (plan.json); they stay inside this escaped JSON and in data-field attributes the
    // script matches exactly, never in markup it builds.
    const bool baselines = r.plan->has_curve_baselines();
    for (std::size_t i = 0; i < r.plan->budget_curve.size(); ++i) {
        Json point = figures(r.plan->budget_curve[i]);
        if (baselines) {
            Json b = Json::object();
            for (const Baseline& base : r.plan->curve_baselines[i]) b[sanitize_utf8(base.key)] = figures(base.figures);
            point["baselines"] = std::move(b);
        }
        curve.push_back(std::move(point));
    }
    doc["curve"] = std::move(curve);
    return json_for_script(doc.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

std::string render_html(const Report& r) {
    const html::Context c(r);
    const Lang lang = r.options.lang;
    const std::string title = r.options.title.empty() ? std::string(tr(lang, Msg::DefaultTitle)) : r.options.title;
    const std::string css(report_css());
    const std::string js(report_js());
    const bool slider = r.plan && r.plan->budget_curve.size() >= 2;

    std::string out = "<!DOCTYPE html>\n<html lang=\"";
    out += lang == Lang::Ru ? "ru" : "en";
    out += "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Nothing may load or run but the page's own stylesheet and script: no fetch, image, font or frame.
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src " + csp_hash(css) +
           "; script-src " + csp_hash(js) + "; base-uri 'none'; form-action 'none'\">\n";
    out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out += "<meta name=\"generator\" content=\"upliftctl " + html::esc(uplift::version()) + "\">\n";
    out += "<title>" + html::esc(title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n";

    out += "<header class=\"top\"><div class=\"page\"><p class=\"eyebrow\">" + c.t(Msg::Eyebrow) + "</p><h1>" +
           html::esc(title) + "</h1><p class=\"lede\">";
    if (!r.treatment_level.empty() || !r.control.empty()) {
        out += c.tf(Msg::Lede, html::esc(r.treatment_level), html::esc(r.control), html::esc(r.outcome_column),
                    html::esc(c.nf().count(static_cast<double>(r.scored_rows))),
                    html::esc(std::filesystem::path(r.scores_file).filename().string()));
        if (const auto pop = population(r); pop && r.plan) out += c.tf(Msg::LedePlan, html::esc(c.nf().count(*pop)));
    } else {
        out += c.tf(Msg::RowsCount, html::esc(c.nf().count(static_cast<double>(r.scored_rows))));
    }
    out += "</p></div></header>\n<main class=\"page\">\n";
    out += html::summary_section(c) + "\n";
    out += html::monthly_sections(c);
    out += html::budget_section(c) + "\n";
    out += html::plan_section(c) + "\n";
    out += html::analyst_section(c) + "\n";
    out += html::method_section(c) + "\n";
    out += "<footer>" + c.tf(Msg::Footer, html::esc(uplift::version())) + "</footer>\n</main>\n";
    if (slider) {
        out += "<script type=\"application/json\" id=\"upl-data\">" + slider_data(r, c.nf()) + "</script>\n";
        out += "<script>" + js + "</script>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace uplift::report
