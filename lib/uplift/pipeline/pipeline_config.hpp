#pragma once
/// The pipeline file of `upliftctl run` (TOML, docs/run.md): where the month's data is, how its cutoffs are
/// found, and the flags of each stage. This file and pipeline_config.cpp are the only places that know its keys.
///
/// A stage's table holds that command's own flags, written as TOML keys: `max_depth = 3` is `--max-depth 3`,
/// `true` is the bare flag, an array repeats the flag per item. The command checks them as it checks any
/// command line, so the file can use every flag a command has; only the paths that `run` itself wires
/// between stages (inputs, outputs, the model, the cutoff) are refused there.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace uplift::pipeline {

enum class DataKind { Retail, Flat };

/// The stages whose flags a pipeline file may set, in the order they run.
inline const std::vector<std::string>& configurable_stages() {
    static const std::vector<std::string> stages = {"ingest", "features", "train", "compare",
                                                    "score",  "optimize", "report"};
    return stages;
}

struct PipelineConfig {
    std::filesystem::path file;    ///< the pipeline file itself
    std::filesystem::path base;    ///< its folder: relative paths in it are relative to this

    // [run]
    std::filesystem::path runs = "runs";  ///< where the dated run folders go (absolute once loaded)
    std::string name = "{month}";         ///< a run folder's name, a template (see expand())
    std::uint64_t seed = 42;              ///< given to every stage that draws random numbers

    // [data]
    DataKind kind = DataKind::Retail;
    std::string folder;  ///< retail: a template of the folder holding the four tables
    std::string clients = "clients.csv", purchases = "purchases.csv", products = "products.csv",
                campaign = "campaign.csv";  ///< retail: their names in that folder (products may be absent)
    std::string file_template;               ///< flat: a template of the campaign file
    std::string base_template;               ///< flat: clients to plan for (default: the campaign's own, out of fold)
    std::string train_cutoff = "as_of - 1 month";  ///< retail: the campaign's first day (a date rule)
    std::string score_cutoff = "as_of";            ///< retail: the day the new plan's features are built at

    // [champion]
    double margin = 0.0;                 ///< compare --margin
    bool compare = true;                 ///< false: every new model is promoted without a comparison

    // [report]
    std::vector<std::string> languages = {"en"};  ///< one report per language: report.html, report_ru.html

    /// Each stage's flags from its table, as command-line words.
    std::map<std::string, std::vector<std::string>> stage_flags;
    /// Where each stage's flag was written: stage → flag ("--max-depth") → "file:line:column", so a flag the
    /// command does not have is reported at its line before anything runs.
    std::map<std::string, std::map<std::string, std::string>> flag_sources;
};

/// Reads and checks `file`. Throws UsageError naming the file, the line and the key for a TOML syntax error, an
/// unknown table or key, a value of the wrong type, or a flag `run` sets itself; IoError when it cannot be read.
PipelineConfig load_pipeline(const std::filesystem::path& file);

/// Parses TOML text (`source` names it in messages); paths are taken relative to `base`.
PipelineConfig parse_pipeline(const std::string& text, const std::filesystem::path& source,
                              const std::filesystem::path& base);

/// A path template with {as_of} (YYYY-MM-DD), {month} (YYYY-MM) and {year} replaced. Throws UsageError for any
/// other {name}.
std::string expand(const std::string& templ, const std::string& as_of);

}  // namespace uplift::pipeline
