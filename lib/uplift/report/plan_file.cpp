#include "uplift/report/plan_file.hpp"

namespace uplift::report {

Plan parse_plan(std::string_view text, const std::string& file) { return artifacts::plan_from_json(text, file); }

Plan read_plan(const std::filesystem::path& path) { return artifacts::read_plan_file(path); }

}  // namespace uplift::report
