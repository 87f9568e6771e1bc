#pragma once
/// Streams a file in fixed-size blocks (constant memory), for passes over inputs of any size.

#include <fmt/format.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <vector>

#include "uplift/core/errors.hpp"

namespace uplift {

/// Calls `block(data, n)` for each chunk of the file; throws IoError when it cannot be opened.
template <class Fn>
void for_each_file_block(const std::filesystem::path& path, Fn&& block) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read '{}'", path.string()));
    std::vector<char> buffer(std::size_t{1} << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n > 0) block(buffer.data(), n);
    }
}

}  // namespace uplift
