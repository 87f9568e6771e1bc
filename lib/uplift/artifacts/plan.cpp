#include "uplift/artifacts/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/json_fields.hpp"
#include "uplift/core/errors.hpp"

namespace uplift::artifacts {

namespace {

using Json = nlohmann::ordered_json;
using json_fields::type_of;

// ---- writing -----------------------------------------------------------------------------------------------

Json number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

/// Counts are integers in the file; a count read from a hand-written file as 12.5 stays a number.
Json count(const std::optional<double>& v) {
    if (!v) return nullptr;
    const double x = *v;
    if (std::isfinite(x) && x == std::floor(x) && std::abs(x) < 9.0e15) return static_cast<std::int64_t>(x);
    return x;
}

/// The figures every totals row has, after the keys `j` already holds (a curve point's budget).
Json totals(const PlanFigures& f, bool with_roi, Json j = Json::object()) {
    j["contacts"] = count(f.contacts);
    j["spend"] = number(f.spend);
    j["incremental_conversions"] = number(f.incremental_conversions);
    j["incremental_revenue"] = number(f.incremental_revenue);
    j["profit"] = number(f.profit);
    if (with_roi) j["roi"] = number(f.roi);
    return j;
}

Json baselines_json(const std::vector<Baseline>& list, bool with_description) {
    Json j = Json::object();
    for (const Baseline& b : list) {
        Json row = totals(b.figures, true);
        if (with_description) row["description"] = b.description;
        j[b.key] = std::move(row);
    }
    return j;
}

Json setting_json(const Setting& s) {
    switch (s.kind) {
    case Setting::Kind::Null: return nullptr;
    case Setting::Kind::Boolean: return s.boolean;
    case Setting::Kind::Integer: return s.integer;
    case Setting::Kind::Unsigned: return s.unsigned_integer;
    case Setting::Kind::Real: return s.real;
    case Setting::Kind::Text: return s.text;
    case Setting::Kind::Object: {
        Json j = Json::object();
        for (const Setting& m : s.members) j[m.key] = setting_json(m);
        return j;
    }
    case Setting::Kind::Array: {
        Json j = Json::array();
        for (const Setting& m : s.members) j.push_back(setting_json(m));
        return j;
    }
    }
    return nullptr;
}

// Non-negative integers are always Unsigned (as the JSON parser reads them), so a Setting built in code and
// one read back from its text compare equal.
Setting setting_of(const Json& j, std::string key = {}) {
    Setting s;
    s.key = std::move(key);
    switch (j.type()) {
    case Json::value_t::boolean: s.kind = Setting::Kind::Boolean; s.boolean = j.get<bool>(); break;
    case Json::value_t::number_integer: {
        const auto v = j.get<std::int64_t>();
        if (v >= 0) {
            s.kind = Setting::Kind::Unsigned;
            s.unsigned_integer = static_cast<std::uint64_t>(v);
        } else {
            s.kind = Setting::Kind::Integer;
            s.integer = v;
        }
        break;
    }
    case Json::value_t::number_unsigned:
        s.kind = Setting::Kind::Unsigned;
        s.unsigned_integer = j.get<std::uint64_t>();
        break;
    case Json::value_t::number_float: s.kind = Setting::Kind::Real; s.real = j.get<double>(); break;
    case Json::value_t::string: s.kind = Setting::Kind::Text; s.text = j.get<std::string>(); break;
    case Json::value_t::object:
        s.kind = Setting::Kind::Object;
        for (const auto& [k, v] : j.items()) s.members.push_back(setting_of(v, k));
        break;
    case Json::value_t::array:
        s.kind = Setting::Kind::Array;
        for (const auto& v : j) s.members.push_back(setting_of(v));
        break;
    default: break;  // null (binary and discarded cannot come from parsed text)
    }
    return s;
}

Json test_estimate_json(const PlanTestEstimate& t) {
    const auto measured = [](const MeasuredFigure& f) {
        return Json{{"estimate", f.estimate}, {"low", f.low}, {"high", f.high}, {"std_error", f.std_error},
                    {"model_forecast", f.model_forecast}};
    };
    return {{"scored_as", t.scored_as},
            {"method", t.method},
            {"level", t.level},
            {"planned", t.planned},
            {"measured", t.measured},
            {"treated", t.treated},
            {"control", t.control},
            {"test_rows", t.test_rows},
            {"incremental_conversions", measured(t.incremental_conversions)},
            {"incremental_revenue", measured(t.incremental_revenue)}};
}

Json list_side_json(const PlanListSide& s) {
    Json j = totals(s.figures, true);
    j["non_positive_uplift"] = s.non_positive_uplift;
    j["non_positive_uplift_share"] = number(s.non_positive_uplift_share);
    j["useless_discount_share"] = number(s.useless_discount_share);
    if (s.test_estimate) j["test_estimate"] = test_estimate_json(*s.test_estimate);
    return j;
}

// ---- reading -----------------------------------------------------------------------------------------------

class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void wrong(const std::string& where, const char* expected, const Json& got) const {
        throw DataError(fmt::format("{}: '{}' must be {}, not {}; was it written by `upliftctl optimize`?", source_,
                                    where, expected, type_of(got)));
    }

