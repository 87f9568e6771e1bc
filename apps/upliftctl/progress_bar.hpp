#pragma once
/// Progress on stderr for the stages that take more than a moment (train with folds, score, simulate, ingest,
/// features): a bar, the share done and an ETA, redrawn in place. Only on a terminal unless --progress asks,
/// never under -q (show_progress): a cron log gets no carriage-return noise.

#include <chrono>
#include <cstdint>
#include <string>

#include "cli_common.hpp"
#include "uplift/core/progress.hpp"

namespace upliftctl {

/// One redraw of the line, e.g. "train  [##########----------]  50%  4/8 model fits  ETA 0:12". With total 0
/// (not known) it shows the count and the time so far instead.
std::string progress_line(const std::string& label, const std::string& unit, std::uint64_t done, std::uint64_t total,
                          std::chrono::milliseconds elapsed);

/// A callback drawing progress_line for `label` on stderr at most five times a second, with a newline when
/// the job ends (done == total) or the callback is destroyed; an empty callback when progress is not shown. A
/// smaller `done` than the last call's starts a new step: the bar and its ETA start again.
uplift::Progress progress_bar(const GlobalOptions& global, const std::string& label, const std::string& unit);

}  // namespace upliftctl
