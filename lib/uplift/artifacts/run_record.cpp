#include "uplift/artifacts/run_record.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::artifacts {

using Json = nlohmann::ordered_json;

std::string to_json(const RunRecord& r) {
    Json j;
    j["format_version"] = r.format_version;
    j["tool"] = "upliftctl";
    j["tool_version"] = r.tool_version;
    j["pipeline"] = r.pipeline;
    j["pipeline_fingerprint"] = r.pipeline_fingerprint;
    j["as_of"] = r.as_of;
    j["name"] = r.name;
    j["cutoffs"] = r.cutoffs;
    j["started_utc"] = r.started_utc;
    j["finished_utc"] = r.finished_utc;
    j["status"] = r.status;
    j["exit_code"] = r.exit_code;
    j["failed_stage"] = r.failed_stage.empty() ? Json() : Json(r.failed_stage);
    j["champion_before"] = r.champion_before.empty() ? Json() : Json(r.champion_before);
    if (r.champion) {
        j["champion"] = {{"decision", r.champion->decision},
                         {"reason", r.champion->reason},
                         {"champion", r.champion->champion.empty() ? Json() : Json(r.champion->champion)},
                         {"production_model", r.champion->production_model}};
    } else {
        j["champion"] = Json();
    }
    j["stages"] = Json::array();
    for (const auto& s : r.stages) {
        Json stage = {{"name", s.name},       {"command", s.command}, {"status", s.status},
                      {"exit_code", s.exit_code}, {"seconds", s.seconds}, {"key", s.key},
                      {"inputs", s.inputs},   {"outputs", s.outputs}, {"warnings", s.warnings}};
        if (!s.reused_from.empty()) stage["reused_from"] = s.reused_from;
        j["stages"].push_back(stage);
    }
    return j.dump(2) + "\n";
}

RunRecord run_record_from_json(std::string_view text, const std::string& source) {
    RunRecord r;
    try {
        const auto j = nlohmann::json::parse(text);
        r.format_version = j.at("format_version").get<int>();
        if (r.format_version != run_record_format_version) {
            throw DataError(fmt::format("'{}': a run record of format version {}; this upliftctl reads version {}",
                                        source, r.format_version, run_record_format_version));
        }
        r.tool_version = j.at("tool_version").get<std::string>();
        r.pipeline = j.at("pipeline").get<std::string>();
        r.pipeline_fingerprint = j.at("pipeline_fingerprint").get<std::string>();
        r.as_of = j.at("as_of").get<std::string>();
        r.name = j.at("name").get<std::string>();
        r.cutoffs = j.at("cutoffs").get<std::map<std::string, std::string>>();
        r.started_utc = j.at("started_utc").get<std::string>();
        r.finished_utc = j.at("finished_utc").get<std::string>();
        r.status = j.at("status").get<std::string>();
        r.exit_code = j.at("exit_code").get<int>();
        if (!j.at("failed_stage").is_null()) r.failed_stage = j.at("failed_stage").get<std::string>();
        if (!j.at("champion_before").is_null()) r.champion_before = j.at("champion_before").get<std::string>();
        if (const auto& c = j.at("champion"); !c.is_null()) {
            ChampionRecord cr;
            cr.decision = c.at("decision").get<std::string>();
            cr.reason = c.at("reason").get<std::string>();
            if (!c.at("champion").is_null()) cr.champion = c.at("champion").get<std::string>();
            cr.production_model = c.at("production_model").get<std::string>();
            r.champion = cr;
        }
        for (const auto& s : j.at("stages")) {
            StageRecord sr;
            sr.name = s.at("name").get<std::string>();
            sr.command = s.at("command").get<std::vector<std::string>>();
            sr.status = s.at("status").get<std::string>();
            sr.exit_code = s.at("exit_code").get<int>();
            sr.seconds = s.at("seconds").get<double>();
            sr.key = s.at("key").get<std::string>();
            sr.inputs = s.at("inputs").get<std::map<std::string, std::string>>();
            sr.outputs = s.at("outputs").get<std::map<std::string, std::string>>();
            sr.reused_from = s.value("reused_from", std::string());
            sr.warnings = s.value("warnings", std::vector<std::string>());
            r.stages.push_back(std::move(sr));
        }
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("'{}': not a run record ({})", source, e.what()));
    }
    return r;
}

}  // namespace uplift::artifacts
