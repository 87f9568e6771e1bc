// The report: escaping, SVG charts, A/B statistics against hand values, numbers equal to evaluate() and
// plan.json in every format, XSS payloads rendered inert, bad input mapped to the right error.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/eval/scored_table.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/report/ab_stats.hpp"
#include "uplift/report/client_kinds.hpp"
#include "uplift/report/csp_hash.hpp"
#include "uplift/report/gender_line.hpp"
#include "uplift/report/html_assets.hpp"
#include "uplift/report/html_escape.hpp"
#include "uplift/report/i18n.hpp"
#include "uplift/report/monthly_blocks.hpp"
#include "uplift/report/monthly_inputs.hpp"
#include "uplift/report/number_format.hpp"
#include "uplift/report/plan_file.hpp"
#include "uplift/report/render.hpp"
#include "uplift/report/report_model.hpp"
#include "uplift/report/report_sources.hpp"
#include "uplift/report/svg_chart.hpp"
#include "uplift/report/top_share_check.hpp"
#include "support/scratch.hpp"

namespace ur = uplift::report;
namespace ue = uplift::eval;
namespace io = uplift::io;
namespace fs = std::filesystem;
using nlohmann::json;
using Catch::Matchers::Contains;

namespace {

const std::string script_payload = "<script>alert(1)</script>";
const std::string attribute_payload = "\"><img src=x onerror=alert(1)>";

struct Experiment {
    std::vector<double> y;
    std::vector<std::uint8_t> t;
    std::vector<double> score;
};

/// A scored randomised test as `upliftctl score` writes it, roles in the metadata.
io::Table scores_table(std::size_t n, std::uint64_t seed, const std::string& level = "Coupon",
                       const std::string& control = "None", const std::string& outcome = "bought",
                       Experiment* experiment = nullptr, bool id_payloads = false) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    std::vector<std::string> ids, group;
    std::vector<double> y, p0s, pts, ups;
    for (std::size_t i = 0; i < n; ++i) {
        const double p0 = 0.05 + 0.2 * u01(rng);
        const double lift = u01(rng) > 0.6 ? 0.15 * u01(rng) : -0.02 * u01(rng);
        const double pt = std::clamp(p0 + lift, 0.0, 1.0);
        const bool treated = u01(rng) < 0.5;
        const double outcome_value = u01(rng) < (treated ? pt : p0) ? 1.0 : 0.0;
        ids.push_back(id_payloads ? (i % 2 ? script_payload : attribute_payload) + std::to_string(i)
                                  : "C" + std::to_string(i));
        group.push_back(treated ? level : control);
        y.push_back(outcome_value);
        p0s.push_back(p0);
        pts.push_back(pt);
        ups.push_back(lift + 0.05 * (u01(rng) - 0.5));
        if (experiment != nullptr) {
            experiment->y.push_back(outcome_value);
            experiment->t.push_back(treated ? 1 : 0);
            experiment->score.push_back(ups.back());
        }
    }
    std::vector<io::Column> columns;
    columns.push_back(io::Column::strings("client", ids));
    columns.push_back(io::Column::strings("group", group));
    columns.push_back(io::Column::doubles(outcome, y));
    columns.push_back(io::Column::doubles("p__control", p0s));
    columns.push_back(io::Column::doubles("p__" + level, pts));
    columns.push_back(io::Column::doubles("uplift__" + level, ups));
    columns.push_back(io::Column::doubles("uplift", ups));
    columns.push_back(io::Column::doubles("p_control", p0s));
    columns.push_back(io::Column::doubles("p_treatment", pts));
    io::Table table(std::move(columns));
    uplift::data::Roles roles;
    roles.id = "client";
    roles.treatment = "group";
    roles.control = control;
    roles.treatment_levels = {level};
    roles.outcome = outcome;
    uplift::data::store_roles(table.metadata(), roles);
    return table;
}

/// plan.json with the agreed keys; strings can be replaced by payloads.
json plan_json(const std::string& offer = "Coupon", const std::string& channel = "sms",
               const std::string& description = "every client gets the offer") {
    json curve = json::array();
    for (int i = 0; i < 60; ++i) {
        const double budget = 100.0 * i;
        const double spend = std::min(budget, 4500.0);
        const double conversions = 300 * (1 - std::exp(-spend / 1500));
        const double revenue = conversions * 40;
        const double profit = revenue * 0.4 - spend * 0.5;
        // The baselines at this budget, as optimize writes them (each spends at most the budget).
        const auto at = [&](double contacts, double conv) {
            return json{{"contacts", contacts}, {"spend", spend}, {"incremental_conversions", conv},
                        {"incremental_revenue", conv * 40}, {"profit", conv * 16 - spend},
                        {"roi", spend > 0 ? json((conv * 16 - spend) / spend) : json(nullptr)}};
        };
        curve.push_back({{"budget", budget}, {"contacts", std::round(spend / 2)}, {"spend", spend},
                         {"incremental_conversions", conversions}, {"incremental_revenue", revenue},
                         {"profit", profit}, {"roi", spend > 0 ? json(profit / spend) : json(nullptr)},
                         {"baselines", {{"everyone", at(std::round(spend / 2), spend / 20)},
                                        {"random", at(std::round(spend / 2), spend / 20 + i)},
                                        {"response_model", at(std::round(spend / 2), spend / 16)}}}});
    }
    const auto baseline = [](double contacts, double spend, double conv, const std::string& text) {
        return json{{"contacts", contacts}, {"spend", spend}, {"incremental_conversions", conv},
                    {"incremental_revenue", conv * 40}, {"profit", conv * 16 - spend},
                    {"roi", (conv * 16 - spend) / spend}, {"description", text}};
    };
    return json{{"budget", 1000.0},
                {"budget_used", 987.25},
                {"contacts", 493.0},
                {"expected_incremental_conversions", 142.37},
                {"expected_incremental_revenue", 5694.8},
                {"expected_spend", 987.25},
                {"expected_profit", 1290.3125},
                {"roi", 1290.3125 / 987.25},
                {"useless_discount_share", 0.4125},
                {"upper_bound", 1301.5},
                {"gap", 11.1875},
                {"per_offer", json::array({{{"offer", offer}, {"channel", channel}, {"contacts", 493.0},
                                            {"spend", 987.25}, {"incremental_conversions", 142.37},
                                            {"incremental_revenue", 5694.8}, {"profit", 1290.3125}}})},
                {"budget_curve", curve},
                {"baselines", {{"everyone", baseline(4000, 8000, 400, description)},
                               {"random", baseline(493, 987.25, 49, "random clients")},
                               {"response_model", baseline(493, 987.25, 61, "most likely buyers")}}},
                {"parameters", {{"margin", 0.4}, {"contact_cost", 0.5}}},
                {"provenance", {{"tool", "upliftctl"}}}};
}

ur::ReportSources sources_with(io::Table scores, const json& plan) {
    ur::ReportSources s;
    s.scores = std::move(scores);
    s.scores_file = "scores.parquet";
    s.plan = ur::parse_plan(plan.dump(), "plan.json");
    s.plan_file = "plan.json";
    return s;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

/// A strict well-formedness check for our SVG (XML): balanced tags, quoted attributes without '<', text
/// and attributes free of raw '<' and of '&' other than the five entities we write.
bool well_formed_xml(const std::string& s, std::string& why) {
    std::vector<std::string> stack;
    const auto entity_ok = [&](std::size_t i) {
        for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"}) {
            if (s.compare(i, std::strlen(e), e) == 0) return true;
        }
        return false;
    };
    const auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':'; };
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '&') {
            if (!entity_ok(i)) return why = "bad entity at " + std::to_string(i), false;
            ++i;
        } else if (s[i] != '<') {
            ++i;
        } else if (i + 1 < s.size() && s[i + 1] == '/') {
            std::size_t j = i + 2;
            while (j < s.size() && name_char(s[j])) ++j;
            const std::string name = s.substr(i + 2, j - i - 2);
            if (j >= s.size() || s[j] != '>') return why = "bad closing tag " + name, false;
            if (stack.empty() || stack.back() != name) return why = "unbalanced </" + name + ">", false;
            stack.pop_back();
            i = j + 1;
        } else {
            std::size_t j = i + 1;
            while (j < s.size() && name_char(s[j])) ++j;
            const std::string name = s.substr(i + 1, j - i - 1);
            if (name.empty()) return why = "raw '<' at " + std::to_string(i), false;
            for (;;) {
                while (j < s.size() && s[j] == ' ') ++j;
                if (j >= s.size()) return why = "unterminated <" + name, false;
                if (s[j] == '>') {
                    stack.push_back(name);
                    ++j;
                    break;
                }
                if (s.compare(j, 2, "/>") == 0) {
                    j += 2;
                    break;
                }
                const std::size_t a = j;
                while (j < s.size() && name_char(s[j])) ++j;
                if (j == a || j + 1 >= s.size() || s[j] != '=' || s[j + 1] != '"') {
                    return why = "bad attribute in <" + name + ">", false;
                }
                j += 2;
                while (j < s.size() && s[j] != '"') {
                    if (s[j] == '<') return why = "'<' in an attribute of <" + name + ">", false;
                    if (s[j] == '&' && !entity_ok(j)) return why = "bad entity in an attribute of <" + name + ">", false;
                    ++j;
                }
                if (j >= s.size()) return why = "unterminated attribute in <" + name + ">", false;
                ++j;
            }
            i = j;
            if (stack.empty() && name != "svg") return why = "root is <" + name + ">", false;
        }
    }
    if (!stack.empty()) return why = "unclosed <" + stack.back() + ">", false;
    return true;
}

void require_well_formed(const std::string& svg) {
    std::string why;
    INFO(svg);
    REQUIRE(well_formed_xml(svg, why));
    CHECK(why.empty());
    CHECK(svg.rfind("<svg", 0) == 0);
}

