#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

void write_plan_files(io::Session& session, const std::filesystem::path& plan_path, const Instance& instance,
                      const io::Column& ids, std::span<const std::int8_t> choice, std::span<const std::size_t> order,
                      const std::filesystem::path& json_path, std::string_view json_text, bool overwrite,
                      bool raw_cells, std::span<const std::uint8_t> held_out) {
    io::AtomicOutput json(json_path, overwrite);
    io::write_file(json.temp_path(), json_text, json_path);
    if (io::format_of(plan_path) == io::FileFormat::Parquet) {
        io::write_table(session, plan_table(instance, ids, choice, order, held_out), plan_path, {.overwrite = overwrite});
    } else {
        io::AtomicOutput plan(plan_path, overwrite);
        io::write_file(plan.temp_path(), plan_csv(instance, ids, choice, order, raw_cells, held_out), plan_path);
        plan.commit();
    }
    json.commit();
}

}  // namespace uplift::optimize
