#include "uplift/artifacts/ingest_summary.hpp"

#include <fmt/format.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "uplift/artifacts/json_fields.hpp"
#include "uplift/core/errors.hpp"

namespace uplift::artifacts {

namespace {

using Json = nlohmann::ordered_json;

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

Json parse(std::string_view text, const std::string& source) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
        throw DataError(fmt::format("{}: not valid JSON ({})", source, e.what()));
    }
    if (!doc.is_object()) {
        throw DataError(fmt::format("{}: must be an object, not {}", source, json_fields::type_of(doc)));
    }
    return doc;
}

/// Strict reads: the key must be there and hold the type; messages name the file and the key.
class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    const Json& member(const Json& parent, const std::string& key, const std::string& where) const {
        const auto it = parent.find(key);
        if (it == parent.end()) throw DataError(fmt::format("{}: '{}{}' is missing", source_, where, key));
        return *it;
    }

    std::int64_t count(const Json& parent, const std::string& key, const std::string& where = "") const {
        const Json& v = member(parent, key, where);
        if (!v.is_number_integer()) wrong(where + key, "an integer", v);
        return v.get<std::int64_t>();
    }

    std::string text(const Json& parent, const std::string& key, const std::string& where = "") const {
        const Json& v = member(parent, key, where);
        if (!v.is_string()) wrong(where + key, "a string", v);
        return v.get<std::string>();
    }

    const Json& object(const Json& parent, const std::string& key, const std::string& where = "") const {
        const Json& v = member(parent, key, where);
        if (!v.is_object()) wrong(where + key, "an object", v);
        return v;
    }

    const Json& array(const Json& parent, const std::string& key, const std::string& where = "") const {
        const Json& v = member(parent, key, where);
        if (!v.is_array()) wrong(where + key, "an array", v);
        return v;
    }

    std::map<std::string, std::int64_t> counts(const Json& parent, const std::string& key,
                                               const std::string& where = "") const {
        std::map<std::string, std::int64_t> out;
        const Json& all = object(parent, key, where);
        for (const auto& [k, v] : all.items()) out[k] = count(all, k, where + key + ".");
        return out;
    }

    [[noreturn]] void wrong(const std::string& where, const char* expected, const Json& got) const {
        throw DataError(fmt::format("{}: '{}' must be {}, not {}", source_, where, expected,
                                    json_fields::type_of(got)));
    }

private:
    std::string source_;
};

}  // namespace

std::string to_json(const FlatIngestSummary& s) {
    Json j;
    j["input"] = file_name(s.input);
    j["rows_in"] = s.rows_in;
    j["rows_kept"] = s.rows_kept;
    j["rows_rejected"] = s.rows_rejected;
    j["rows_excluded"] = s.rows_excluded;
    j["kept_per_level"] = s.kept_per_level;
    j["excluded_per_level"] = s.excluded_per_level;
    j["rejects_per_reason"] = s.rejects_per_reason;
    j["outcome_type"] = s.outcome_type;
    j["outcome_mean_per_level"] = s.outcome_mean_per_level;
    j["features"] = s.features;
    return j.dump(2) + "\n";
}

std::string to_json(const RetailIngestSummary& s) {
    Json j;
    j["tool"] = "upliftctl";
    j["max_reject_rate"] = s.max_reject_rate;
    Json per_table = Json::object();
    for (const auto& t : s.tables) {
        Json o;
        o["input"] = file_name(t.input);
        o["output"] = t.table + ".parquet";
        o["rejects"] = "rejects/" + t.table + ".csv";
        o["rows_in"] = t.rows_in;
        o["rows_kept"] = t.rows_kept;
        o["rows_rejected"] = t.rows_rejected;
        o["rejects_per_reason"] = t.rejects_per_reason;
        Json samples = Json::array();
        for (const auto& r : t.samples) {
            samples.push_back({{"line", r.line}, {"column", r.column}, {"value", r.value}, {"reason", r.reason}});
        }
        o["samples"] = samples;
        per_table[t.table] = o;
    }
    j["tables"] = per_table;
    // Derived from purchases (and products) for `features`: counts only, nothing is rejected there.
    j["derived"] = {{"transactions.parquet", s.derived_transactions},
                    {"product_firsts.parquet", s.derived_product_firsts}};
    return j.dump(2) + "\n";
}

FlatIngestSummary flat_ingest_summary_from_json(std::string_view text, const std::string& source) {
    const Json doc = parse(text, source);
    const Reader r(source);
    FlatIngestSummary s;
    s.input = r.text(doc, "input");
    s.rows_in = r.count(doc, "rows_in");
    s.rows_kept = r.count(doc, "rows_kept");
    s.rows_rejected = r.count(doc, "rows_rejected");
    s.rows_excluded = r.count(doc, "rows_excluded");
    s.kept_per_level = r.counts(doc, "kept_per_level");
    s.excluded_per_level = r.counts(doc, "excluded_per_level");
    s.rejects_per_reason = r.counts(doc, "rejects_per_reason");
    s.outcome_type = r.text(doc, "outcome_type");
    const Json& means = r.object(doc, "outcome_mean_per_level");
    for (const auto& [level, v] : means.items()) {
        if (!v.is_number()) r.wrong("outcome_mean_per_level." + level, "a number", v);
        s.outcome_mean_per_level[level] = v.get<double>();
    }
    const Json& features = r.array(doc, "features");
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (!features[i].is_string()) r.wrong(fmt::format("features[{}]", i), "a string", features[i]);
        s.features.push_back(features[i].get<std::string>());
    }
    return s;
}

RetailIngestSummary retail_ingest_summary_from_json(std::string_view text, const std::string& source) {
    const Json doc = parse(text, source);
    const Reader r(source);
    RetailIngestSummary s;
    const Json& rate = r.member(doc, "max_reject_rate", "");
    if (!rate.is_number()) r.wrong("max_reject_rate", "a number", rate);
    s.max_reject_rate = rate.get<double>();
    const Json& tables = r.object(doc, "tables");
    for (const auto& [name, t] : tables.items()) {
        const std::string where = "tables." + name + ".";
        if (!t.is_object()) r.wrong(where.substr(0, where.size() - 1), "an object", t);
        RetailIngestTable table;
        table.table = name;
        table.input = r.text(t, "input", where);
        table.rows_in = r.count(t, "rows_in", where);
        table.rows_kept = r.count(t, "rows_kept", where);
        table.rows_rejected = r.count(t, "rows_rejected", where);
        table.rejects_per_reason = r.counts(t, "rejects_per_reason", where);
        const Json& samples = r.array(t, "samples", where);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const std::string at = fmt::format("{}samples[{}]", where, i);
            if (!samples[i].is_object()) r.wrong(at, "an object", samples[i]);
            table.samples.push_back({r.count(samples[i], "line", at + "."), r.text(samples[i], "column", at + "."),
                                     r.text(samples[i], "value", at + "."), r.text(samples[i], "reason", at + ".")});
        }
        s.tables.push_back(std::move(table));
    }
    const Json& derived = r.object(doc, "derived");
    s.derived_transactions = r.count(derived, "transactions.parquet", "derived.");
    s.derived_product_firsts = r.count(derived, "product_firsts.parquet", "derived.");
    return s;
}

}  // namespace uplift::artifacts