/// Every tag of an HTML page: names must be ours, no attribute may be an event handler, and scripts must be
/// exactly the page's two (data, then code). Raw-text elements (script, style) are skipped.
void require_only_our_markup(const std::string& html) {
    static const std::set<std::string> allowed = {
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "div", "p",
        "h1", "h2", "h3", "span", "b", "code", "label", "input", "dl", "dt", "dd", "table", "thead", "tbody", "tr",
        "th", "td", "figure", "figcaption", "ul", "li", "svg", "g", "line", "text", "rect", "polyline", "circle",
        "path", "script"};
    int scripts = 0;
    for (std::size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
        std::size_t j = i + 1;
        if (j < html.size() && html[j] == '/') ++j;
        std::size_t k = j;
        while (k < html.size() && (std::isalnum(static_cast<unsigned char>(html[k])) || html[k] == '!')) ++k;
        const std::string name = html.substr(j, k - j);
        INFO("tag at " << i << ": " << html.substr(i, 80));
        REQUIRE(!name.empty());
        REQUIRE(allowed.count(name) == 1);
        const std::size_t end = html.find('>', k);
        REQUIRE(end != std::string::npos);
        const std::string tag = html.substr(i, end - i + 1);
        // Attribute names outside quoted values: none may be an event handler (on...).
        for (std::size_t a = k; a < end;) {
            if (html[a] == '"') {
                a = html.find('"', a + 1) + 1;
                continue;
            }
            if (std::isalpha(static_cast<unsigned char>(html[a])) && std::isspace(static_cast<unsigned char>(html[a - 1]))) {
                std::size_t b = a;
                while (b < end && (std::isalnum(static_cast<unsigned char>(html[b])) || html[b] == '-')) ++b;
                const std::string attribute = html.substr(a, b - a);
                CHECK_FALSE(attribute.rfind("on", 0) == 0);
                a = b;
                continue;
            }
            ++a;
        }
        if (html[i + 1] != '/' && (name == "script" || name == "style")) {
            if (name == "script") {
                ++scripts;
                CHECK((scripts == 1 ? tag == "<script type=\"application/json\" id=\"upl-data\">" : tag == "<script>"));
            }
            i = html.find("</" + name + ">", end);
            REQUIRE(i != std::string::npos);
        }
    }
    CHECK(scripts <= 2);
}

}  // namespace

// --- escaping ------------------------------------------------------------------------------------------

