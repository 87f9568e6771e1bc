// The layering of the library, enforced: a module under lib/uplift/ includes only itself and the
// modules below it. Scans the real #include lines of every header and source.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// Lower first. artifacts/ (the typed files that cross stage boundaries) sits just above core/ and io/
/// so every stage can include it; eval/ is below model/ because model/ uses eval's metrics for its
/// holdout. segment/ (client portraits) reads features and scores files, so it sits above the stages that
/// write them and below report/, which shows its portraits. simulate/ stands apart: it writes raw input files and needs only the bottom layers.
const std::map<std::string, int> layer_rank = {
    {"core", 0}, {"io", 1}, {"artifacts", 2}, {"data", 3},     {"features", 4},
    {"eval", 5}, {"model", 6}, {"optimize", 7}, {"segment", 8}, {"report", 9}, {"pipeline", 10},
};
const std::set<std::string> simulate_may_include = {"core", "io", "artifacts"};

/// Why `module` may not include `target` ("" when it may).
std::string why_not(const std::string& module, const std::string& target) {
    if (module == target) return {};
    if (module == "simulate") {
        return simulate_may_include.count(target) ? "" : "simulate/ builds on core/, io/ and artifacts/ only";
    }
    if (target == "simulate") return "no module builds on simulate/";
    const auto m = layer_rank.find(module);
    const auto t = layer_rank.find(target);
    if (m == layer_rank.end()) return "module " + module + "/ has no place in the layer order of this test";
    if (t == layer_rank.end()) return "module " + target + "/ has no place in the layer order of this test";
    return t->second < m->second ? "" : target + "/ is not below " + module + "/";
}

/// "file: includes uplift/x/...: reason" for every include of `text` (a file of `module`) that breaks the order.
std::vector<std::string> violations(const std::string& module, const std::string& file, const std::string& text) {
    static const std::regex include(R"(^\s*#\s*include\s*[<"]uplift/([A-Za-z0-9_]+)/)");
    std::vector<std::string> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        const std::string reason = why_not(module, m[1].str());
        if (!reason.empty()) out.push_back(file + ": " + line + ": " + reason);
    }
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("layers: no module under lib/uplift/ includes one above it", "[layers]") {
    const fs::path lib = fs::path(UPLIFT_TEST_DATA_DIR) / ".." / ".." / "lib" / "uplift";
    REQUIRE(fs::is_directory(lib));
    std::vector<std::string> broken;
    std::size_t scanned = 0;
    for (const auto& dir : fs::directory_iterator(lib)) {
        if (!dir.is_directory()) continue;
        const std::string module = dir.path().filename().string();
        for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".hpp" && ext != ".cpp")) continue;
            ++scanned;
            const auto found = violations(module, fs::relative(entry.path(), lib).string(), slurp(entry.path()));
            broken.insert(broken.end(), found.begin(), found.end());
        }
    }
    CHECK(scanned > 100);  // the scan saw the library, not an empty folder
    for (const auto& b : broken) UNSCOPED_INFO(b);
    CHECK(broken.empty());
}

TEST_CASE("layers: the check catches an upward include, and allows artifacts/ everywhere", "[layers]") {
    CHECK(violations("data", "data/x.cpp", "#include \"uplift/features/retail_derived.hpp\"\n").size() == 1);
    CHECK(violations("io", "io/x.cpp", "  #  include <uplift/core/errors.hpp>\n#include \"uplift/model/gbm.hpp\"\n")
              .size() == 1);
    CHECK(violations("model", "model/x.cpp", "#include \"uplift/eval/metrics.hpp\"\n").empty());
    CHECK(violations("eval", "eval/x.cpp", "#include \"uplift/model/bundle.hpp\"\n").size() == 1);
    CHECK(violations("simulate", "simulate/x.cpp", "#include \"uplift/data/roles.hpp\"\n").size() == 1);
    CHECK(violations("report", "report/x.cpp", "#include \"uplift/simulate/simulate.hpp\"\n").size() == 1);
    for (const char* stage : {"data", "features", "eval", "model", "optimize", "report", "simulate"}) {
        INFO(stage);
        CHECK(violations(stage, "x.cpp", "#include \"uplift/artifacts/plan.hpp\"\n").empty());
    }
    CHECK(violations("artifacts", "artifacts/x.cpp", "#include \"uplift/data/roles.hpp\"\n").size() == 1);
    CHECK(violations("widgets", "widgets/x.cpp", "#include \"uplift/core/errors.hpp\"\n").size() == 1);
}
