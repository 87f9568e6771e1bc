#include "uplift/report/plan_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::report {

namespace {

using Json = nlohmann::json;

const char* type_of(const Json& j) {
    switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "nothing";
    default: return "a number";
    }
}

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void wrong(const std::string& where, const char* expected, const Json& got) const {
        throw DataError(fmt::format("{}: '{}' must be {}, not {}; was it written by `upliftctl optimize`?", file_, where,
                                    expected, type_of(got)));
    }

    // Missing and null both mean "not known": roi and useless_discount_share are null by design.
    std::optional<double> number(const Json& parent, const std::string& key, const std::string& where) const {
        const auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) return std::nullopt;
        if (!it->is_number()) wrong(where + key, "a number", *it);
        return it->get<double>();
    }

    std::string text(const Json& parent, const std::string& key, const std::string& where) const {
        const auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) return {};
        if (!it->is_string()) wrong(where + key, "a string", *it);
        return it->get<std::string>();
    }

    const Json* array(const Json& parent, const std::string& key) const {
        const auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) return nullptr;
        if (!it->is_array()) wrong(key, "an array", *it);
        return &*it;
    }

    const Json* object(const Json& parent, const std::string& key, const std::string& where) const {
        const auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) return nullptr;
        if (!it->is_object()) wrong(where + key, "an object", *it);
        return &*it;
    }

    PlanFigures figures(const Json& j, const std::string& where) const {
        PlanFigures f;
        f.budget = number(j, "budget", where);
        f.contacts = number(j, "contacts", where);
        f.spend = number(j, "spend", where);
        f.incremental_conversions = number(j, "incremental_conversions", where);
        f.incremental_revenue = number(j, "incremental_revenue", where);
        f.profit = number(j, "profit", where);
        f.roi = number(j, "roi", where);
        return f;
    }

    /// The baselines object at `where` + "baselines": the three standard keys first, then any other.
    std::vector<Baseline> baselines(const Json& parent, const std::string& where, bool with_description) const {
        std::vector<Baseline> out;
        const Json* all = object(parent, "baselines", where);
        if (all == nullptr) return out;
        std::vector<std::string> keys{"everyone", "random", "response_model"};
        for (const auto& [k, v] : all->items()) {
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        }
        for (const auto& key : keys) {
            const std::string prefix = where + "baselines.";
            const Json* b = object(*all, key, prefix);
            if (b == nullptr) continue;
            const std::string at = prefix + key + ".";
            out.push_back(Baseline{key, with_description ? text(*b, "description", at) : "", figures(*b, at)});
        }
        return out;
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
};

// Nested parameters read as "a.b = value" lines: the report shows them, it does not interpret them.
void flatten(const Json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    } else if (j.is_string()) {
        out.emplace_back(prefix, j.get<std::string>());
    } else {
        out.emplace_back(prefix, j.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
}

}  // namespace

namespace {

const Baseline* find_baseline(const std::vector<Baseline>& list, std::string_view key) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const Baseline& b) { return b.key == key; });
    return it == list.end() ? nullptr : &*it;
}

}  // namespace

const Baseline* Plan::baseline(std::string_view key) const { return find_baseline(baselines, key); }

const Baseline* Plan::curve_baseline(std::size_t i, std::string_view key) const {
    return i < curve_baselines.size() ? find_baseline(curve_baselines[i], key) : nullptr;
}

bool Plan::has_curve_baselines() const {
    if (budget_curve.empty() || curve_baselines.size() != budget_curve.size()) return false;
    for (std::size_t i = 0; i < budget_curve.size(); ++i) {
        for (const char* key : {"everyone", "random", "response_model"}) {
            if (curve_baseline(i, key) == nullptr) return false;
        }
    }
    return true;
}

Plan parse_plan(std::string_view text, const std::string& file) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::parse_error& e) {
        throw DataError(fmt::format("{}: not valid JSON ({})", file, e.what()));
    }
    const Reader r(file);
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

    if (const Json* offers = r.array(doc, "per_offer")) {
        for (std::size_t i = 0; i < offers->size(); ++i) {
            const Json& o = (*offers)[i];
            const std::string where = fmt::format("per_offer[{}].", i);
            if (!o.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", o);
            OfferSummary s;
            s.offer = r.text(o, "offer", where);
            s.channel = r.text(o, "channel", where);
            s.figures = r.figures(o, where);
            plan.per_offer.push_back(std::move(s));
        }
    }
    if (const Json* curve = r.array(doc, "budget_curve")) {
        std::vector<std::pair<PlanFigures, std::vector<Baseline>>> points;
        for (std::size_t i = 0; i < curve->size(); ++i) {
            const Json& p = (*curve)[i];
            const std::string where = fmt::format("budget_curve[{}].", i);
            if (!p.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", p);
            points.emplace_back(r.figures(p, where), r.baselines(p, where, false));
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
    if (const auto it = doc.find("everyone_all"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) r.wrong("everyone_all", "an object", *it);
        plan.everyone_all = r.figures(*it, "everyone_all.");
    }
    if (const auto it = doc.find("parameters"); it != doc.end() && !it->is_null()) flatten(*it, "", plan.parameters);
    if (const auto it = doc.find("provenance"); it != doc.end() && !it->is_null()) flatten(*it, "", plan.provenance);
    return plan;
}

Plan read_plan(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError(fmt::format("plan file '{}' does not exist or is not a file; write it with `upliftctl optimize`",
                                  path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw IoError(fmt::format("cannot read plan file '{}'", path.string()));
    return parse_plan(text.str(), path.string());
}

}  // namespace uplift::report
