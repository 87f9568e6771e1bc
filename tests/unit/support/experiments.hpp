#pragma once
// Shared by the unit tests: a small randomised experiment with a known effect, and the bytes of files.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/table.hpp"
#include "scratch.hpp"

namespace test_support {

/// Randomised experiment where the offer helps only clients with x0 > 0 (true uplift 0.3 there, 0 elsewhere):
/// columns id (first_id, first_id + 1, ...), arm ("offer"/"none"), y (0/1), x0 in [−1, 1), x1 in [0, 1); roles stored.
inline uplift::io::Table offer_helps_x0(std::size_t n, std::uint64_t seed, std::int64_t first_id = 0) {
    using uplift::io::Column;
    uplift::Rng rng(seed);
    std::vector<std::int64_t> id(n);
    std::vector<std::string> arm(n);
    std::vector<double> y(n), x0(n), x1(n);
    for (std::size_t i = 0; i < n; ++i) {
        id[i] = first_id + static_cast<std::int64_t>(i);
        x0[i] = rng.uniform01() * 2 - 1;
        x1[i] = rng.uniform01();
        const bool treated = rng.below(2) == 1;
        arm[i] = treated ? "offer" : "none";
        const double p = 0.2 + 0.2 * x1[i] + (treated && x0[i] > 0 ? 0.3 : 0.0);
        y[i] = rng.uniform01() < p ? 1.0 : 0.0;
    }
    uplift::io::Table t({Column::int64s("id", id), Column::strings("arm", arm), Column::doubles("y", y),
                         Column::doubles("x0", x0), Column::doubles("x1", x1)});
    uplift::data::Roles roles;
    roles.id = "id";
    roles.treatment = "arm";
    roles.control = "none";
    roles.treatment_levels = {"offer"};
    roles.outcome = "y";
    roles.features = {"x0", "x1"};
    uplift::data::store_roles(t.metadata(), roles);
    return t;
}

/// A file's bytes, whole.
inline std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Where a Parquet file's footer starts: its size less the footer's, the 4-byte length and "PAR1" after it.
inline std::size_t parquet_footer_start(const std::string& file) {
    std::uint32_t footer = 0;
    for (std::size_t b = 0; b < 4; ++b) {
        footer |= static_cast<std::uint32_t>(static_cast<unsigned char>(file[file.size() - 8 + b])) << (8 * b);
    }
    return file.size() - 8 - footer;
}

}  // namespace test_support
