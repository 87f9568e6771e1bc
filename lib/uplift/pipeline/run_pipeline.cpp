#include "uplift/pipeline/run_pipeline.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/pipeline/date_rule.hpp"
#include "uplift/pipeline/run_files.hpp"

namespace uplift::pipeline {

namespace fs = std::filesystem;
using artifacts::RunRecord;
using artifacts::StageRecord;

namespace {

std::string now_utc() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::optional<RunRecord> read_record(const fs::path& folder) {
    const fs::path file = folder / "run.json";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    return artifacts::run_record_from_json(read_text(file), file.string());
}

/// The lines of a stage's stderr that carry `marker` ("error:", "warning:").
std::vector<std::string> lines_with(const fs::path& file, const std::string& marker) {
    std::vector<std::string> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        if (line.find(marker) != std::string::npos) out.push_back(line);
    }
    return out;
}

/// One run of the month: the stages in order, each reused when unchanged since the previous run.
class MonthRun {
public:
    MonthRun(const PipelineConfig& config, const RunOptions& options, const StageRunner& runner, fs::path dir,
             std::optional<RunRecord> previous, fs::path previous_dir)
        : config_(config), options_(options), runner_(runner), dir_(std::move(dir)), previous_(std::move(previous)),
          previous_dir_(std::move(previous_dir)) {}

    struct Stage {
        std::string name;
        std::vector<std::string> args;
        std::vector<std::string> inputs;   ///< run-folder names, or absolute paths outside it
        std::vector<std::string> outputs;  ///< run-folder names
        std::set<int> accepted = {0};
    };

    /// Runs (or reuses) the stage; its exit code, or nullopt once the run has failed.
    std::optional<int> stage(Stage s) {
        if (failed_) return std::nullopt;
        add_flags(s);
        StageRecord record;
        record.name = s.name;
        record.command = s.args;
        for (const auto& in : s.inputs) {
            const auto produced = produced_.find(in);
            if (produced != produced_.end()) {
                record.inputs[in] = produced->second;
                continue;
            }
            const fs::path path = dir_ / in;  // an absolute input stays itself
            std::error_code ec;
            if (!fs::exists(path, ec)) {
                throw IoError(fmt::format("stage {}: its input '{}' is missing (from {})", s.name, in,
                                          config_.file.string()));
            }
            record.inputs[in] = path_fingerprint(path);
        }
        std::string keyed = std::string(version()) + "\n";
        for (const auto& a : s.args) keyed += a + "\x1f";
        for (const auto& [path, fp] : record.inputs) keyed += "\n" + path + "=" + fp;
        record.key = text_fingerprint(keyed);

        const auto start = std::chrono::steady_clock::now();
        if (const StageRecord* old = reusable(record, s)) {
            for (const auto& out : s.outputs) link_or_copy(previous_dir_ / out, dir_ / out);
            for (const char* log : {".out", ".err"}) {
                const fs::path from = previous_dir_ / "logs" / (s.name + log);
                std::error_code ec;
                if (fs::exists(from, ec)) link_or_copy(from, dir_ / "logs" / (s.name + log));
            }
            record.status = "skipped";
            record.exit_code = old->exit_code;
            record.outputs = old->outputs;
            record.warnings = old->warnings;
            record.reused_from = previous_->name;
        } else {
            std::vector<std::string> args = s.args;
            args.insert(args.end(), options_.common_args.begin(), options_.common_args.end());
            record.exit_code = runner_({args, dir_, dir_ / "logs" / (s.name + ".out"), dir_ / "logs" / (s.name + ".err")});
            record.status = s.accepted.count(record.exit_code) ? "ran" : "failed";
            for (auto& w : lines_with(dir_ / "logs" / (s.name + ".err"), "warning:")) {
                if (const auto at = w.find("upliftctl: warning: "); at != std::string::npos) w.erase(at, 20);
                record.warnings.push_back(w);
            }
            if (record.status == "ran") {
                for (const auto& out : s.outputs) record.outputs[out] = path_fingerprint(dir_ / out);
            }
        }
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (const auto& [name, fp] : record.outputs) produced_[name] = fp;
        tell(s.name, record);
        const int code = record.exit_code;
        const bool ok = record.status != "failed";
        stages_.push_back(std::move(record));
        if (!ok) {
            failed_ = true;
            failed_stage_ = s.name;
            failed_code_ = code;
            return std::nullopt;
        }
        return code;
    }