    /// The member under `key`, or nullptr when it is missing or null (both mean "not known").
    const Json* find(const Json& parent, const std::string& key) const {
        const auto it = parent.find(key);
        return it == parent.end() || it->is_null() ? nullptr : &*it;
    }

    std::optional<double> number(const Json& parent, const std::string& key, const std::string& where) const {
        const Json* v = find(parent, key);
        if (v == nullptr) return std::nullopt;
        if (!v->is_number()) wrong(where + key, "a number", *v);
        return v->get<double>();
    }

    template <class T>
    T integer(const Json& parent, const std::string& key, const std::string& where) const {
        const Json* v = find(parent, key);
        if (v == nullptr) return T{};
        if (!v->is_number_integer()) wrong(where + key, "an integer", *v);
        return v->get<T>();
    }

    bool boolean(const Json& parent, const std::string& key, const std::string& where, bool fallback) const {
        const Json* v = find(parent, key);
        if (v == nullptr) return fallback;
        if (!v->is_boolean()) wrong(where + key, "a boolean", *v);
        return v->get<bool>();
    }

    std::string text(const Json& parent, const std::string& key, const std::string& where) const {
        const Json* v = find(parent, key);
        if (v == nullptr) return {};
        if (!v->is_string()) wrong(where + key, "a string", *v);
        return v->get<std::string>();
    }

    const Json* array(const Json& parent, const std::string& key, const std::string& where) const {
        const Json* v = find(parent, key);
        if (v != nullptr && !v->is_array()) wrong(where + key, "an array", *v);
        return v;
    }

    const Json* object(const Json& parent, const std::string& key, const std::string& where) const {
        const Json* v = find(parent, key);
        if (v != nullptr && !v->is_object()) wrong(where + key, "an object", *v);
        return v;
    }

    /// The figures a totals row carries. Only a curve point has a budget and an offer row has no roi (the
    /// writer leaves them out), so a stray one in a hand-edited file is not carried: what reads, writes back the same.
    enum class Row { CurvePoint, Totals, Offer };
    PlanFigures figures(const Json& j, const std::string& where, Row row) const {
        PlanFigures f;
        if (row == Row::CurvePoint) f.budget = number(j, "budget", where);
        f.contacts = number(j, "contacts", where);
        f.spend = number(j, "spend", where);
        f.incremental_conversions = number(j, "incremental_conversions", where);
        f.incremental_revenue = number(j, "incremental_revenue", where);
        f.profit = number(j, "profit", where);
        if (row != Row::Offer) f.roi = number(j, "roi", where);
        return f;
    }

