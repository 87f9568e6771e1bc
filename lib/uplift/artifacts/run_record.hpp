#pragma once
/// run.json: what `upliftctl run` records in each run folder (docs/run.md lists its keys): the stages with
/// their commands, times, exit codes and fingerprints, and the champion decision. The next run reads it to skip
/// unchanged stages. This file and run_record.cpp are the only places that spell its keys.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

inline constexpr int run_record_format_version = 1;

struct StageRecord {
    std::string name;
    std::vector<std::string> command;  ///< the words after `upliftctl`, paths as the stage saw them
    std::string status;                ///< "ran", "skipped" (unchanged: outputs reused), "failed"
    int exit_code = 0;
    double seconds = 0;
    std::string key;                   ///< fingerprint of the tool version, the command and the inputs
    std::map<std::string, std::string> inputs;   ///< path → content fingerprint
    std::map<std::string, std::string> outputs;  ///< name in the run folder → content fingerprint
    std::string reused_from;           ///< skipped: the run folder the outputs were taken from
    std::vector<std::string> warnings; ///< the stage's warnings (drift, leakage, rejects…), read by cron users

    bool operator==(const StageRecord&) const = default;
};

/// The champion/challenger step: which model scored the month, and why.
struct ChampionRecord {
    std::string decision;          ///< "promote" or "reject"
    std::string reason;
    std::string champion;          ///< the run whose model was in production before ("" on a first run)
    std::string production_model;  ///< the model folder that scored this month, relative to the runs folder

    bool operator==(const ChampionRecord&) const = default;
};

struct RunRecord {
    int format_version = run_record_format_version;
    std::string tool_version;
    std::string pipeline;              ///< the pipeline file
    std::string pipeline_fingerprint;
    std::string as_of;
    std::string name;                  ///< the run folder's name
    std::map<std::string, std::string> cutoffs;  ///< "train", "score" → the day features were built at
    std::string started_utc, finished_utc;
    std::string status;                ///< "ok", "challenger_rejected" or "failed"
    int exit_code = 0;
    std::string failed_stage;          ///< status failed: which stage
    std::string champion_before;       ///< the run whose model was in production when this run started
    std::optional<ChampionRecord> champion;
    std::vector<StageRecord> stages;

    bool operator==(const RunRecord&) const = default;
};

std::string to_json(const RunRecord& r);
/// Throws DataError naming `source` for text that is not a run record of this format version.
RunRecord run_record_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