TEST_CASE("escape_html makes markup and attribute breakouts inert", "[report][escape]") {
    CHECK(ur::escape_html(script_payload) == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(ur::escape_html(attribute_payload) == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    CHECK(ur::escape_html("a & b 'c'") == "a &amp; b &#39;c&#39;");
    CHECK(ur::escape_html("Скидка 10%") == "Скидка 10%");
    CHECK(ur::escape_html("bad\xFF byte") == "bad\xEF\xBF\xBD byte");
    CHECK(ur::escape_html(std::string("nul\0x", 5)) == "nul\xEF\xBF\xBDx");
    CHECK(ur::escape_html("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
    CHECK(ur::escape_html("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST_CASE("json_for_script cannot close the script element and reads back unchanged", "[report][escape]") {
    const json original = {{"level", "</script><script>alert(1)</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9"}};
    const std::string safe = ur::json_for_script(original.dump());
    CHECK(safe.find('<') == std::string::npos);
    CHECK(safe.find('>') == std::string::npos);
    CHECK(safe.find('&') == std::string::npos);
    CHECK(safe.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(safe.find("\xE2\x80\xA9") == std::string::npos);
    CHECK(json::parse(safe) == original);
}

TEST_CASE("escape_markdown neutralises markup, emphasis and table pipes", "[report][escape]") {
    const std::string md = ur::escape_markdown(script_payload + " | *x* [a](b)\nnext");
    CHECK(md.find("<script") == std::string::npos);
    CHECK_THAT(md, Contains("&lt;script>alert(1)&lt;/script>"));
    CHECK_THAT(md, Contains("\\|"));
    CHECK_THAT(md, Contains("\\*x\\*"));
    CHECK_THAT(md, Contains("\\[a\\](b)"));
    CHECK(md.find('\n') == std::string::npos);
    CHECK(ur::escape_markdown("p < 0.001 & more") == "p < 0.001 & more");
    CHECK(ur::escape_markdown(attribute_payload).find("<img") == std::string::npos);
}

// --- SVG charts ----------------------------------------------------------------------------------------

TEST_CASE("line charts are well-formed for empty, single-point, flat, negative and non-finite data",
          "[report][svg]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<std::vector<ur::ChartSeries>> cases = {
        {},
        {{"empty", {}, {}, "s-model"}},
        {{"one", {3.0}, {7.0}, "s-model"}},
        {{"flat", {0, 1, 2}, {5, 5, 5}, "s-model"}},
        {{"negative", {0, 10, 20}, {-4, -9.5, -1e-9}, "s-model"}, {"ref", {0, 20}, {0, -12}, "s-random"}},
        {{"gaps", {0, 1, nan, 3, 4}, {1, inf, 2, 3, -inf}, "s-model"}},
        {{script_payload, {0, 1}, {0, 1}, attribute_payload}},
        {{"huge", {0, 1e12}, {-3e11, 4e11}, "s-model"}},
    };
    for (const auto& series : cases) {
        ur::LineChart chart;
        chart.title = script_payload;
        chart.x_label = attribute_payload;
        chart.y_label = "y & <y>";
        chart.series = series;
        const std::string svg = ur::render_line_chart(chart);
        require_well_formed(svg);
        CHECK(svg.find("<script") == std::string::npos);
        CHECK(svg.find("<img") == std::string::npos);
        CHECK(svg.find("nan") == std::string::npos);
        CHECK(svg.find("inf") == std::string::npos);
    }
    ur::LineChart with_marker;
    with_marker.series = {{"a", {0, 10}, {0, 5}, "s-model"}};
    with_marker.marker_x = 4.0;
    with_marker.marker_id = "budget-marker";
    const std::string svg = ur::render_line_chart(with_marker);
    require_well_formed(svg);
    CHECK_THAT(svg, Contains("id=\"budget-marker\""));
    CHECK_THAT(svg, Contains("data-x0=\"0\""));
}

TEST_CASE("bar and horizontal bar charts are well-formed, with negatives and error bars", "[report][svg]") {
    ur::BarChart bars;
    bars.title = "deciles";
    bars.bars = {{"0-10", 0.12, 0.05, 0.19}, {"10-20", -0.03, -0.08, 0.02}, {script_payload, std::nullopt, {}, {}},
                 {"30-40", 0.0, {}, {}}};
    bars.reference = 0.02;
    bars.reference_label = attribute_payload;
    std::string svg = ur::render_bar_chart(bars);
    require_well_formed(svg);
    CHECK_THAT(svg, Contains("negative"));
    CHECK_THAT(svg, Contains("error-bar"));

    ur::BarChart empty;
    require_well_formed(ur::render_bar_chart(empty));
    CHECK_THAT(ur::render_bar_chart(empty), Contains("no data"));
    ur::BarChart one;
    one.bars = {{"only", -5.0, {}, {}}};
    require_well_formed(ur::render_bar_chart(one));

    ur::HBarChart h;
    require_well_formed(ur::render_hbar_chart(h));
    h.bars = {{script_payload, 3.0, "3", "b-main"}, {"zero", 0.0, "0", "b-main"}, {"neg", -1.0, "-1", "b-main"},
              {"a very long feature name that will not fit in the label column at all", 1.0, "1", "b-main"}};
    svg = ur::render_hbar_chart(h);
    require_well_formed(svg);
    CHECK(svg.find("<script") == std::string::npos);
}

TEST_CASE("nice_ticks covers the range with round steps", "[report][svg]") {
    const auto unit = ur::nice_ticks(0, 1, 5);
    REQUIRE(unit.size() == 6);
    CHECK(unit.front() == 0.0);
    CHECK(unit[1] == Approx(0.2));
    CHECK(unit.back() == Approx(1.0));
    const auto t = ur::nice_ticks(-3.2, 17.5, 5);
    CHECK(t.front() <= -3.2);
    CHECK(t.back() >= 17.5);
    CHECK(t[1] - t[0] == Approx(5.0));
    CHECK(ur::nice_ticks(4, 4, 5).size() >= 2);
    CHECK(ur::nice_ticks(std::nan(""), 1, 5) == std::vector<double>{0, 1});
}

// --- A/B statistics ------------------------------------------------------------------------------------

TEST_CASE("distribution functions match closed forms and tables", "[report][stats]") {
    CHECK(ur::normal_cdf(0) == Approx(0.5).margin(1e-15));
    CHECK(ur::normal_cdf(1.959963984540054) == Approx(0.975).margin(1e-12));
    CHECK(ur::normal_quantile(0.975) == Approx(1.959963984540054).margin(1e-12));
    CHECK(ur::normal_quantile(0.001) == Approx(-3.090232306167813).margin(1e-11));
    CHECK(ur::normal_quantile(0.5) == Approx(0.0).margin(1e-15));
    CHECK(ur::incomplete_beta(1, 1, 0.3) == Approx(0.3).margin(1e-14));
    CHECK(ur::incomplete_beta(2, 3, 0.4) == Approx(0.5248).margin(1e-13));  // sum of binomial terms, n = 4
    CHECK(ur::student_t_cdf(1, 1) == Approx(0.75).margin(1e-13));            // Cauchy
    const double t = 1.3;                                                     // df = 2 has a closed form
    CHECK(ur::student_t_cdf(t, 2) == Approx(0.5 + t / (2 * std::sqrt(2 + t * t))).margin(1e-13));
    CHECK(ur::student_t_quantile(0.975, 1) == Approx(12.706204736174696).margin(1e-8));
    CHECK(ur::student_t_quantile(0.975, 10) == Approx(2.228138851986273).margin(1e-9));
    CHECK(ur::student_t_quantile(0.025, 10) == Approx(-2.228138851986273).margin(1e-9));
    CHECK_THROWS_AS(ur::normal_quantile(1.0), uplift::UsageError);
}

TEST_CASE("two-proportion z-test against hand values", "[report][stats]") {
    // 120/1000 vs 100/1000: pooled p = 0.11, z = 0.02 / sqrt(0.11 * 0.89 * 0.002).
    const auto r = ur::two_proportion_z_test(120, 1000, 100, 1000);
    REQUIRE(r);
    CHECK(r->difference == Approx(0.02).margin(1e-15));
    CHECK(r->statistic == Approx(1.4293008498232314).margin(1e-12));
    CHECK(r->p_value == Approx(0.1529177818639462).margin(1e-12));
    CHECK(r->std_error == Approx(0.013985706989637671).margin(1e-15));
    CHECK(r->ci_low == Approx(-0.0074114819980199455).margin(1e-12));
    CHECK(r->ci_high == Approx(0.04741148199801992).margin(1e-12));
    CHECK_FALSE(r->df);
    CHECK_FALSE(ur::two_proportion_z_test(1, 0, 1, 10));
    const auto none = ur::two_proportion_z_test(0, 10, 0, 10);  // no variance, no difference
    REQUIRE(none);
    CHECK(none->p_value == 1.0);
}

TEST_CASE("Welch t-test against hand values", "[report][stats]") {
    // means 20 and 17, variances 16 and 9, n 10 and 12: se = sqrt(2.35), df by Welch-Satterthwaite; the
    // p-value and quantile were integrated numerically from the t density.
    const auto r = ur::welch_t_test(20, 16, 10, 17, 9, 12);
    REQUIRE(r);
    CHECK(r->statistic == Approx(1.9569842191603264).margin(1e-12));
    REQUIRE(r->df);
    CHECK(*r->df == Approx(16.456543005493266).margin(1e-10));
    CHECK(r->p_value == Approx(0.06753461342495125).margin(1e-8));
    const double half_width = 2.1151355884311602 * std::sqrt(2.35);
    CHECK(r->ci_low == Approx(3 - half_width).margin(1e-6));
    CHECK(r->ci_high == Approx(3 + half_width).margin(1e-6));
    CHECK_FALSE(ur::welch_t_test(1, 1, 1, 1, 1, 5));
}

TEST_CASE("ab_readout picks the test by outcome type and summarises the groups", "[report][stats]") {
    const std::vector<double> y = {1, 0, 0, 1, 1, 0, 0, 0, 1, 0};
    const std::vector<std::uint8_t> t = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    const auto binary = ur::ab_readout(y, t, true);
    CHECK(binary.test == ur::AbTest::TwoProportionZ);
    CHECK(binary.treated.mean == Approx(0.6));
    CHECK(binary.control.mean == Approx(0.2));
    REQUIRE(binary.result);
    CHECK(binary.result->p_value == Approx(ur::two_proportion_z_test(3, 5, 1, 5)->p_value));
    CHECK(*binary.relative_lift == Approx(2.0));

    const std::vector<double> spend = {10, 12, 9, 14, 0, 3, 5, 4, 8, 6};
    const auto continuous = ur::ab_readout(spend, t, true);  // not 0/1: Welch even when called binary
    CHECK(continuous.test == ur::AbTest::WelchT);
    CHECK(continuous.treated.mean == Approx(9.0));
    CHECK(continuous.treated.variance == Approx((1 + 9 + 0 + 25 + 81) / 4.0));
    CHECK(continuous.control.variance == Approx((4.84 + 0.04 + 1.44 + 7.84 + 0.64) / 4.0));
    REQUIRE(continuous.result);
    CHECK(continuous.result->p_value == Approx(ur::welch_t_test(9, 29, 5, 5.2, 3.7, 5)->p_value).margin(1e-12));
}

// --- numbers, languages, hashes ------------------------------------------------------------------------

TEST_CASE("numbers are formatted for each language", "[report][format]") {
    const ur::NumberFormat en(ur::Lang::En, "USD");
    const ur::NumberFormat ru(ur::Lang::Ru);
    CHECK(en.count(1234567.4) == "1,234,567");
    CHECK(en.number(-0.00001, 2) == "0.00");
    CHECK(en.number(-1234.5, 1) == "\xE2\x88\x92" "1,234.5");
    CHECK(en.money(1234.4) == "1,234\xC2\xA0USD");
    CHECK(en.money(12.5) == "12.50\xC2\xA0USD");
    CHECK(en.percent(0.1234) == "12.3%");
    CHECK(en.points(0.045) == "+4.5\xC2\xA0pp");
    CHECK(en.p_value(0.0001) == "<\xC2\xA0" "0.001");
    CHECK(en.count(std::nan("")) == ur::no_value);
    CHECK(ru.number(12345.6, 1) == "12\xC2\xA0" "345,6");
    CHECK(ru.percent(0.5) == "50,0\xC2\xA0%");
}

TEST_CASE("both languages have every message with the same placeholders", "[report][i18n]") {
    const auto placeholders = [](const std::string& text) {
        std::multiset<std::string> out;
        for (auto pos = text.find('{'); pos != std::string::npos; pos = text.find('{', pos + 1)) {
            out.insert(text.substr(pos, text.find('}', pos) - pos + 1));
        }
        return out;
    };
    for (int i = 0; i < ur::message_count; ++i) {
        const auto m = static_cast<ur::Msg>(i);
        const std::string en = ur::tr(ur::Lang::En, m);
        const std::string ru = ur::tr(ur::Lang::Ru, m);
        INFO("message " << i << ": " << en);
        CHECK_FALSE(en.empty());
        CHECK_FALSE(ru.empty());
        CHECK(placeholders(en) == placeholders(ru));
    }
    CHECK(ur::parse_lang("ru") == ur::Lang::Ru);
    CHECK_THROWS_AS(ur::parse_lang("de"), uplift::UsageError);
}

TEST_CASE("CSP hashes are SHA-256 in base64", "[report][csp]") {
    CHECK(ur::csp_hash("abc") == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
    CHECK(ur::csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    // 56 bytes: the padding spills into a second block.
    CHECK(ur::csp_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "'sha256-JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE='");
}

// --- the report's numbers ------------------------------------------------------------------------------

TEST_CASE("report numbers equal evaluate() and plan.json in every format", "[report][numbers]") {
    Experiment ex;
    const json plan = plan_json();
    auto sources = sources_with(scores_table(4000, 17, "Coupon", "None", "bought", &ex), plan);
    ur::ReportOptions options;
    options.bootstrap = 40;
    options.seed = 9;
    options.currency = "USD";
    const auto report = ur::compute_report(sources, options);

    ue::EvaluationOptions eval_options;
    eval_options.bootstrap = 40;
    eval_options.seed = 9;
    const auto direct = ue::evaluate(ex.y, ex.t, ex.score, eval_options);
    REQUIRE(report.evaluation);
    CHECK(uplift::artifacts::to_json(*report.evaluation) == uplift::artifacts::to_json(direct));

    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["evaluation"] == json::parse(uplift::artifacts::to_json(direct)));
    for (const char* key : {"budget", "budget_used", "contacts", "expected_incremental_conversions",
                            "expected_incremental_revenue", "expected_spend", "expected_profit", "roi",
                            "useless_discount_share", "upper_bound", "gap"}) {
        INFO(key);
        CHECK(doc["plan"][key] == plan[key]);
    }
    CHECK(doc["plan"]["budget_curve"] == plan["budget_curve"]);
    CHECK(doc["plan"]["per_offer"] == plan["per_offer"]);
    CHECK(doc["plan"]["baselines"] == plan["baselines"]);
    CHECK(doc["summary"]["spend"]["value"] == plan["expected_spend"]);
    CHECK(doc["summary"]["profit"]["value"] == plan["expected_profit"]);
    CHECK(doc["summary"]["roi"]["value"] == plan["roi"]);
    CHECK(doc["summary"]["incremental_conversions"]["value"] == plan["expected_incremental_conversions"]);
    CHECK(doc["summary"]["saved_vs_everyone"]["value"] == 8000.0 - 987.25);
    CHECK(doc["summary"]["coverage_share"] == 493.0 / 4000.0);

    // Ranges belong to the plan's figures: the figure times the test's range relative to its estimate among
    // the same top share.
    REQUIRE(report.check);
    CHECK(report.check->share == 493.0 / 4000.0);
    CHECK(*report.check->uplift == *ue::uplift_at_k(ex.y, ex.t, ex.score, 493.0 / 4000.0, ue::Strategy::Overall));
    REQUIRE(*report.check->uplift > 0);
    REQUIRE(report.summary.incremental_conversions.range);
    CHECK(report.summary.incremental_conversions.range->low ==
          Approx(142.37 * report.check->uplift_range->low / *report.check->uplift).epsilon(1e-12));
    CHECK(report.summary.incremental_conversions.range->low <= 142.37);
    CHECK(report.summary.incremental_conversions.range->high >= 142.37);
    CHECK(*report.summary.test_estimate == Approx(*report.check->uplift * 493.0));
    CHECK(doc["summary"]["test_estimate"] == *report.summary.test_estimate);
    REQUIRE(report.plan->has_curve_baselines());
    CHECK(doc["plan"]["budget_curve"][7]["baselines"] == plan["budget_curve"][7]["baselines"]);
    REQUIRE(report.summary.roi.range);
    CHECK(report.summary.roi.range->low <= report.summary.roi.range->high);

    const ur::NumberFormat nf(ur::Lang::En, "USD");
    const std::string html = ur::render_html(report);
    const std::string md = ur::render_markdown(report);
    for (const std::string& shown : {nf.metric(*direct.qini_auc), nf.metric(*direct.uplift_auc),
                                     nf.money(987.25), nf.signed_money(1290.3125), nf.signed_count(142.37),
                                     nf.percent(0.4125, 1), nf.money(8000.0 - 987.25)}) {
        INFO(shown);
        CHECK_THAT(html, Contains(ur::escape_html(shown)));
        CHECK_THAT(md, Contains(shown));
    }
    CHECK_THAT(md, Contains(nf.points(*direct.uplift_at_k[0].value.overall)));
    CHECK_THAT(html, Contains("id=\"budget-slider\""));
    CHECK_THAT(html, Contains(ur::csp_hash(ur::report_js())));
    CHECK_THAT(html, Contains(ur::csp_hash(ur::report_css())));
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(ur::render_html(ur::compute_report(sources, options)) == html);  // deterministic
    require_only_our_markup(html);
}

TEST_CASE("report from files equals `evaluate` on the same scores file", "[report][numbers]") {
    const fs::path dir = test_support::fresh_dir("test_report", "files");
    io::write_table(scores_table(1500, 3), dir / "scores.csv");
    std::ofstream(dir / "plan.json") << plan_json().dump(1);

    ur::ReportPaths paths;
    paths.scores = dir / "scores.csv";
    paths.plan = dir / "plan.json";
    ur::ReportOptions options;
    options.bootstrap = 25;
    options.seed = 4;
    const auto report = ur::compute_report(ur::load_report_sources(paths), options);

    // What cmd_evaluate does with --bootstrap 25 --seed 4 --json.
    const auto table = io::read_table(dir / "scores.csv");
    const auto input = ue::select_scored_input(table, (dir / "scores.csv").string(), {});
    ue::EvaluationOptions eval_options;
    eval_options.bootstrap = 25;
    eval_options.seed = 4;
    const json expected = json::parse(uplift::artifacts::to_json(ue::evaluate(input.y, input.treatment, input.score, eval_options)));
    CHECK(json::parse(ur::render_json(report))["evaluation"] == expected);
    fs::remove_all(dir);
}

TEST_CASE("without a plan the summary comes from the test, and Russian renders", "[report][numbers]") {
    ur::ReportSources sources;
    sources.scores = scores_table(3000, 5);
    sources.scores_file = "holdout.parquet";
    ur::ReportOptions options;
    options.bootstrap = 20;
    options.lang = ur::Lang::Ru;
    const auto report = ur::compute_report(sources, options);
    CHECK(report.has_note(ur::Note::NoPlan));
    CHECK(report.has_note(ur::Note::NoModel));
    CHECK_FALSE(report.summary.from_plan);
    REQUIRE(report.check);
    CHECK(report.check->share == *ur::qini_peak_share(report.evaluation->qini_curve, report.evaluation->n));
    REQUIRE(report.summary.incremental_conversions.value);
    CHECK(*report.summary.incremental_conversions.value == Approx(*report.check->uplift * std::round(report.check->share * 3000)));
    const std::string html = ur::render_html(report);
    CHECK_THAT(html, Contains("<html lang=\"ru\">"));
    CHECK_THAT(html, Contains("Кому давать скидку"));
    CHECK(html.find("budget-slider") == std::string::npos);
    require_only_our_markup(html);
    CHECK_THAT(ur::render_markdown(report), Contains("Qini AUC"));
}

TEST_CASE("client kinds from probabilities, from score's labels and from a label column", "[report][kinds]") {
    // By the rule of eval/client_kinds.hpp: uplift +0.3 persuadable, −0.1 do not disturb, 0 with p0 0.6 a sure
    // thing, +0.005 with p0 0.1 a lost cause (below the 0.01 uplift threshold).
    io::Table probs({io::Column::doubles("p__control", {0.2, 0.5, 0.6, 0.1}),
                     io::Column::doubles("p__X", {0.5, 0.4, 0.6, 0.105})});
    const auto k = ur::client_kinds(probs, "X", true);
    REQUIRE(k);
    CHECK(k->by_rule);
    CHECK(k->persuadable == 1);
    CHECK(k->sleeping_dog == 1);
    CHECK(k->sure_thing == 1);
    CHECK(k->lost_cause == 1);
    CHECK(k->clients == 4);
    CHECK_FALSE(ur::client_kinds(probs, "X", false));
    // Settable thresholds: with a 0.2 uplift threshold only the first client is still persuadable, and the
    // second (−0.1, p0 0.5) becomes a sure thing.
    const auto strict = ur::client_kinds(probs, "X", true, {0.2, 0.5});
    REQUIRE(strict);
    CHECK(strict->persuadable == 1);
    CHECK(strict->sleeping_dog == 0);
    CHECK(strict->sure_thing == 2);
    CHECK(strict->lost_cause == 1);

    // score's uplift_segment column wins over the probabilities: the report counts the scores' own labels.
    io::Table scored = probs;
    scored.add_column(io::Column::strings("uplift_segment", {"lost_cause", "lost_cause", "sure_thing", "persuadable"}));
    const auto same = ur::client_kinds(scored, "X", true);
    REQUIRE(same);
    CHECK_FALSE(same->by_rule);
    CHECK(same->lost_cause == 2);
    CHECK(same->persuadable == 1);
    CHECK(same->source == "uplift_segment");

    io::Table labels({io::Column::strings("client_kind", {"persuadable", "Sure thing", "lost_cause", "sleeping-dog",
                                                          "persuadables", "unknown"})});
    const auto counted = ur::client_kinds(labels, "", false);
    REQUIRE(counted);
    CHECK_FALSE(counted->by_rule);
    CHECK(counted->persuadable == 2);
    CHECK(counted->sure_thing == 1);
    CHECK(counted->sleeping_dog == 1);
    CHECK(counted->clients == 5);
}

TEST_CASE("top-share check agrees with uplift@k and is reproducible", "[report][numbers]") {
    Experiment ex;
    scores_table(2000, 8, "Coupon", "None", "bought", &ex);
    const ue::RankedScores ranked(ex.y, ex.t, ex.score);
    const auto a = ur::check_top_share(ranked, 0.25, true, 30, 1);
    const auto b = ur::check_top_share(ranked, 0.25, true, 30, 1);
    CHECK(*a.uplift == *ue::uplift_at_k(ex.y, ex.t, ex.score, 0.25, ue::Strategy::Overall));
    REQUIRE(a.uplift_range);
    CHECK(a.uplift_range->low == b.uplift_range->low);
    CHECK(a.uplift_range->high == b.uplift_range->high);
    CHECK(a.rows == 500);
    CHECK(a.rows_treatment + a.rows_control == 500);
    REQUIRE(a.useless_share);
    CHECK(*a.useless_share <= 1.0);
    CHECK_FALSE(ur::check_top_share(ranked, 0.25, true, 0, 1).uplift_range);
    CHECK_THROWS_AS(ur::check_top_share(ranked, 0.0, true, 0, 1), uplift::UsageError);
}

// --- XSS -----------------------------------------------------------------------------------------------

TEST_CASE("data strings with markup never reach the page as markup", "[report][xss]") {
    const std::string level = script_payload;
    const std::string control = attribute_payload;
    const std::string outcome = "bought" + attribute_payload;
    auto scores = scores_table(800, 21, level, control, outcome, nullptr, true);
    auto sources = sources_with(std::move(scores), plan_json(script_payload, attribute_payload,
                                                             "</script><script>alert(2)</script>\xE2\x80\xA8"));
    ur::ReportOptions options;
    options.bootstrap = 10;
    options.title = script_payload;
    options.currency = "</script><script>alert(3)</script>";
    const auto report = ur::compute_report(sources, options);

    const std::string html = ur::render_html(report);
    CHECK(html.find(script_payload) == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("alert(2)</script>") == std::string::npos);
    CHECK(html.find("alert(3)</script>") == std::string::npos);
    CHECK_THAT(html, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_THAT(html, Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    CHECK(count_of(html, "<script") == 2);
    CHECK(count_of(html, "</script>") == 2);
    require_only_our_markup(html);

    const std::string md = ur::render_markdown(report);
    CHECK(md.find("<script") == std::string::npos);
    CHECK(md.find("<img") == std::string::npos);

    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["inputs"]["treatment_level"] == level);
    CHECK(doc["plan"]["per_offer"][0]["offer"] == script_payload);
}

// --- bad input -----------------------------------------------------------------------------------------

TEST_CASE("plan.json: wrong types are DataErrors naming the key, missing keys are tolerated", "[report][plan]") {
    const auto fails_with = [](const std::string& text, const std::string& key) {
        INFO(text);
        try {
            ur::parse_plan(text, "plan.json");
            FAIL("no error");
        } catch (const uplift::DataError& e) {
            CHECK_THAT(e.what(), Contains(key));
        }
    };
    fails_with(R"({"budget": "lots"})", "'budget'");
    fails_with(R"({"roi": [1]})", "'roi'");
    fails_with(R"({"budget_curve": [{"budget": 1, "spend": "x"}]})", "'budget_curve[0].spend'");
    fails_with(R"({"budget_curve": {"budget": 1}})", "'budget_curve'");
    fails_with(R"({"per_offer": [{"offer": 5}]})", "'per_offer[0].offer'");
    fails_with(R"({"baselines": {"everyone": 5}})", "'baselines.everyone'");
    fails_with(R"({"baselines": {"random": {"profit": true}}})", "'baselines.random.profit'");
    fails_with("[1, 2]", "top level");
    fails_with("{\"budget\": ", "not valid JSON");

    const auto empty = ur::parse_plan("{}", "plan.json");
    CHECK_FALSE(empty.budget);
    CHECK(empty.budget_curve.empty());
    const auto nulls = ur::parse_plan(R"({"roi": null, "useless_discount_share": null, "contacts": 5})", "p");
    CHECK_FALSE(nulls.roi);
    CHECK(*nulls.contacts == 5);

    // A plan without a curve or baselines still renders, without the slider.
    auto sources = sources_with(scores_table(500, 2), json{{"contacts", 50}, {"expected_spend", 100.5}});
    ur::ReportOptions options;
    options.bootstrap = 0;
    const auto report = ur::compute_report(sources, options);
    CHECK(report.has_note(ur::Note::NoBudgetCurve));
    CHECK(report.has_note(ur::Note::NoBootstrap));
    const std::string html = ur::render_html(report);
    CHECK(html.find("budget-slider") == std::string::npos);
    require_only_our_markup(html);
}

TEST_CASE("missing files, unknown formats and ambiguous levels are the right errors", "[report][errors]") {
    ur::ReportPaths paths;
    paths.scores = "/nonexistent/scores.parquet";
    CHECK_THROWS_AS(ur::load_report_sources(paths), uplift::IoError);
    CHECK_THROWS_AS(ur::read_plan("/nonexistent/plan.json"), uplift::IoError);
    CHECK_THROWS_AS(ur::output_format_of("report.pdf"), uplift::UsageError);
    CHECK(ur::output_format_of("r.HTML") == ur::OutputFormat::Html);
    CHECK(ur::output_format_of("r.md") == ur::OutputFormat::Markdown);
    CHECK(ur::output_format_of("r.json") == ur::OutputFormat::Json);

    const fs::path dir = test_support::fresh_dir("test_report", "errors");
    io::write_table(scores_table(300, 1), dir / "scores.csv");
    std::ofstream(dir / "plan.json") << R"({"budget_curve": [{"budget": "ten"}]})";
    paths.scores = dir / "scores.csv";
    paths.plan = dir / "plan.json";
    CHECK_THROWS_AS(ur::load_report_sources(paths), uplift::DataError);
    paths.plan.clear();
    paths.model = dir / "no_model";
    CHECK_THROWS_AS(ur::load_report_sources(paths), uplift::ModelError);
    fs::remove_all(dir);

    // Two treated levels and no --treatment-level.
    auto table = scores_table(200, 6);
    auto roles = *uplift::data::load_roles(table.metadata());
    roles.treatment_levels = {"Coupon", "Other"};
    uplift::data::store_roles(table.metadata(), roles);
    ur::ReportSources sources;
    sources.scores = table;
    CHECK_THROWS_AS(ur::compute_report(sources, {}), uplift::UsageError);
    sources.columns.treatment_level = "Coupon";
    CHECK_NOTHROW(ur::compute_report(sources, {}));

    ur::ReportOptions bad;
    bad.bootstrap = -1;
    CHECK_THROWS_AS(ur::compute_report(sources, bad), uplift::UsageError);
}

// --- plan ranges, average check, baselines along the curve ------------------------------------------------

TEST_CASE("plan ranges are the plan's figures times the test's relative range (hand-checked)", "[report][ranges]") {
    ur::Plan plan;
    plan.contacts = 1000;
    plan.expected_incremental_conversions = 100;
    plan.expected_incremental_revenue = 4000;
    plan.expected_spend = 500;
    plan.expected_profit = 1100;
    plan.roi = 1100.0 / 500.0;
    plan.useless_discount_share = 0.4;
    ur::TopShareCheck check;
    check.share = 0.1;
    check.uplift = 0.05;                                  // the test: 5 points among the plan's top share
    check.uplift_range = ue::ConfidenceInterval{0.03, 0.08};  // i.e. 60% … 160% of its estimate
    check.useless_share = 0.5;
    check.useless_share_range = ue::ConfidenceInterval{0.4, 0.7};  // 80% … 140%

    const auto s = ur::summary_from_plan(plan, check, true, 10000);
    REQUIRE(s.relative_range);
    CHECK(s.relative_range->low == Approx(0.6));
    CHECK(s.relative_range->high == Approx(1.6));
    CHECK(*s.incremental_conversions.value == 100);  // the plan's figure, unchanged
    CHECK(s.incremental_conversions.range->low == Approx(60));
    CHECK(s.incremental_conversions.range->high == Approx(160));
    CHECK(s.incremental_revenue.range->low == Approx(2400));
    CHECK(s.incremental_revenue.range->high == Approx(6400));
    // Spend is fixed: profit = (1100 + 500) × factor − 500.
    CHECK(s.profit.range->low == Approx(460));
    CHECK(s.profit.range->high == Approx(2060));
    CHECK(s.roi.range->low == Approx(460.0 / 500));
    CHECK(s.roi.range->high == Approx(2060.0 / 500));
    CHECK(s.useless_discount_share.range->low == Approx(0.32));
    CHECK(s.useless_discount_share.range->high == Approx(0.56));
    CHECK_FALSE(s.spend.range);
    CHECK(*s.test_estimate == Approx(50));  // 1000 contacts × 0.05: the test's own view, beside the plan's 100

    // No positive uplift measured: no range can be vouched for.
    check.uplift = -0.01;
    check.uplift_range = ue::ConfidenceInterval{-0.04, 0.02};
    const auto none = ur::summary_from_plan(plan, check, true, 10000);
    CHECK_FALSE(none.relative_range);
    CHECK_FALSE(none.incremental_conversions.range);
    CHECK_FALSE(none.profit.range);
    CHECK(*none.test_estimate == Approx(-10));
}

TEST_CASE("average check among buyers: Welch's t-test against closed forms for df = 2", "[report][stats]") {
    // Treated buyers spend 10 and 14, control buyers 4 and 8 (non-buyers' amounts are never read): means 12 and
    // 6, variances 8 and 8, se = sqrt(8/2 + 8/2) = sqrt(8), t = 6 / sqrt(8), Welch df = 8² / (4²/1 + 4²/1) = 2.
    // For 2 degrees of freedom F(t) = 1/2 + t / (2 sqrt(2 + t²)) and the 97.5% quantile is
    // 0.95 / sqrt(2 · 0.975 · 0.025).
    const std::vector<double> y = {1, 0, 1, 0, 1, 1, 0, 0};
    const std::vector<std::uint8_t> t = {1, 1, 1, 1, 0, 0, 0, 0};
    const std::vector<double> amounts = {10, std::nan(""), 14, -3, 4, 8, 99, 0};
    auto readout = ur::ab_readout(y, t, true);
    ur::add_check_rows(readout, y, t, amounts, "basket", true);
    CHECK_FALSE(readout.conversion);  // a binary outcome's primary row is already the conversion
    REQUIRE(readout.average_check);
    const auto& m = *readout.average_check;
    CHECK(m.kind == ur::AbMetricKind::AverageCheck);
    CHECK(m.test == ur::AbTest::WelchT);
    CHECK(m.treated.n == 2);
    CHECK(m.control.n == 2);
    CHECK(m.treated.mean == 12);
    CHECK(m.control.mean == 6);
    CHECK(m.treated.variance == 8);
    CHECK(m.control.variance == 8);
    REQUIRE(m.result);
    const double stat = 6 / std::sqrt(8.0);
    CHECK(m.result->statistic == Approx(stat).epsilon(1e-12));
    CHECK(*m.result->df == Approx(2).epsilon(1e-12));
    const double p = 2 * (1 - (0.5 + stat / (2 * std::sqrt(2 + stat * stat))));
    CHECK(m.result->p_value == Approx(p).epsilon(1e-9));
    const double q = 0.95 / std::sqrt(2 * 0.975 * 0.025);
    CHECK(m.result->ci_low == Approx(6 - q * std::sqrt(8.0)).epsilon(1e-9));
    CHECK(m.result->ci_high == Approx(6 + q * std::sqrt(8.0)).epsilon(1e-9));
    CHECK(*m.relative_lift == Approx(1.0));
    CHECK(readout.check_column == "basket");
    const auto rows = ur::ab_rows(readout);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].kind == ur::AbMetricKind::Conversion);
    CHECK(rows[1].kind == ur::AbMetricKind::AverageCheck);

    // A buyer without an amount is a data error, never a silent drop.
    std::vector<double> missing = amounts;
    missing[2] = std::nan("");
    auto again = ur::ab_readout(y, t, true);
    CHECK_THROWS_AS(ur::add_check_rows(again, y, t, missing, "basket", true), uplift::DataError);
}

TEST_CASE("a spend outcome reads out conversion, average check and revenue per client", "[report][stats]") {
    // Treated spend 0, 20, 30, 0 (2 of 4 buy; check 25); control 0, 0, 10, 0 (1 of 4; check 10).
    const std::vector<double> y = {0, 20, 30, 0, 0, 0, 10, 0};
    const std::vector<std::uint8_t> t = {1, 1, 1, 1, 0, 0, 0, 0};
    auto readout = ur::ab_readout(y, t, false);
    ur::add_check_rows(readout, y, t, {}, "spend", false);
    const auto rows = ur::ab_rows(readout);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].kind == ur::AbMetricKind::Conversion);
    CHECK(rows[0].treated.mean == 0.5);
    CHECK(rows[0].control.mean == 0.25);
    CHECK(rows[0].result->p_value == Approx(ur::two_proportion_z_test(2, 4, 1, 4)->p_value));
    CHECK(rows[1].kind == ur::AbMetricKind::AverageCheck);
    CHECK(rows[1].treated.mean == 25);
    CHECK(rows[1].control.mean == 10);
    CHECK(rows[1].control.n == 1);
    CHECK_FALSE(rows[1].result);  // one control buyer: too few for a t-test, said so on the page
    CHECK(rows[2].kind == ur::AbMetricKind::AverageOutcome);
    CHECK(rows[2].treated.mean == 12.5);
    CHECK(rows[2].control.mean == 2.5);
}

TEST_CASE("the A/B readout names its average-check source or says why there is none", "[report][stats]") {
    Experiment ex;
    io::Table table = scores_table(3000, 21, "Coupon", "None", "bought", &ex);
    std::vector<double> basket(table.num_rows());
    for (std::size_t i = 0; i < basket.size(); ++i) basket[i] = ex.y[i] > 0 ? 30.0 + double(i % 7) * (ex.t[i] ? 2 : 1) : 0.0;
    table.add_column(io::Column::doubles("basket", basket));

    auto sources = sources_with(table, plan_json());
    ur::ReportOptions options;
    options.bootstrap = 0;
    const auto without = ur::compute_report(sources, options);
    CHECK(without.has_note(ur::Note::NoAverageCheck));
    REQUIRE(without.ab);
    CHECK_FALSE(without.ab->average_check);
    CHECK_THAT(ur::render_html(without), Contains("id=\"ab-no-check\""));
    CHECK_THAT(ur::render_markdown(without), Contains("--check-col"));
    CHECK(json::parse(ur::render_json(without))["ab_test"]["average_check"].is_null());

    sources.check_column = "basket";
    const auto with = ur::compute_report(sources, options);
    CHECK_FALSE(with.has_note(ur::Note::NoAverageCheck));
    REQUIRE(with.ab->average_check);
    // Independent: the buyers' baskets per group, straight from the table.
    double sum[2] = {0, 0};
    double n[2] = {0, 0};
    for (std::size_t i = 0; i < basket.size(); ++i) {
        if (ex.y[i] > 0) {
            sum[ex.t[i]] += basket[i];
            n[ex.t[i]] += 1;
        }
    }
    CHECK(with.ab->average_check->treated.mean == Approx(sum[1] / n[1]));
    CHECK(with.ab->average_check->control.mean == Approx(sum[0] / n[0]));
    const json doc = json::parse(ur::render_json(with));
    CHECK(doc["ab_test"]["check_column"] == "basket");
    CHECK(doc["ab_test"]["average_check"]["treated"]["mean"] == with.ab->average_check->treated.mean);
    const std::string html = ur::render_html(with);
    CHECK_THAT(html, Contains("Average check (buyers)"));
    require_only_our_markup(html);

    sources.check_column = "no_such_column";
    CHECK_THROWS_AS(ur::compute_report(sources, options), uplift::UsageError);
}

TEST_CASE("the slider carries the baselines at every budget, renderers show them", "[report][plan]") {
    auto sources = sources_with(scores_table(1000, 2), plan_json());
    ur::ReportOptions options;
    options.bootstrap = 0;
    const auto report = ur::compute_report(sources, options);
    REQUIRE(report.plan->has_curve_baselines());
    const std::string html = ur::render_html(report);
    // The table's baseline cells are live fields, starting at the curve point nearest the plan's budget (1000).
    const ur::NumberFormat nf(ur::Lang::En, "");
    const auto* everyone = report.plan->curve_baseline(10, "everyone");
    REQUIRE(everyone);
    CHECK(*report.plan->budget_curve[10].budget == 1000);
    CHECK_THAT(html, Contains("data-field=\"b-everyone-contacts\">" + ur::escape_html(nf.count(everyone->figures.contacts))));
    CHECK_THAT(html, Contains("data-field=\"b-random-profit\""));
    CHECK_THAT(html, Contains("data-field=\"saved\""));
    CHECK_THAT(html, Contains("\"baselines\":{\"everyone\":"));
    const std::string md = ur::render_markdown(report);
    CHECK_THAT(md, Contains(nf.money(report.plan->curve_baseline(55, "response_model")->figures.profit)));

    // Coverage and the test's top share are shares of the clients the plan chose from, not of the everyone
    // baseline's contacts (which a budget caps).
    json with_clients = plan_json();
    with_clients["clients"] = 8000.0;
    with_clients["baselines"]["everyone"]["contacts"] = 2000.0;
    const auto share_report = ur::compute_report(sources_with(scores_table(1000, 2), with_clients), options);
    REQUIRE(share_report.check);
    CHECK(share_report.check->share == 493.0 / 8000.0);
    CHECK(*share_report.summary.coverage_share == 493.0 / 8000.0);
    CHECK(json::parse(ur::render_json(share_report))["summary"]["coverage_share"] == 493.0 / 8000.0);
    CHECK_THAT(ur::render_html(share_report), Contains("\"population\":8000"));

    // An older plan without them: the baselines stay static, with the note that says for which budget.
    json old = plan_json();
    for (auto& point : old["budget_curve"]) point.erase("baselines");
    const auto static_report = ur::compute_report(sources_with(scores_table(1000, 2), old), options);
    CHECK_FALSE(static_report.plan->has_curve_baselines());
    const std::string static_html = ur::render_html(static_report);
    CHECK(static_html.find("b-everyone-contacts") == std::string::npos);
    CHECK_THAT(static_html, Contains("for its budget of"));
}

TEST_CASE("money saved is against the offer to every client, not the budget-capped list", "[report][numbers]") {
    Experiment ex;
    json plan = plan_json();
    // Every client (no budget) would cost 9,000 and lose 350; the plan spends 987.25 and makes 1,290.3125.
    plan["everyone_all"] = {{"contacts", 4500.0}, {"spend", 9000.0}, {"incremental_conversions", 500.0},
                            {"incremental_revenue", 8650.0}, {"profit", -350.0}, {"roi", -350.0 / 9000.0},
                            {"description", "offer 'Coupon' to all 4500 clients, no budget limit"}};
    const auto report = ur::compute_report(sources_with(scores_table(4000, 17, "Coupon", "None", "bought", &ex), plan), {});
    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["summary"]["saved_vs_everyone"]["value"] == 9000.0 - 987.25);
    REQUIRE(report.plan->everyone_all);
    CHECK(*report.plan->everyone_all->spend == 9000.0);
    const std::string html = ur::render_html(report);
    CHECK_THAT(html, Contains("data-all-spend=\"9000\""));

    plan["everyone_all"] = "nine thousand";
    REQUIRE_THROWS_WITH(ur::compute_report(sources_with(scores_table(400, 17, "Coupon", "None", "bought", &ex), plan), {}),
                        Contains("everyone_all"));
}

// --- the monthly loop: champion and challenger, drift since training, did the last plan deliver? ----------

namespace {

namespace ua = uplift::artifacts;

ua::Comparison comparison_record(ua::Decision decision, const std::string& champion) {
    ua::Comparison c;
    c.champion = champion;
    c.challenger = "runs/2019-04/model";
    c.features = "features2.parquet";
    c.metric = std::string(ua::compare_metric_qini);
    c.margin = 0.005;
    c.bootstrap = 300;
    c.seed = 3;
    c.ks = {0.1, 0.3};
    c.k_labels = {"0.1", "0.3"};
    c.rows = 610;
    c.n_treatment = 299;
    c.n_control = 311;
    ua::LevelComparison level;
    level.level = "Coupon";
    level.n_treatment = 299;
    level.n_control = 311;
    level.challenger = {.qini_auc = 0.0874, .uplift_at_k = {0.3725, 0.1256}};
    if (!champion.empty()) {
        level.champion = ua::ComparedMetrics{.qini_auc = 0.0967, .uplift_at_k = {0.3452, 0.2309}};
        level.qini_auc = ua::MetricDifference{.estimate = -0.0093, .interval = ue::ConfidenceInterval{-0.1052, 0.0854}};
        level.uplift_at_k = {{.estimate = 0.0274, .interval = ue::ConfidenceInterval{-0.2855, 0.3176}},
                             {.estimate = -0.1053, .interval = ue::ConfidenceInterval{-0.2192, 0.0439}}};
    }
    c.levels = {level};
    c.decision = decision;
    c.reason = "challenger credibly worse on qini_auc";
    return c;
}

ua::DriftReport drift_record() {
    ua::DriftReport d;
    d.rows = 2037;
    d.reference_rows = 1397;
    const std::pair<const char*, double> inputs[] = {{"history_days", 3.533}, {"recency_days", 0.432},
                                                     {"check_trend_90d", 0.155}, {"frequency_90d", 0.144},
                                                     {"points_90d", 0.129}, {"sixth_input", 0.02},
                                                     {"age_seventh", 0.01}};
    for (const auto& [name, psi] : inputs) {
        d.features.push_back({.name = name, .psi = psi, .outside_share = psi > 1 ? 0.886 : 0.0,
                              .missing_share = psi == 0.155 ? 0.305 : 0.0,
                              .reference_missing_share = psi == 0.155 ? 0.173 : 0.0});
    }
    d.score = ua::InputDrift{.name = "uplift", .psi = 0.021, .outside_share = 0, .missing_share = 0,
                             .reference_missing_share = 0};
    return d;
}

ua::MeasuredGroup measured_group(const std::string& offer, std::int64_t contacted, std::int64_t held_out,
                                 ua::RealisedFigure conversions, std::optional<ua::RealisedFigure> revenue) {
    ua::MeasuredGroup g;
    g.offer = offer;
    g.contacted = g.measured_contacted = contacted;
    g.held_out = g.measured_held_out = held_out;
    g.incremental_conversions = conversions;
    g.incremental_revenue = revenue;
    return g;
}

ua::Measurement measurement_record() {
    ua::Measurement m;
    m.method = "difference_of_means_normal";
    m.plan = "plan.json";
    m.outcome_type = "binary";
    m.value_per_conversion = 2;
    m.total = measured_group("", 736, 316, {124.0, 81.4, 166.5, 21.7, 193.4}, ua::RealisedFigure{248, 162.8, 333.1, 43.4, 386.8});
    m.per_offer = {measured_group("Coupon", 500, 210, {90.0, 50.0, 130.0, 20.0, 120.0}, std::nullopt),
                   measured_group("Email", 236, 106, {34.0, 5.0, 63.0, 15.0, 73.4}, std::nullopt)};
    return m;
}

ur::Report monthly_report(ur::Lang lang) {
    auto sources = sources_with(scores_table(500, 2), plan_json());
    sources.comparison = comparison_record(ua::Decision::Reject, "runs/2019-03/model");
    sources.comparison_file = "compare.json";
    sources.drift = drift_record();
    sources.drift_file = "runs/2019-04/scores.parquet";
    sources.measurement = measurement_record();
    sources.measurement_file = "measure.json";
    ur::ReportOptions options;
    options.bootstrap = 0;
    options.lang = lang;
    return ur::compute_report(sources, options);
}

}  // namespace

TEST_CASE("champion and challenger: the decision, its rows and both models' figures in every format",
          "[report][monthly]") {
    const auto report = monthly_report(ur::Lang::En);
    const ur::NumberFormat nf(ur::Lang::En);
    const std::string md = ur::render_markdown(report);
    const std::string html = ur::render_html(report);
    for (const std::string& text : {md, html}) {
        CHECK_THAT(text, Contains("Champion and challenger"));
        CHECK_THAT(text, Contains("Decision: kept the champion. The production model (runs/2019-03/model) stays"));
        // The population is the challenger's holdout: rows, treated and control.
        CHECK_THAT(text, Contains("Compared on 610 rows of the new model"));
        CHECK_THAT(text, Contains("(299 treated, 311 control)"));
        CHECK_THAT(text, Contains("margin of 0.0050"));
        CHECK_THAT(text, Contains("95% intervals from 300 paired bootstrap resamples"));
        CHECK_THAT(text, Contains("0.0967"));
        CHECK_THAT(text, Contains("0.0874"));
        // Qini AUC in metric decimals, uplift@k in percentage points, each difference with its interval.
        CHECK_THAT(text, Contains("\xE2\x88\x92" "0.0093 (\xE2\x88\x92" "0.1052 \xE2\x80\xA6 0.0854)"));
        CHECK_THAT(text, Contains(ur::NumberFormat(ur::Lang::En).points(0.3452, 2)));
        CHECK_THAT(text, Contains("Uplift in the top 30%"));
        // uplift@k's difference in points, the unit once at the interval's end.
        CHECK_THAT(text, Contains(nf.points(0.0274, 2) + " (\xE2\x88\x92" "28.55 \xE2\x80\xA6 " + nf.points(0.3176, 2) + ")"));
    }
    CHECK_THAT(md, Contains("Why: challenger credibly worse on qini\\_auc"));
    CHECK_THAT(html, Contains("<section class=\"block monthly\" id=\"champion\">"));
    require_only_our_markup(html);
    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["inputs"]["compare"] == "compare.json");
    CHECK(doc["comparison"]["decision"] == "reject");
    CHECK(doc["comparison"] == json::parse(ua::to_json(*report.comparison)));

    const std::string ru = ur::render_markdown(monthly_report(ur::Lang::Ru));
    CHECK_THAT(ru, Contains("Решение: остаётся действующая модель (runs/2019-03/model)"));
    CHECK_THAT(ru, Contains("на 610 строках"));
    CHECK_THAT(ru, Contains(ur::NumberFormat(ur::Lang::Ru).points(0.3452, 2)));

    // A first model has no champion: promoted, and the table has no champion or difference row.
    auto first = report;
    first.comparison = comparison_record(ua::Decision::Promote, "");
    const auto block = ur::comparison_block(first);
    REQUIRE(block);
    CHECK_THAT(block->lines.front(), Contains("there was no production model to compare with"));
    REQUIRE(block->tables.size() == 1);
    CHECK(block->tables[0].rows.size() == 1);
}

TEST_CASE("drift since training: the score's PSI and the five largest feature shifts with what to do",
          "[report][monthly]") {
    const auto report = monthly_report(ur::Lang::En);
    const auto block = ur::drift_block(report);
    REQUIRE(block);
    REQUIRE(block->tables.size() == 1);
    CHECK(block->tables[0].rows.size() == ur::drift_rows_shown);
    CHECK(block->tables[0].rows[0] ==
          std::vector<std::string>{"history_days", "3.533", "88.6%", "0.0%", "0.0%", "major shift"});
    CHECK(block->tables[0].rows[2] ==
          std::vector<std::string>{"check_trend_90d", "0.155", "0.0%", "30.5%", "17.3%", "moderate shift"});
    const std::string md = ur::render_markdown(report);
    const std::string html = ur::render_html(report);
    for (const std::string& text : {md, html}) {
        CHECK_THAT(text, Contains("Drift since training"));
        CHECK_THAT(text, Contains("2,037 clients scored in scores.parquet, against the 1,397 rows"));
        CHECK_THAT(text, Contains("Score PSI: 0.021 (stable)."));
        CHECK_THAT(text, Contains("retrain on recent months"));  // a feature past 0.25
        CHECK_THAT(text, Contains("PSI below 0.10: stable; 0.10"));
        CHECK(text.find("sixth_input") == std::string::npos);  // the sixth largest is left out
    }
    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["drift"]["thresholds"] == json{{"moderate", 0.1}, {"major", 0.25}});
    CHECK(doc["drift"]["report"]["rows"] == 2037);
    CHECK(doc["inputs"]["drift"] == "runs/2019-04/scores.parquet");

    // Every input below 0.1: stable, use the scores.
    auto calm = report;
    for (auto& f : calm.drift->features) f.psi = 0.05;
    CHECK_THAT(ur::drift_block(calm)->notes.front(), Contains("use its scores as they are"));
    const std::string ru = ur::render_markdown(monthly_report(ur::Lang::Ru));
    CHECK_THAT(ru, Contains("Оценено клиентов: " + ur::NumberFormat(ur::Lang::Ru).count(2037.0)));
    CHECK_THAT(ru, Contains("сильный сдвиг"));
}

TEST_CASE("did the last plan deliver: promised vs realised with the range, counts and offers", "[report][monthly]") {
    const auto report = monthly_report(ur::Lang::En);
    const auto block = ur::measurement_block(report);
    REQUIRE(block);
    REQUIRE(block->tables.size() == 1);
    const auto& rows = block->tables[0].rows;
    // All offers (conversions, revenue), then one row per offer: two offers, no revenue for them.
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == std::vector<std::string>{"All offers", "Incremental conversions", "736", "316", "+193.4", "+124.0",
                                              "+81.4 \xE2\x80\xA6 +166.5"});
    CHECK(rows[1][1] == "Incremental revenue");
    CHECK(rows[1][2].empty());  // the same clients: counts once per group
    CHECK(rows[1][4] == "+387");
    CHECK(rows[3] == std::vector<std::string>{"Email", "Incremental conversions", "236", "106", "+73.4", "+34.0",
                                              "+5.0 \xE2\x80\xA6 +63.0"});
    const std::string md = ur::render_markdown(report);
    const std::string html = ur::render_html(report);
    for (const std::string& text : {md, html}) {
        CHECK_THAT(text, Contains("Did the last plan deliver?"));
        CHECK_THAT(text, Contains("736 planned clients were contacted and 316 held out at random"));
        CHECK_THAT(text, Contains("the plan delivered less than it forecast"));
    }
    CHECK_THAT(html, Contains("id=\"delivered\""));
    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["measurement"]["total"]["contacted"] == 736);
    CHECK(doc["measurement"] == json::parse(ua::to_json(*report.measurement)));

    // One offer: no offer column; a promise inside the range is delivered.
    auto single = report;
    single.measurement->per_offer.resize(1);
    single.measurement->total.incremental_conversions.promised = 150.0;
    const auto one = ur::measurement_block(single);
    CHECK(one->tables[0].header.size() == 6);
    CHECK_THAT(one->notes.front(), Contains("delivered what it forecast"));
    const std::string ru = ur::render_markdown(monthly_report(ur::Lang::Ru));
    CHECK_THAT(ru, Contains("Сработал ли прошлый план?"));
    CHECK_THAT(ru, Contains("+193,4"));
}