    /// The baselines object at `where` + "baselines": the three standard keys first, then the others by key.
    std::vector<Baseline> baselines(const Json& parent, const std::string& where, bool with_description) const {
        std::vector<Baseline> out;
        const Json* all = object(parent, "baselines", where);
        if (all == nullptr) return out;
        std::vector<std::string> keys{std::string(baseline_everyone), std::string(baseline_random),
                                      std::string(baseline_response_model)};
        std::vector<std::string> others;
        for (const auto& [k, v] : all->items()) {
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) others.push_back(k);
        }
        std::sort(others.begin(), others.end());
        keys.insert(keys.end(), others.begin(), others.end());
        const std::string prefix = where + "baselines.";
        for (const auto& key : keys) {
            const Json* b = object(*all, key, prefix);
            if (b == nullptr) continue;
            const std::string at = prefix + key + ".";
            out.push_back(Baseline{key, with_description ? text(*b, "description", at) : "", figures(*b, at, Row::Totals)});
        }
        return out;
    }

    PlanTestEstimate test_estimate(const Json& t, const std::string& at) const {
        PlanTestEstimate e;
        e.scored_as = text(t, "scored_as", at);
        e.method = text(t, "method", at);
        e.level = number(t, "level", at).value_or(0.95);
        e.planned = integer<std::int64_t>(t, "planned", at);
        e.measured = integer<std::int64_t>(t, "measured", at);
        e.treated = integer<std::int64_t>(t, "treated", at);
        e.control = integer<std::int64_t>(t, "control", at);
        e.test_rows = integer<std::int64_t>(t, "test_rows", at);
        const auto measured = [&](const char* key) {
            MeasuredFigure f;
            const std::string where = at + key + ".";
            if (const Json* m = object(t, key, at)) {
                f.estimate = number(*m, "estimate", where).value_or(0);
                f.low = number(*m, "low", where).value_or(0);
                f.high = number(*m, "high", where).value_or(0);
                f.std_error = number(*m, "std_error", where).value_or(0);
                f.model_forecast = number(*m, "model_forecast", where).value_or(0);
            }
            return f;
        };
        e.incremental_conversions = measured("incremental_conversions");
        e.incremental_revenue = measured("incremental_revenue");
        return e;
    }

    PlanListSide list_side(const Json& parent, const std::string& key, const std::string& at) const {
        PlanListSide side;
        const Json* s = object(parent, key, at);
        if (s == nullptr) return side;
        const std::string where = at + key + ".";
        side.figures = figures(*s, where, Row::Totals);
        side.non_positive_uplift = integer<std::int64_t>(*s, "non_positive_uplift", where);
        side.non_positive_uplift_share = number(*s, "non_positive_uplift_share", where);
        side.useless_discount_share = number(*s, "useless_discount_share", where);
        if (const Json* t = object(*s, "test_estimate", where)) side.test_estimate = test_estimate(*t, where + "test_estimate.");
        return side;
    }

private:
    std::string source_;
};

const Baseline* find_baseline(const std::vector<Baseline>& list, std::string_view key) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const Baseline& b) { return b.key == key; });
    return it == list.end() ? nullptr : &*it;
}

// Nested settings read as "a.b = value" lines, keys sorted (nlohmann::json's map) as the report always listed them.
void flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    } else if (j.is_string()) {
        out.emplace_back(prefix, j.get<std::string>());
    } else {
        out.emplace_back(prefix, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

}  // namespace

const Baseline* Plan::baseline(std::string_view key) const { return find_baseline(baselines, key); }

const Baseline* Plan::curve_baseline(std::size_t i, std::string_view key) const {
    return i < curve_baselines.size() ? find_baseline(curve_baselines[i], key) : nullptr;
}

bool Plan::has_curve_baselines() const {
    if (budget_curve.empty() || curve_baselines.size() != budget_curve.size()) return false;
    for (std::size_t i = 0; i < budget_curve.size(); ++i) {
        for (const std::string_view key : {baseline_everyone, baseline_random, baseline_response_model}) {
            if (curve_baseline(i, key) == nullptr) return false;
        }
    }
    return true;
}

Setting to_setting(const PlanParameters& p) {
    Json j;
    j["outcome_type"] = p.outcome_type;
    j["margin"] = p.margin;
    j["basket"] = number(p.basket);
    j["basket_column"] = p.basket_column.empty() ? Json(nullptr) : Json(p.basket_column);
    j["value"] = number(p.value);
    j["channels"] = Json::object();
    for (const auto& [name, cost] : p.channels) j["channels"][name] = cost;
    j["offers"] = Json::array();
    for (const PlanOfferParameters& o : p.offers) {
        j["offers"].push_back({{"offer", o.offer},
                               {"kind", o.kind},
                               {"value", o.value},
                               {"channel", o.channel},
                               {"contact_cost", o.contact_cost},
                               {"code", o.code}});
    }
    j["budget"] = p.budget;
    j["max_contacts"] = p.max_contacts ? Json(*p.max_contacts) : Json(nullptr);
    j["min_roi"] = number(p.min_roi);
    j["allow_negative"] = p.allow_negative;
    j["seed"] = p.seed;
    j["random_repeats"] = p.random_repeats;
    j["curve_points"] = p.curve_points;
    j["segment_uplift_threshold"] = p.segment_uplift_threshold;
    j["segment_buy_threshold"] = p.segment_buy_threshold;
    return setting_of(j);
}

Setting setting_from_json(std::string_view text, const std::string& source) {
    try {
        return setting_of(Json::parse(text));
    } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
        throw DataError(fmt::format("{}: not valid JSON ({})", source, e.what()));
    }
}

