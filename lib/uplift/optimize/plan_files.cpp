#include <fmt/format.h>

#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

void write_text(const std::filesystem::path& temp, const std::filesystem::path& target, std::string_view text) {
    std::ofstream file(temp, std::ios::binary);
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    file.close();
    if (!file) throw IoError(fmt::format("cannot write '{}'", target.string()));
}

}  // namespace

void write_plan_files(io::Session& session, const std::filesystem::path& plan_path, const Instance& instance,
                      const io::Column& ids, std::span<const std::int8_t> choice, std::span<const std::size_t> order,
                      const std::filesystem::path& json_path, std::string_view json_text, bool overwrite) {
    io::AtomicOutput json(json_path, overwrite);
    write_text(json.temp_path(), json_path, json_text);
    if (io::format_of(plan_path) == io::FileFormat::Parquet) {
        io::write_table(session, plan_table(instance, ids, choice, order), plan_path, {.overwrite = overwrite});
    } else {
        io::AtomicOutput plan(plan_path, overwrite);
        write_text(plan.temp_path(), plan_path, plan_csv(instance, ids, choice, order));
        plan.commit();
    }
    json.commit();
}

}  // namespace uplift::optimize
