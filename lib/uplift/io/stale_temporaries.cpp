#include "uplift/io/stale_temporaries.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <charconv>

#include "uplift/core/log.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

long temporary_owner(const std::string& filename) {
    if (filename.size() < 2 || filename[0] != '.') return -1;
    for (const std::string marker : {".tmp-", ".spool-"}) {
        const auto at = filename.rfind(marker);
        if (at == std::string::npos || at == 0) continue;
        const char* first = filename.data() + at + marker.size();
        const char* last = filename.data() + filename.size();
        long pid = 0;
        const auto [end, ec] = std::from_chars(first, last, pid);
        // PID, a dash, then the per-process counter and nothing else (a spool may add DuckDB's own suffixes).
        if (ec != std::errc() || end == first || end == last || *end != '-' || pid <= 0) continue;
        return pid;
    }
    return -1;
}

namespace {

bool process_alive(long pid) {
    if (pid == static_cast<long>(::getpid())) return true;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

}  // namespace

StaleTemporaries clear_stale_temporaries(const fs::path& folder) {
    StaleTemporaries result;
    std::error_code ec;
    fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, ec);
    if (ec) return result;
    const auto now = fs::file_time_type::clock::now();
    const auto limit = std::chrono::hours(stale_temporary_hours);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::path path = it->path();
        const long pid = temporary_owner(path.filename().string());
        if (pid < 0) continue;
        std::error_code time_ec;
        const auto written = fs::last_write_time(path, time_ec);
        if (time_ec || now - written < limit) continue;
        const auto hours = std::chrono::duration_cast<std::chrono::hours>(now - written).count();
        if (process_alive(pid)) {
            log::warn("'{}' looks like the temporary of an interrupted run ({} h old), but process {} is "
                      "running, so it was kept",
                      path.string(), hours, pid);
            result.kept.push_back(path);
            continue;
        }
        std::error_code remove_ec;
        fs::remove_all(path, remove_ec);
        if (remove_ec) {
            log::warn("cannot remove '{}', the temporary of an interrupted run ({} h old): {}", path.string(), hours,
                      remove_ec.message());
            result.kept.push_back(path);
        } else {
            log::warn("removed '{}', the temporary of an interrupted run ({} h old)", path.string(), hours);
            result.removed.push_back(path);
        }
    }
    return result;
}

}  // namespace uplift::io