std::vector<std::pair<std::string, std::string>> setting_lines(const Setting& setting) {
    std::vector<std::pair<std::string, std::string>> out;
    flatten(nlohmann::json(setting_json(setting)), "", out);
    return out;
}

std::string to_json(const Plan& p) {
    Json j;
    j["budget"] = number(p.budget);
    j["budget_used"] = number(p.budget_used);
    j["contacts"] = count(p.contacts);
    j["clients"] = count(p.clients);  // the population the plan chose from, for coverage shares
    j["expected_incremental_conversions"] = number(p.expected_incremental_conversions);
    j["expected_incremental_revenue"] = number(p.expected_incremental_revenue);
    j["expected_spend"] = number(p.expected_spend);
    j["expected_profit"] = number(p.expected_profit);
    j["roi"] = number(p.roi);
    j["useless_discount_share"] = number(p.useless_discount_share);
    j["upper_bound"] = number(p.upper_bound);
    j["gap"] = number(p.gap);
    j["per_offer"] = Json::array();
    for (const OfferSummary& o : p.per_offer) {
        j["per_offer"].push_back(totals(o.figures, false, Json{{"offer", o.offer}, {"channel", o.channel}}));
    }
    j["budget_curve"] = Json::array();
    for (std::size_t i = 0; i < p.budget_curve.size(); ++i) {
        Json point = totals(p.budget_curve[i], true, Json{{"budget", number(p.budget_curve[i].budget)}});
        if (i < p.curve_baselines.size() && !p.curve_baselines[i].empty()) {
            point["baselines"] = baselines_json(p.curve_baselines[i], false);
        }
        j["budget_curve"].push_back(std::move(point));
    }
    j["baselines"] = baselines_json(p.baselines, true);
    if (p.everyone_all) {
        j["everyone_all"] = totals(*p.everyone_all, true);
        j["everyone_all"]["description"] = p.everyone_all_description;
    }
    if (p.parameters) j["parameters"] = setting_json(*p.parameters);
    if (p.provenance) j["provenance"] = setting_json(*p.provenance);
    if (p.solver) {
        const PlanSolver& s = *p.solver;
        j["solver"] = {{"lambda", s.lambda},
                       {"bisection_steps", s.bisection_steps},
                       {"core_clients", s.core_clients},
                       {"core_nodes", s.core_nodes},
                       {"core_complete", s.core_complete}};
    }
    if (p.test_estimate) j["test_estimate"] = test_estimate_json(*p.test_estimate);
    if (p.control) {
        const PlanControl& c = *p.control;
        Json offers = Json::array();
        for (const ControlOffer& o : c.per_offer) {
            offers.push_back({{"offer", o.offer},
                              {"code", o.code},
                              {"planned", o.planned},
                              {"contacted", o.contacted},
                              {"held_out", o.held_out},
                              {"expected_incremental_conversions", number(o.expected_incremental_conversions)},
                              {"expected_incremental_revenue", o.expected_incremental_revenue},
                              {"expected_spend", o.expected_spend}});
        }
        j["control"] = {{"rule", c.rule},
                        {"share", c.share},
                        {"seed", c.seed},
                        {"stratified_by", c.stratified_by},
                        {"planned", c.planned},
                        {"contacted", c.contacted},
                        {"held_out", c.held_out},
                        {"plan_file", c.plan_file},
                        {"raw_csv", c.raw_csv},
                        {"separator", c.separator},
                        {"offer_column", c.offer_column},
                        {"id_column", c.id_column},
                        {"outcome_column", c.outcome_column},
                        {"outcome_type", c.outcome_type},
                        {"expected_incremental_conversions", number(c.expected_incremental_conversions)},
                        {"expected_incremental_revenue", c.expected_incremental_revenue},
                        {"expected_spend", c.expected_spend},
                        {"expected_profit", c.expected_profit},
                        {"spend_saved", c.spend_saved},
                        {"per_offer", offers}};
    }
    if (p.response_list) {
        const PlanResponseList& r = *p.response_list;
        j["response_list"] = {{"rule", r.rule},
                              {"min_p", r.min_p},
                              {"above_threshold", r.above_threshold},
                              {"list", list_side_json(r.list)},
                              {"uplift_plan", list_side_json(r.uplift_plan)}};
    }
    return j.dump(2) + "\n";
}