TEST_CASE("without the monthly files their blocks are absent, bad files are one error naming the file",
          "[report][monthly][errors]") {
    ur::ReportOptions options;
    options.bootstrap = 0;
    const auto plain = ur::compute_report(sources_with(scores_table(300, 2), plan_json()), options);
    CHECK(ur::monthly_blocks(plain).empty());
    const std::string html = ur::render_html(plain);
    CHECK(html.find("class=\"block monthly\"") == std::string::npos);
    const json doc = json::parse(ur::render_json(plain));
    CHECK(doc["comparison"].is_null());
    CHECK(doc["drift"].is_null());
    CHECK(doc["measurement"].is_null());

    const fs::path dir = test_support::fresh_dir("test_report", "monthly");
    std::ofstream(dir / "plan.json") << plan_json().dump(1);
    CHECK_THROWS_AS(ur::read_comparison(dir / "missing.json"), uplift::IoError);
    CHECK_THROWS_WITH(ur::read_comparison(dir / "missing.json"), Contains("missing.json"));
    CHECK_THROWS_AS(ur::read_measurement(dir / "missing.json"), uplift::IoError);
    CHECK_THROWS_AS(ur::read_comparison(dir / "plan.json"), uplift::DataError);
    CHECK_THROWS_WITH(ur::read_measurement(dir / "plan.json"), Contains("plan.json"));
    CHECK_THROWS_AS(ur::read_drift(dir / "missing.parquet", 1), uplift::IoError);

    // A scores file without score's drift record, then with one: read back through its owner.
    auto table = scores_table(100, 3);
    io::write_table(table, dir / "no_drift.parquet");
    CHECK_THROWS_AS(ur::read_drift(dir / "no_drift.parquet", 1), uplift::DataError);
    CHECK_THROWS_WITH(ur::read_drift(dir / "no_drift.parquet", 1), Contains("no_drift.parquet"));
    table.metadata()[ua::drift_metadata_key] = ua::to_json(drift_record());
    io::write_table(table, dir / "drift.parquet");
    CHECK(ur::read_drift(dir / "drift.parquet", 1) == drift_record());
    fs::remove_all(dir);
}

