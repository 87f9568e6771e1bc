// File fingerprints (core/file_hash.hpp): XXH3-128 of the bytes, checked against `xxhsum -H2` (Debian's xxhash),
// the 64-bit FNV-1a fingerprints of older artifacts still recognised, and a large file read once per process for
// as long as it stays the same file.

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

TEST_CASE("a fingerprint is XXH3-128 as xxhsum prints it", "[file_hash]") {
    // `printf hello | xxhsum -H2` and `printf '' | xxhsum -H2` (xxhsum 0.8.1).
    CHECK(uplift::text_fingerprint("hello") == "b5e9c1ad071b3e7fc779cfaa5e523818");
    CHECK(uplift::text_fingerprint("") == "99aa06d3014798d86001c324468d497f");
}

TEST_CASE("a stored fingerprint is checked by its own kind: XXH3-128 or the older FNV-1a", "[file_hash]") {
    const auto dir = test_support::fresh_dir("test_file_hash", "kinds");
    write_bytes(dir / "a.txt", "hello");
    // 64-bit FNV-1a of "hello", computed by hand from the definition (offset basis, prime 1099511628211).
    const std::string fnv = "a430d84680aabd0b";
    CHECK(uplift::text_has_fingerprint("hello", fnv));
    CHECK(uplift::file_has_fingerprint(dir / "a.txt", fnv));
    CHECK(uplift::text_has_fingerprint("hello", "b5e9c1ad071b3e7fc779cfaa5e523818"));
    CHECK(uplift::file_has_fingerprint(dir / "a.txt", "b5e9c1ad071b3e7fc779cfaa5e523818"));
    CHECK_FALSE(uplift::text_has_fingerprint("hellp", fnv));
    CHECK_FALSE(uplift::text_has_fingerprint("hellp", "b5e9c1ad071b3e7fc779cfaa5e523818"));
    CHECK_FALSE(uplift::text_has_fingerprint("hello", ""));
    write_bytes(dir / "a.txt", "hellp");
    CHECK_FALSE(uplift::file_has_fingerprint(dir / "a.txt", fnv));
    CHECK_FALSE(uplift::file_has_fingerprint(dir / "a.txt", "b5e9c1ad071b3e7fc779cfaa5e523818"));
}

TEST_CASE("a file's fingerprint is that of its bytes", "[file_hash]") {
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
