#pragma once
// Shared by the fuzz targets: a scratch folder per process and the one rule every target checks.
//
// The rule: whatever bytes a user hands us, the library either succeeds or throws an uplift::Error of a
// user kind (usage, data, I/O, model), which main prints as one line with a documented exit code. An
// InternalError, any other exception, a crash or a sanitizer report is a bug, so the target aborts and
// libFuzzer keeps the input.

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <string_view>

#include <unistd.h>

#include "uplift/core/errors.hpp"

namespace fuzz_support {

/// A folder under the system temp dir, made once per process and removed when it ends normally (a crash
/// leaves it behind with the input that caused it, which helps).
inline const std::filesystem::path& scratch_dir() {
    struct Dir {
        std::filesystem::path path;
        Dir() {
            std::string pattern = (std::filesystem::temp_directory_path() / "upliftctl-fuzz-XXXXXX").string();
            if (::mkdtemp(pattern.data()) == nullptr) {
                std::perror("mkdtemp");
                std::abort();
            }
            path = pattern;
        }
        ~Dir() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const Dir dir;
    return dir.path;
}

/// Replaces `path` with exactly `bytes`.
inline void write_bytes(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) {
        std::perror(path.c_str());
        std::abort();
    }
}

[[noreturn]] inline void bug(std::string_view what) {
    fmt::print(stderr, "fuzz: {}\n", what);
    std::abort();
}

/// Runs `body`; a user error is an accepted outcome, anything else aborts.
template <class Body>
void expect_clean(Body&& body) {
    try {
        body();
    } catch (const uplift::Error& e) {
        if (e.kind() == uplift::ErrorKind::Internal) bug(fmt::format("internal error (exit 1): {}", e.what()));
    } catch (const std::bad_alloc&) {
        bug("out of memory on a small input");
    } catch (const std::exception& e) {
        bug(fmt::format("exception that is not an uplift::Error (exit 1): {}", e.what()));
    }
}

}  // namespace fuzz_support