    bool failed() const { return failed_; }
    const std::string& failed_stage() const { return failed_stage_; }
    int failed_code() const { return failed_code_; }
    std::vector<StageRecord> take_stages() { return std::move(stages_); }

private:
    /// The stage's own flags from the pipeline file; a value naming a file beside the pipeline file is made
    /// absolute (the stage runs in the run folder) and becomes an input, so editing that file reruns the stage.
    void add_flags(Stage& s) const {
        const std::string table = s.name.rfind("features", 0) == 0 ? "features"
                                  : s.name.rfind("report", 0) == 0 ? "report"
                                                                   : s.name;
        const auto it = config_.stage_flags.find(table);
        if (it == config_.stage_flags.end()) return;
        for (const auto& word : it->second) {
            std::error_code ec;
            const fs::path beside = config_.base / word;
            if (word.rfind("-", 0) != 0 && !word.empty() && fs::path(word).is_relative() && fs::exists(beside, ec)) {
                s.args.push_back(beside.string());
                s.inputs.push_back(beside.string());
            } else {
                s.args.push_back(word);
            }
        }
    }

    /// The previous run's record of this stage when its key, its outcome and its outputs are all still good.
    const StageRecord* reusable(const StageRecord& now, const Stage& s) const {
        if (!previous_) return nullptr;
        for (const auto& old : previous_->stages) {
            if (old.name != now.name || old.key != now.key || old.status == "failed") continue;
            if (!s.accepted.count(old.exit_code)) return nullptr;
            for (const auto& out : s.outputs) {
                const auto fp = old.outputs.find(out);
                std::error_code ec;
                if (fp == old.outputs.end() || !fs::exists(previous_dir_ / out, ec) ||
                    path_fingerprint(previous_dir_ / out) != fp->second) {
                    return nullptr;
                }
            }
            return &old;
        }
        return nullptr;
    }

    void tell(const std::string& name, const StageRecord& r) const {
        if (!options_.say) return;
        const std::string how = r.status == "skipped" ? fmt::format("unchanged, reused from {}", r.reused_from)
                                : r.status == "ran"   ? fmt::format("ran in {:.1f} s", r.seconds)
                                                      : fmt::format("failed with exit {} after {:.1f} s", r.exit_code, r.seconds);
        options_.say(fmt::format("stage {:<14} {}", name, how));
        for (const auto& w : r.warnings) options_.say(fmt::format("  {}: warning: {}", name, w));
    }

    const PipelineConfig& config_;
    const RunOptions& options_;
    const StageRunner& runner_;
    fs::path dir_;
    std::optional<RunRecord> previous_;
    fs::path previous_dir_;
    std::map<std::string, std::string> produced_;  ///< run-folder name → fingerprint, of this run's outputs
    std::vector<StageRecord> stages_;
    bool failed_ = false;
    std::string failed_stage_;
    int failed_code_ = 0;
};

/// The run whose model is in production: the champion link's run, for the first attempt at a month; a rerun of a
/// month keeps the champion that month started from, so a model never competes with itself.
std::string champion_before(const fs::path& runs, const std::optional<RunRecord>& same_month) {
    if (same_month) return same_month->champion_before;
    std::error_code ec;
    const fs::path link = runs / "champion";
    if (!fs::is_symlink(link, ec)) return {};
    const fs::path target = fs::read_symlink(link, ec);  // "<run>/model"
    if (ec || !fs::is_directory(runs / target, ec)) return {};
    return target.parent_path().string();
}

/// compare.json's decision and reason: the stage's own record of what it decided (its exit code says the same).
std::pair<std::string, std::string> compare_decision(const fs::path& file) {
    const auto c = artifacts::comparison_from_json(read_text(file), file.string());
    return {std::string(artifacts::to_string(c.decision)), c.reason};
}

}  // namespace

