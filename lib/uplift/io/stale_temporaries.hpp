#pragma once
/// A run killed with SIGKILL (or by a power cut) cannot remove its temporaries: hidden `.NAME.tmp-PID-N` and
/// `.NAME.spool-PID-N` entries stay in the output's folder. The next run writing into that folder clears the
/// ones that are clearly abandoned, so a cron folder does not fill up with them.

#include <filesystem>
#include <string>
#include <vector>

namespace uplift::io {

/// How old a temporary must be before it counts as abandoned: no run of upliftctl lasts a day.
inline constexpr int stale_temporary_hours = 24;

/// What was done about the temporaries found in one folder.
struct StaleTemporaries {
    std::vector<std::filesystem::path> removed;  ///< older than a day and their process is gone
    std::vector<std::filesystem::path> kept;     ///< older than a day, but a process of that id still runs
};

/// The process id a temporary's name carries (`.x.tmp-PID-N`, `.x.spool-PID-N`), or -1 when the name is not one
/// of ours.
long temporary_owner(const std::string& filename);

/// Removes abandoned temporaries in `folder` and warns about each one removed or kept. Never throws: a
/// folder it cannot list or an entry it cannot remove is left alone (the run's own writes report real errors).
StaleTemporaries clear_stale_temporaries(const std::filesystem::path& folder);

}  // namespace uplift::io