Plan plan_from_json(std::string_view text, const std::string& source) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
        throw DataError(fmt::format("{}: not valid JSON ({})", source, e.what()));
    }
    const Reader r(source);
    if (!doc.is_object()) r.wrong("(top level)", "an object", doc);

    Plan plan;
    plan.budget = r.number(doc, "budget", "");
    plan.budget_used = r.number(doc, "budget_used", "");
    plan.contacts = r.number(doc, "contacts", "");
    plan.clients = r.number(doc, "clients", "");
    plan.expected_incremental_conversions = r.number(doc, "expected_incremental_conversions", "");
    plan.expected_incremental_revenue = r.number(doc, "expected_incremental_revenue", "");
    plan.expected_spend = r.number(doc, "expected_spend", "");
    plan.expected_profit = r.number(doc, "expected_profit", "");
    plan.roi = r.number(doc, "roi", "");
    plan.useless_discount_share = r.number(doc, "useless_discount_share", "");
    plan.upper_bound = r.number(doc, "upper_bound", "");
    plan.gap = r.number(doc, "gap", "");

    if (const Json* offers = r.array(doc, "per_offer", "")) {
        for (std::size_t i = 0; i < offers->size(); ++i) {
            const Json& o = (*offers)[i];
            const std::string where = fmt::format("per_offer[{}].", i);
            if (!o.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", o);
            plan.per_offer.push_back(OfferSummary{r.text(o, "offer", where), r.text(o, "channel", where),
                                                  r.figures(o, where, Reader::Row::Offer)});
        }
    }
    if (const Json* curve = r.array(doc, "budget_curve", "")) {
        std::vector<std::pair<PlanFigures, std::vector<Baseline>>> points;
        for (std::size_t i = 0; i < curve->size(); ++i) {
            const Json& p = (*curve)[i];
            const std::string where = fmt::format("budget_curve[{}].", i);
            if (!p.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", p);
            points.emplace_back(r.figures(p, where, Reader::Row::CurvePoint), r.baselines(p, where, false));
        }
        // The slider walks the curve in budget order; points without a budget cannot be placed on it.
        std::erase_if(points, [](const auto& p) { return !p.first.budget; });
        std::stable_sort(points.begin(), points.end(),
                         [](const auto& a, const auto& b) { return *a.first.budget < *b.first.budget; });
        for (auto& [figures, baselines] : points) {
            plan.budget_curve.push_back(figures);
            plan.curve_baselines.push_back(std::move(baselines));
        }
    }
    plan.baselines = r.baselines(doc, "", true);
    if (const Json* all = r.object(doc, "everyone_all", "")) {
        plan.everyone_all = r.figures(*all, "everyone_all.", Reader::Row::Totals);
        plan.everyone_all_description = r.text(*all, "description", "everyone_all.");
    }
    if (const Json* v = r.find(doc, "parameters")) plan.parameters = setting_of(*v);
    if (const Json* v = r.find(doc, "provenance")) plan.provenance = setting_of(*v);
    if (const Json* s = r.object(doc, "solver", "")) {
        PlanSolver solver;
        solver.lambda = r.number(*s, "lambda", "solver.").value_or(0);
        solver.bisection_steps = r.integer<std::int64_t>(*s, "bisection_steps", "solver.");
        solver.core_clients = r.integer<std::uint64_t>(*s, "core_clients", "solver.");
        solver.core_nodes = r.integer<std::uint64_t>(*s, "core_nodes", "solver.");
        solver.core_complete = r.boolean(*s, "core_complete", "solver.", true);
        plan.solver = solver;
    }
    if (const Json* t = r.object(doc, "test_estimate", "")) plan.test_estimate = r.test_estimate(*t, "test_estimate.");
    if (const Json* c = r.object(doc, "control", "")) {
        PlanControl k;
        const std::string at = "control.";
        k.rule = r.text(*c, "rule", at);
        k.share = r.number(*c, "share", at).value_or(0);
        k.seed = r.integer<std::uint64_t>(*c, "seed", at);
        k.stratified_by = r.text(*c, "stratified_by", at);
        k.planned = r.integer<std::int64_t>(*c, "planned", at);
        k.contacted = r.integer<std::int64_t>(*c, "contacted", at);
        k.held_out = r.integer<std::int64_t>(*c, "held_out", at);
        k.plan_file = r.text(*c, "plan_file", at);
        k.raw_csv = r.boolean(*c, "raw_csv", at, false);
        // Plans written before these keys: comma-separated lists with an offer column.
        if (c->contains("separator")) k.separator = r.text(*c, "separator", at);
        if (c->contains("offer_column")) k.offer_column = r.text(*c, "offer_column", at);
        k.id_column = r.text(*c, "id_column", at);
        k.outcome_column = r.text(*c, "outcome_column", at);
        k.outcome_type = r.text(*c, "outcome_type", at);
        k.expected_incremental_conversions = r.number(*c, "expected_incremental_conversions", at);
        k.expected_incremental_revenue = r.number(*c, "expected_incremental_revenue", at).value_or(0);
        k.expected_spend = r.number(*c, "expected_spend", at).value_or(0);
        k.expected_profit = r.number(*c, "expected_profit", at).value_or(0);
        k.spend_saved = r.number(*c, "spend_saved", at).value_or(0);
        if (const Json* offers = r.array(*c, "per_offer", at)) {
            for (std::size_t i = 0; i < offers->size(); ++i) {
                const Json& o = (*offers)[i];
                const std::string where = fmt::format("control.per_offer[{}].", i);
                if (!o.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", o);
                ControlOffer x;
                x.offer = r.text(o, "offer", where);
                x.code = r.text(o, "code", where);
                x.planned = r.integer<std::int64_t>(o, "planned", where);
                x.contacted = r.integer<std::int64_t>(o, "contacted", where);
                x.held_out = r.integer<std::int64_t>(o, "held_out", where);
                x.expected_incremental_conversions = r.number(o, "expected_incremental_conversions", where);
                x.expected_incremental_revenue = r.number(o, "expected_incremental_revenue", where).value_or(0);
                x.expected_spend = r.number(o, "expected_spend", where).value_or(0);
                k.per_offer.push_back(x);
            }
        }
        plan.control = k;
    }
    if (const Json* l = r.object(doc, "response_list", "")) {
        PlanResponseList list;
        const std::string at = "response_list.";
        list.rule = r.text(*l, "rule", at);
        list.min_p = r.number(*l, "min_p", at).value_or(0);
        list.above_threshold = r.integer<std::int64_t>(*l, "above_threshold", at);
        list.list = r.list_side(*l, "list", at);
        list.uplift_plan = r.list_side(*l, "uplift_plan", at);
        plan.response_list = std::move(list);
    }
    return plan;
}

Plan read_plan_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError(fmt::format("plan file '{}' does not exist or is not a file; write it with `upliftctl optimize`",
                                  path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw IoError(fmt::format("cannot read plan file '{}'", path.string()));
    return plan_from_json(text.str(), path.string());
}

}  // namespace uplift::artifacts