TEST_CASE("strings in the monthly files never reach the page as markup", "[report][monthly][xss]") {
    auto report = monthly_report(ur::Lang::En);
    report.comparison->reason = script_payload;
    report.comparison->challenger = attribute_payload;
    report.drift->features[0].name = script_payload;
    report.measurement->per_offer[0].offer = script_payload;
    const std::string html = ur::render_html(report);
    CHECK(html.find(script_payload) == std::string::npos);
    CHECK(html.find(attribute_payload) == std::string::npos);
    require_only_our_markup(html);
    const std::string md = ur::render_markdown(report);
    CHECK(md.find("<script>") == std::string::npos);
    CHECK_THAT(md, Contains("&lt;script>alert(1)&lt;/script>"));
}

namespace {

// One side of plan.json's response_list, as optimize writes it; `measured` adds its test estimate.
json list_side(double conversions, double profit, int non_positive, double useless, std::optional<double> measured,
               double low, double high) {
    json side{{"contacts", 3000},
              {"spend", 300.0},
              {"incremental_conversions", conversions},
              {"incremental_revenue", conversions * 2},
              {"profit", profit},
              {"roi", profit / 300},
              {"non_positive_uplift", non_positive},
              {"non_positive_uplift_share", non_positive / 3000.0},
              {"useless_discount_share", useless}};
    if (measured) {
        const auto figure = [&](double k) {
            return json{{"estimate", *measured * k}, {"low", low * k}, {"high", high * k}, {"std_error", 44.9 * k},
                        {"model_forecast", conversions * k}};
        };
        side["test_estimate"] = {{"scored_as", "out_of_fold"}, {"method", "aipw"}, {"level", 0.95},
                                 {"planned", 3000}, {"measured", 2990}, {"treated", 1490}, {"control", 1500},
                                 {"test_rows", 64000}, {"incremental_conversions", figure(1)},
                                 {"incremental_revenue", figure(2)}};
    }
    return side;
}

// The Hillstrom figures of docs/optimize.md: the model puts the uplift plan ahead, the test the response list.
json plan_with_response_list(bool measured) {
    json plan = plan_json();
    plan["response_list"] = {
        {"rule", "clients whose purchase probability exceeds 0.25"},
        {"min_p", 0.25},
        {"above_threshold", 4125},
        {"list", list_side(399.34, 498.68, 114, 0.568, measured ? std::optional(272.57) : std::nullopt, 184.65, 360.49)},
        {"uplift_plan", list_side(499.06, 698.12, 0, 0.414, measured ? std::optional(202.68) : std::nullopt, 120.73,
                                  284.62)}};
    return plan;
}

ur::Report response_report(const json& plan, ur::Lang lang, const std::string& outcome = "visit") {
    ur::ReportOptions options;
    options.bootstrap = 0;
    options.lang = lang;
    return ur::compute_report(sources_with(scores_table(300, 2, "Coupon", "None", outcome), plan), options);
}

}  // namespace

