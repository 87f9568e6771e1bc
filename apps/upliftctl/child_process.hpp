#pragma once
// Runs upliftctl itself as a child process: how `upliftctl run` executes its stages, so each stage is exactly
// the command a user would type, with its own checks, exit code and clean-up.

#include "uplift/pipeline/run_pipeline.hpp"

namespace upliftctl {

/// Spawns this binary with `call.args` in `call.cwd`, stdin from /dev/null, stdout and stderr to the call's
/// files; waits and returns its exit code (128 + the signal's number when a signal ended it).
int run_self(const uplift::pipeline::StageCall& call);

}  // namespace upliftctl
