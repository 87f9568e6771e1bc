#pragma once
// Shared by the unit tests: scratch folders under the system temp folder that the test process removes as it
// exits. Each case runs as its own process and many checkouts share one machine, so folders left behind pile up
// (gigabytes over a day of runs, once enough to fill the disk under CI's sanitizer build).
// UPLIFT_KEEP_TEST_DIRS=1 keeps them, to look at after a failure.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace test_support {

/// The folders this process made, removed at exit.
class ScratchFolders {
public:
    ScratchFolders() = default;
    ScratchFolders(const ScratchFolders&) = delete;
    ScratchFolders& operator=(const ScratchFolders&) = delete;
    ~ScratchFolders() {
        const char* keep = std::getenv("UPLIFT_KEEP_TEST_DIRS");
        if (keep != nullptr && std::string(keep) == "1") return;
        for (const auto& dir : dirs_) {
            std::error_code ignored;  // a folder a test removed itself, or one still open: nothing to do at exit
            std::filesystem::remove_all(dir, ignored);
        }
    }
    void add(const std::filesystem::path& dir) {
        const std::lock_guard lock(mutex_);
        dirs_.push_back(dir);
    }

private:
    std::mutex mutex_;
    std::vector<std::filesystem::path> dirs_;
};

inline ScratchFolders& scratch_folders() {
    static ScratchFolders folders;
    return folders;
}

/// An empty folder under the system temp folder, named per test binary and process so that parallel test runs
/// (several checkouts on one machine) never share one, and removed when the process exits.
inline std::filesystem::path fresh_dir(const std::string& prefix, const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("upliftctl_" + prefix + "_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    scratch_folders().add(dir);
    return dir;
}

}  // namespace test_support