TEST_CASE("response list vs uplift plan: both sides at the same size, what the list wastes, the test's verdict",
          "[report][response_list]") {
    const auto report = response_report(plan_with_response_list(true), ur::Lang::En);
    const auto block = ur::response_list_block(report);
    REQUIRE(block);
    CHECK(block->id == "response-list");
    CHECK(block->title == "Response list vs uplift plan");
    REQUIRE(block->tables.size() == 1);
    const auto& t = block->tables[0];
    // The columns name their population: the list's rule and size, the plan of the same size.
    CHECK(t.header[1] == "Response list: P(purchase) > 0.25 (3,000)");
    CHECK(t.header[2] == "Uplift plan, same size (3,000)");
    REQUIRE(t.rows.size() == 7);
    CHECK(t.rows[0] == std::vector<std::string>{"Clients contacted", "3,000", "3,000"});
    CHECK(t.rows[1] == std::vector<std::string>{"Expected promo spend", "300", "300"});
    // The outcome's own words: a visit is a visit.
    CHECK(t.rows[2] == std::vector<std::string>{"Extra visits, the model\xE2\x80\x99s forecast", "+399", "+499"});
    CHECK(t.rows[3] == std::vector<std::string>{"Extra visits measured on the test (test estimate, 95% range)",
                                                "+273 (+185 \xE2\x80\xA6 +360)", "+203 (+121 \xE2\x80\xA6 +285)"});
    CHECK(t.rows[4][1] == "499");
    CHECK(t.rows[4][2] == "698");
    CHECK(t.rows[5][1] == "114 (3.8%)");
    CHECK(t.rows[5][2] == "0 (0.0%)");
    CHECK(t.rows[6][1] == "56.8%");
    CHECK(t.rows[6][2] == "41.4%");
    CHECK_THAT(block->lines.front(), Contains("the 3,000 clients whose predicted purchase probability"));
    CHECK_THAT(block->lines.front(), Contains("(4,125 clients are above it;"));
    REQUIRE(block->notes.size() == 3);
    // What the list wastes, by the model, and how much less it earns (1 − 498.68 / 698.12 = 29%).
    CHECK_THAT(block->notes[0], Contains("114 of the response list\xE2\x80\x99s 3,000 clients (3.8%)"));
    CHECK_THAT(block->notes[0], Contains("56.8% of its visits would happen without the offer"));
    CHECK_THAT(block->notes[0], Contains("(29% less profit)"));
    // The test says the opposite and the block says so, with the overlapping ranges.
    CHECK_THAT(block->notes[1], Contains("the response list came out ahead: +273 extra visits against +203"));
    CHECK_THAT(block->notes[1], Contains("This contradicts the model\xE2\x80\x99s forecast"));
    CHECK_THAT(block->notes[1], Contains("The two 95% ranges overlap"));
    // The test estimate names its population.
    CHECK_THAT(block->notes[2], Contains("response list: 2,990 of its 3,000 clients; uplift plan: 2,990 of its 3,000"));
    CHECK_THAT(block->notes[2], Contains("scores: out_of_fold"));

    const ur::ResponseListReading reading = ur::read_response_list(*report.plan->response_list);
    CHECK(reading.model_list_ahead == false);
    CHECK(reading.test_list_ahead == true);
    CHECK(reading.test_contradicts_model == true);
    CHECK(reading.test_ranges_overlap == true);
    REQUIRE(reading.model_profit_shortfall);
    CHECK(*reading.model_profit_shortfall == Approx(1 - 498.68 / 698.12));

    const std::string html = ur::render_html(report);
    const std::string md = ur::render_markdown(report);
    for (const std::string& text : {html, md}) {
        CHECK_THAT(text, Contains("Response list vs uplift plan"));
        CHECK_THAT(text, Contains("+203 (+121 \xE2\x80\xA6 +285)"));
        CHECK_THAT(text, Contains("came out ahead"));
    }
    // After the recommendation, before the budget slider; kept whole on a printed page.
    CHECK_THAT(html, Contains("<section class=\"block monthly\" id=\"response-list\">"
                              "<h2>Response list vs uplift plan</h2>"));
    CHECK(html.find("id=\"response-list\"") > html.find("id=\"summary\""));
    CHECK_THAT(html, Contains("P(purchase) &gt; 0.25"));
    CHECK_THAT(md, Contains("## Response list vs uplift plan"));
    require_only_our_markup(html);
    const json doc = json::parse(ur::render_json(report));
    CHECK(doc["response_list"]["figures"] == "plan.response_list");
    CHECK(doc["plan"]["response_list"]["list"]["non_positive_uplift"] == 114);
    CHECK(doc["response_list"]["reading"]["test_contradicts_model"] == true);
    CHECK(doc["response_list"]["reading"]["test_ranges_overlap"] == true);
    CHECK(doc["response_list"]["tables"][0]["rows"][3][1] == "+273 (+185 \xE2\x80\xA6 +360)");
    CHECK(doc["response_list"]["notes"][1] == block->notes[1]);
}

