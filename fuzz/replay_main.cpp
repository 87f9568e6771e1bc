// Runs a fuzz target over saved inputs without libFuzzer, so the seed corpus and every crash input kept
// in fuzz/regressions/ are replayed by CTest in the ordinary (and the sanitizer) build.
//   replay_<target> FILE_OR_DIR...

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& arg) {
    if (!std::filesystem::is_directory(arg)) return {arg};
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t runs = 0;
    for (int a = 1; a < argc; ++a) {
        if (!std::filesystem::exists(argv[a])) {
            fmt::print(stderr, "replay: '{}' does not exist\n", argv[a]);
            return 2;
        }
        for (const auto& file : inputs_of(argv[a])) {
            std::ifstream in(file, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
            fmt::print("replay {}\n", file.string());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++runs;
        }
    }
    fmt::print("{} inputs replayed\n", runs);
    return runs == 0 ? 2 : 0;
}