RunResult run_pipeline(const PipelineConfig& config, const RunOptions& options, const StageRunner& runner) {
    const std::string as_of = options.as_of.empty() ? today_utc() : checked_date(options.as_of, "--as-of");
    RunRecord record;
    record.tool_version = version();
    record.pipeline = config.file.string();
    record.pipeline_fingerprint = file_fingerprint(config.file);
    record.as_of = as_of;
    record.name = expand(config.name, as_of);
    record.started_utc = now_utc();
    if (record.name.empty() || record.name.find('/') != std::string::npos || record.name[0] == '.' ||
        record.name == "latest" || record.name == "champion") {
        throw UsageError(fmt::format("{}: [run] name gives '{}', which cannot be a run folder's name",
                                     config.file.string(), record.name));
    }
    if (config.kind == DataKind::Retail) {
        record.cutoffs["train"] = apply_date_rule(config.train_cutoff, as_of, "[data] train_cutoff");
        record.cutoffs["score"] = apply_date_rule(config.score_cutoff, as_of, "[data] score_cutoff");
    }

    io::create_directories(config.runs);
    const RunLock lock(config.runs / ".lock");
    const fs::path target = config.runs / record.name;
    std::optional<RunRecord> same_month = read_record(target);
    std::optional<RunRecord> previous = same_month;
    fs::path previous_dir = target;
    if (!previous) {
        previous = read_record(config.runs / "latest");
        previous_dir = config.runs / "latest";
    }
    record.champion_before = champion_before(config.runs, same_month);
    const fs::path champion_model =
        record.champion_before.empty() ? fs::path() : fs::absolute(config.runs / record.champion_before / "model");

    io::AtomicOutput out(target, true, io::OutputShape::Folder);
    const fs::path dir = out.temp_path();
    io::create_directories(dir / "logs", target / "logs");
    MonthRun run(config, options, runner, dir, previous, previous_dir);
    const std::string seed = std::to_string(config.seed);

    // Ingest and the training features.
    if (config.kind == DataKind::Retail) {
        const fs::path folder = config.base / expand(config.folder, as_of);
        std::vector<std::string> args = {"ingest", "--out", "data", "--clients", (folder / config.clients).string(),
                                         "--purchases", (folder / config.purchases).string(), "--campaign",
                                         (folder / config.campaign).string()};
        std::vector<std::string> inputs = {args[4], args[6], args[8]};
        std::error_code ec;
        if (fs::exists(folder / config.products, ec)) {
            args.insert(args.end(), {"--products", (folder / config.products).string()});
            inputs.push_back((folder / config.products).string());
        }
        run.stage({"ingest", args, inputs, {"data"}});
        run.stage({"features", {"features", "--data", "data", "--cutoff", record.cutoffs["train"], "-o", "features.parquet"},
                   {"data"}, {"features.parquet"}});
    } else {
        const std::string file = (config.base / expand(config.file_template, as_of)).string();
        run.stage({"ingest", {"ingest", "-i", file, "-o", "dataset.parquet"}, {file},
                   {"dataset.parquet", "dataset.rejects.csv", "dataset.ingest.json"}});
        run.stage({"features", {"features", "-i", "dataset.parquet", "-o", "features.parquet"}, {"dataset.parquet"},
                   {"features.parquet"}});
    }
    run.stage({"train", {"train", "-i", "features.parquet", "-o", "model", "--seed", seed}, {"features.parquet"},
               {"model"}});

    // Champion and challenger: the new model goes to production unless it is credibly worse.
    artifacts::ChampionRecord decision;
    decision.champion = record.champion_before;
    fs::path production = dir / "model";
    if (champion_model.empty()) {
        decision.decision = "promote";
        decision.reason = "no champion yet: the first model goes to production";
    } else if (!config.compare) {
        decision.decision = "promote";
        decision.reason = "[champion] compare = false: every new model goes to production";
    } else if (const auto code = run.stage({"compare",
                                            {"compare", "--champion", champion_model.string(), "--challenger", "model",
                                             "--features", "features.parquet", "--margin",
                                             fmt::format("{}", config.margin), "--seed", seed, "-o", "compare.json"},
                                            {champion_model.string(), "model", "features.parquet"},
                                            {"compare.json"},
                                            {0, challenger_rejected_exit}})) {
        std::tie(decision.decision, decision.reason) = compare_decision(dir / "compare.json");
        if ((decision.decision == "reject") != (*code == challenger_rejected_exit)) {
            throw InternalError(fmt::format("compare exited {} but compare.json says '{}'", *code, decision.decision));
        }
        if (decision.decision == "reject") production = champion_model;
    }
    decision.production_model =
        production == dir / "model" ? record.name + "/model" : record.champion_before + "/model";
    const std::string model = production == dir / "model" ? std::string("model") : production.string();
    const std::vector<std::string> model_input = {model};

    // Score the clients to plan for, with the production model, then plan and report.
    if (config.kind == DataKind::Retail) {
        auto inputs = model_input;
        inputs.push_back("data");
        run.stage({"features_base",
                   {"features", "--data", "data", "--cutoff", record.cutoffs["score"], "--population", "all", "--like",
                    model, "-o", "base_features.parquet"},
                   inputs,
                   {"base_features.parquet"}});
        run.stage({"score", {"score", "-m", model, "-i", "base_features.parquet", "-o", "scores.parquet"},
                   {model, "base_features.parquet"}, {"scores.parquet"}});
    } else if (!config.base_template.empty()) {
        const std::string file = (config.base / expand(config.base_template, as_of)).string();
        run.stage({"score", {"score", "-m", model, "-i", file, "-o", "scores.parquet"}, {model, file}, {"scores.parquet"}});
    }
    const bool scored = config.kind == DataKind::Retail || !config.base_template.empty();
    // Without a base to score, the plan is for the campaign's own clients, on scores from models that never saw them.
    const std::string scores = scored ? "scores.parquet" : (fs::path(model) / "out_of_fold.parquet").string();
    run.stage({"optimize", {"optimize", "-s", scores, "-o", "plan.csv", "--seed", seed},
               {scored ? scores : model}, {"plan.csv", "plan.json"}});
    // The report shows the month's decision and the base's drift beside the plan.
    std::vector<std::string> monthly_args, monthly_inputs = {model, "plan.json"};
    std::error_code ec;
    if (fs::exists(dir / "compare.json", ec)) {
        monthly_args.insert(monthly_args.end(), {"--compare", "compare.json"});
        monthly_inputs.push_back("compare.json");
    }
    if (scored) {
        monthly_args.insert(monthly_args.end(), {"--drift", "scores.parquet"});
        monthly_inputs.push_back("scores.parquet");
    }
    for (const auto& lang : config.languages) {
        const std::string name = lang == "en" ? "report" : "report_" + lang;
        std::vector<std::string> args = {"report", "-s", (fs::path(model) / "holdout.parquet").string(), "--model", model,
                                         "--plan", "plan.json", "--lang", lang, "-o", name + ".html"};
        args.insert(args.end(), monthly_args.begin(), monthly_args.end());
        run.stage({name, args, monthly_inputs, {name + ".html"}});
    }

    RunResult result;
    const bool rejected = !run.failed() && decision.decision == "reject";
    record.status = run.failed() ? "failed" : rejected ? "challenger_rejected" : "ok";
    record.exit_code = run.failed() ? run.failed_code() : rejected ? challenger_rejected_exit : 0;
    record.failed_stage = run.failed_stage();
    if (!run.failed() || !decision.decision.empty()) record.champion = decision;
    record.stages = run.take_stages();
    record.finished_utc = now_utc();
    if (run.failed()) {
        auto errors = lines_with(dir / "logs" / (run.failed_stage() + ".err"), "error:");
        for (auto& e : errors) {
            if (const auto at = e.find("upliftctl: error: "); at != std::string::npos) e.erase(at, 18);
        }
        result.error = errors.empty() ? "see its log" : fmt::format("{}", fmt::join(errors, " / "));
    }
    io::write_file(dir / "run.json", artifacts::to_json(record), target / "run.json");
    out.commit();

    // A failed month stays on disk for its logs and for a rerun to reuse, but moves neither link.
    if (!run.failed()) {
        replace_link(config.runs / "latest", record.name);
        replace_link(config.runs / "champion", fs::path(decision.production_model));
    }
    result.record = std::move(record);
    result.folder = target;
    result.exit_code = result.record.exit_code;
    return result;
}

}  // namespace uplift::pipeline