TEST_CASE("response list vs uplift plan in Russian, with the outcome's words", "[report][response_list]") {
    const auto report = response_report(plan_with_response_list(true), ur::Lang::Ru, "bought");
    const auto block = ur::response_list_block(report);
    REQUIRE(block);
    CHECK(block->title == "Список по вероятности покупки и аплифт-план");
    const auto& t = block->tables[0];
    CHECK(t.header[1] == "Список по вероятности: P(покупки) > 0,25 (3\xC2\xA0" "000)");
    CHECK(t.rows[2][0] == "Дополнительные заказы, прогноз модели");
    CHECK(t.rows[3][1] == "+273 (+185 \xE2\x80\xA6 +360)");
    CHECK(t.rows[6][1] == ur::NumberFormat(ur::Lang::Ru).percent(0.568, 1));
    CHECK_THAT(block->notes[0], Contains("114 из 3\xC2\xA0" "000 клиентов списка по вероятности"));
    CHECK_THAT(block->notes[0], Contains("их заказов случились бы и без предложения"));
    CHECK_THAT(block->notes[1], Contains("По тесту впереди оказался список по вероятности: "
                                         "+273 дополнительных заказов против +203"));
    CHECK_THAT(block->notes[1], Contains("Это расходится с прогнозом модели"));
    CHECK_THAT(block->notes[1], Contains("пересекаются"));
    CHECK_THAT(block->notes[2], Contains("скоринг: out_of_fold"));
    CHECK_THAT(ur::render_html(report), Contains("<h2>Список по вероятности покупки и аплифт-план</h2>"));
    CHECK_THAT(ur::render_markdown(report), Contains("## Список по вероятности покупки и аплифт-план"));
}

