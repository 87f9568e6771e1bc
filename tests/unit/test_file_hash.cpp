// File fingerprints (core/file_hash.hpp): FNV-1a of the bytes, and a large file read once per process for as
// long as it stays the same file.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "support/experiments.hpp"
#include "uplift/core/file_hash.hpp"

namespace fs = std::filesystem;

namespace {

void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// Moves the file's modification time one second on, as a later edit would.
void touch_later(const fs::path& file) {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    st.st_mtim.tv_sec += 1;
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("a file's fingerprint is FNV-1a of its bytes", "[file_hash]") {
    const auto dir = test_support::fresh_dir("test_file_hash", "small");
    write_bytes(dir / "a.txt", "hello");
    CHECK(uplift::file_fingerprint(dir / "a.txt") == uplift::text_fingerprint("hello"));
    write_bytes(dir / "a.txt", "hellp");  // same size, within the same clock tick: small files are always read
    CHECK(uplift::file_fingerprint(dir / "a.txt") == uplift::text_fingerprint("hellp"));
}

TEST_CASE("a large file is fingerprinted again whenever it changes", "[file_hash]") {
    const auto dir = test_support::fresh_dir("test_file_hash", "large");
    std::string bytes(17 << 20, 'a');
    const auto file = dir / "big.bin";
    write_bytes(file, bytes);
    const std::string first = uplift::file_fingerprint(file);
    CHECK(first == uplift::text_fingerprint(bytes));
    CHECK(uplift::file_fingerprint(file) == first);  // the remembered one

    SECTION("rewritten through a temporary and a rename: a new inode") {
        bytes[12345] = 'b';
        write_bytes(dir / "big.tmp", bytes);
        fs::rename(dir / "big.tmp", file);
        CHECK(uplift::file_fingerprint(file) == uplift::text_fingerprint(bytes));
    }
    SECTION("edited in place to another size") {
        bytes.push_back('c');
        write_bytes(file, bytes);
        CHECK(uplift::file_fingerprint(file) == uplift::text_fingerprint(bytes));
    }
    SECTION("edited in place at the same size, later") {
        bytes[0] = 'z';
        write_bytes(file, bytes);
        touch_later(file);
        CHECK(uplift::file_fingerprint(file) == uplift::text_fingerprint(bytes));
    }
}
