#include "uplift/report/plan_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "uplift/core/errors.hpp"

namespace uplift::report {

Plan parse_plan(std::string_view text, const std::string& file) { return artifacts::plan_from_json(text, file); }

Plan read_plan(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError(fmt::format("plan file '{}' does not exist or is not a file; write it with `upliftctl optimize`",
                                  path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw IoError(fmt::format("cannot read plan file '{}'", path.string()));
    return parse_plan(text.str(), path.string());
}

}  // namespace uplift::report
