#include "uplift/io/atomic_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "uplift/core/errors.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

void check_writable(const fs::path& target, bool overwrite) {
    if (target.empty()) throw UsageError("an output path is empty");
    if (fs::exists(target) && !overwrite) {
        throw UsageError(fmt::format("output '{}' already exists; pass --overwrite to replace it", target.string()));
    }
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(parent)) {
        throw IoError(fmt::format("cannot write '{}': folder '{}' does not exist", target.string(), parent.string()));
    }
}

AtomicOutput::AtomicOutput(fs::path target, bool overwrite) : target_(std::move(target)) {
    check_writable(target_, overwrite);
    static std::atomic<unsigned> counter{0};
    const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    temp_ = parent / fmt::format(".{}.tmp-{}-{}", target_.filename().string(), ::getpid(), counter++);
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) {
        std::error_code ignored;
        fs::remove_all(temp_, ignored);
    }
}

void AtomicOutput::commit() {
    std::error_code ec;
    if (fs::is_directory(target_) && fs::is_directory(temp_)) fs::remove_all(target_, ec);
    fs::rename(temp_, target_, ec);
    if (ec) {
        throw IoError(fmt::format("cannot move '{}' into place as '{}': {}", temp_.string(), target_.string(),
                                  ec.message()));
    }
    committed_ = true;
}

void write_text_atomic(const fs::path& target, std::string_view content, bool overwrite) {
    AtomicOutput out(target, overwrite);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file.write(content.data(), static_cast<std::streamsize>(content.size()));
        file.close();
        if (!file) throw IoError(fmt::format("cannot write '{}'", target.string()));
    }
    out.commit();
}

}  // namespace uplift::io