TEST_CASE("response list vs uplift plan: no test estimate, no section, agreeing test, escaped strings",
          "[report][response_list]") {
    // Without test estimates (scores of new clients): no measured row and no verdict, the waste still said.
    const auto unmeasured = ur::response_list_block(response_report(plan_with_response_list(false), ur::Lang::En));
    REQUIRE(unmeasured);
    CHECK(unmeasured->tables[0].rows.size() == 6);
    REQUIRE(unmeasured->notes.size() == 1);
    CHECK_THAT(unmeasured->notes[0], Contains("buy no more with the offer"));
    CHECK(unmeasured->tables[0].rows[3][0] == "Expected profit, the model\xE2\x80\x99s forecast");
    // A budget that did not bind: every client above the threshold is in the list, and the line says so.
    json all_fit = plan_with_response_list(false);
    all_fit["response_list"]["above_threshold"] = 3000;
    const auto fit = ur::response_list_block(response_report(all_fit, ur::Lang::En));
    CHECK_THAT(fit->lines.front(), Contains("above 0.25 (all of them fit the budget and the contact limit)"));

    // Without the section: no block, no key, nothing on the page.
    const auto plain = response_report(plan_json(), ur::Lang::En);
    CHECK_FALSE(ur::response_list_block(plain));
    CHECK(ur::render_html(plain).find("response-list") == std::string::npos);
    CHECK(json::parse(ur::render_json(plain))["response_list"].is_null());

    // A test that agrees with the model says so.
    json agreeing = plan_with_response_list(true);
    agreeing["response_list"]["uplift_plan"]["test_estimate"]["incremental_conversions"]["estimate"] = 420.0;
    agreeing["response_list"]["uplift_plan"]["test_estimate"]["incremental_conversions"]["low"] = 380.0;
    agreeing["response_list"]["uplift_plan"]["test_estimate"]["incremental_conversions"]["high"] = 460.0;
    const auto agrees = ur::response_list_block(response_report(agreeing, ur::Lang::En));
    CHECK_THAT(agrees->notes[1], Contains("the uplift plan came out ahead: +420 extra visits against +273"));
    CHECK_THAT(agrees->notes[1], Contains("The test points the same way as the model"));
    CHECK_THAT(agrees->notes[1], Contains("do not overlap"));

    // Strings from data (the scores' origin, the currency) are escaped on the page and in Markdown.
    json hostile = plan_with_response_list(true);
    hostile["response_list"]["list"]["test_estimate"]["scored_as"] = "<img src=x onerror=alert(1)>";
    ur::ReportOptions options;
    options.bootstrap = 0;
    options.currency = "<b>$</b>";
    const auto report = ur::compute_report(sources_with(scores_table(300, 2), hostile), options);
    const std::string html = ur::render_html(report);
    CHECK(html.find("<img") == std::string::npos);
    CHECK_THAT(html, Contains("&lt;img src=x onerror=alert(1)&gt;"));
    CHECK(html.find("<b>$</b>") == std::string::npos);
    require_only_our_markup(html);
    CHECK(ur::render_markdown(report).find("<img") == std::string::npos);
}

TEST_CASE("the recovered-gender line: applied, refused by the F1 gate, too few known, in both languages",
          "[report][gender]") {
    uplift::artifacts::GenderImputation r;
    r.folds = 5;
    r.known = 15651;
    r.imputed = 1234;
    r.cv_f1 = 0.8912;
    r.min_f1 = 0.7;
    const ur::NumberFormat en(ur::Lang::En), ru(ur::Lang::Ru);
    CHECK(ur::gender_line(r, ur::Lang::En, en) ==
          "1,234 clients had their missing gender predicted from their purchases; cross-validated F1 0.891 on 15,651 "
          "clients of known gender (5 folds).");
    const std::string applied_ru = ur::gender_line(r, ur::Lang::Ru, ru);
    CHECK(applied_ru.find("0,891") != std::string::npos);
    CHECK(applied_ru.find(ru.count(15651)) != std::string::npos);
    CHECK(applied_ru.find("15,651") == std::string::npos);
    r.applied = false;
    r.imputed = 0;
    r.cv_f1 = 0.452;
    CHECK(ur::gender_line(r, ur::Lang::En, en) ==
          "Gender was not imputed: the cross-validated F1 0.452 on 15,651 clients of known gender (5 folds) is below "
          "the threshold 0.70; missing genders stay unknown.");
    CHECK(ur::gender_line(r, ur::Lang::Ru, ru).starts_with("Пол не восстановлен"));
    r.cv_f1.reset();
    r.known = 12;
    const std::string few = ur::gender_line(r, ur::Lang::En, en);
    CHECK(few.starts_with("Gender was not imputed: 12 clients of known gender are too few"));
}
