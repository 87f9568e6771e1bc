#pragma once
/// `upliftctl run`: one month of the loop from one pipeline file. The stages are the commands themselves, run
/// as child processes by a StageRunner the caller provides (the CLI spawns its own binary; tests can fake it),
/// each in the run folder with its stdout and stderr in logs/. docs/run.md describes the folder, run.json,
/// the skipping of unchanged stages, the champion and the exit codes.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "uplift/artifacts/run_record.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/pipeline/pipeline_config.hpp"

namespace uplift::pipeline {

/// One stage to run: `args` are the words after `upliftctl`; it runs in `cwd`, writing its output streams to
/// the two files. Returns the stage's exit code.
struct StageCall {
    std::vector<std::string> args;
    std::filesystem::path cwd, stdout_file, stderr_file;
};
using StageRunner = std::function<int(const StageCall&)>;

struct RunOptions {
    std::string as_of;  ///< YYYY-MM-DD; empty: today (UTC)
    /// Told one line per stage as it ends, and the stages' warnings; not called with -q.
    std::function<void(const std::string&)> say;
    /// Words added to every stage's command (`--threads 2`). They are not part of a stage's key: the outputs
    /// do not depend on them.
    std::vector<std::string> common_args;
};

/// The exit code of a run whose challenger was rejected: the month completed with the champion. Not an error.
/// The same code `compare` exits with (core/errors.hpp).
inline constexpr int challenger_rejected_exit = exit_code::rejected;

struct RunResult {
    artifacts::RunRecord record;
    std::filesystem::path folder;  ///< the committed run folder
    int exit_code = 0;             ///< 0, challenger_rejected_exit, or the failed stage's exit code
    std::string error;             ///< status failed: the stage's own error line(s)
};

/// Runs the month. Throws IoError when another run holds the runs folder's lock, UsageError for a bad --as-of
/// or cutoff rule; a stage that fails is not thrown but recorded (RunResult::exit_code, run.json).
RunResult run_pipeline(const PipelineConfig& config, const RunOptions& options, const StageRunner& runner);

}  // namespace uplift::pipeline
