// Fuzz target: loading a model bundle (ModelBundle::load: model.json, its version, learner, roles, encoding,
// propensity, the base model list and fingerprints) as `score` does, then scoring three rows with it.
// The input is model.json; the base model files beside it are those of the seed bundle in fuzz/bundle/, so
// a mutated manifest still reaches the base models (their fingerprints hold as long as it names them).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/scoring.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& bundle_dir() {
    static const fs::path dir = [] {
        const fs::path d = fuzz_support::scratch_dir() / "model";
        fs::create_directories(d);
        fs::copy(fs::path(UPLIFT_FUZZ_BUNDLE_DIR) / "base", d / "base", fs::copy_options::recursive);
        return d;
    }();
    return dir;
}

/// Three rows holding every column the bundle reads: its features, or the raw columns of its encoding.
uplift::io::Table input_for(const uplift::model::ModelBundle& bundle) {
    std::vector<uplift::io::Column> columns;
    std::set<std::string> seen;
    const auto add = [&](uplift::io::Column c) {
        if (seen.insert(c.name()).second) columns.push_back(std::move(c));
    };
    if (bundle.encoding) {
        for (const auto& n : bundle.encoding->numeric) add(uplift::io::Column::doubles(n, {0, 1, 2}));
        for (const auto& c : bundle.encoding->categorical) {
            const std::string level = c.levels.empty() ? "x" : c.levels.front();
            add(uplift::io::Column::strings(c.column, {level, "unseen", level}));
        }
    }
    for (const auto& n : bundle.roles.features) add(uplift::io::Column::doubles(n, {0, 1, 2}));
    return uplift::io::Table(std::move(columns));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fs::path& dir = bundle_dir();
    fuzz_support::write_bytes(dir / "model.json", data, size);
    fuzz_support::expect_clean([&] {
        const auto bundle = uplift::model::ModelBundle::load(dir);
        uplift::model::ScoreStats stats;
        const auto scores = uplift::model::score_table(bundle, input_for(bundle), &stats);
        if (scores.num_rows() != 3) fuzz_support::bug(fmt::format("3 rows scored into {}", scores.num_rows()));
    });
    return 0;
}
