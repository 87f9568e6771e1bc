// Writing the CRM list (one file, or one per part and a manifest) and plan.json as one commit.

#include <memory>

#include "uplift/artifacts/plan_manifest.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

/// One list file to its temporary name: CSV or, for a .parquet path, Parquet.
void write_list(io::Session& session, io::AtomicOutput& out, const PlanRows& rows, const PlanLayout& layout,
                const std::vector<std::size_t>* positions) {
    if (io::format_of(out.target()) == io::FileFormat::Parquet) {
        io::write_table(session, plan_table(rows, layout, positions), out);
    } else {
        io::write_file(out.temp_path(), plan_csv(rows, layout, positions), out.target());
    }
}

std::string relative_name(const std::filesystem::path& file, const std::filesystem::path& beside) {
    return std::filesystem::path(file).lexically_proximate(beside.parent_path().empty() ? "." : beside.parent_path())
        .generic_string();
}

artifacts::PlanManifest manifest_of(const PlanRows& rows, const PlanLayout& layout, const PlanDestination& d) {
    artifacts::PlanManifest m;
    m.split_by = d.split_by;
    const bool parquet = io::format_of(d.plan) == io::FileFormat::Parquet;
    m.format = parquet ? "parquet" : "csv";
    m.separator = parquet ? "" : std::string(1, list_dialect(layout.excel).delimiter);
    m.bom = !parquet && layout.excel;
    for (const PlanColumn c : layout.columns) {
        m.columns.push_back(c == PlanColumn::Id ? (layout.id_name.empty() ? rows.ids.name() : layout.id_name)
                                                : std::string(column_name(c)));
    }
    m.plan_json = relative_name(d.json, d.manifest);
    for (const PlanPart& part : d.parts) {
        artifacts::PlanManifestFile f;
        f.value = part.value;
        f.file = relative_name(part.file, d.manifest);
        f.rows = static_cast<std::int64_t>(part.positions.size());
        for (const std::size_t r : part.positions) {
            const bool held = !rows.held_out.empty() && rows.held_out[rows.order[r]] != 0;
            ++(held ? f.held_out : f.contacts);
        }
        m.rows += f.rows;
        m.files.push_back(std::move(f));
    }
    return m;
}

}  // namespace

PlanDestination plan_destination(const std::filesystem::path& out, const std::filesystem::path& json,
                                 std::span<const Offer> offers, SplitBy split_by, bool overwrite,
                                 const std::vector<std::filesystem::path>& inputs) {
    PlanDestination d{out, json, {}, {}, std::string(to_string(split_by)), overwrite};
    std::vector<std::filesystem::path> outputs{json};
    if (split_by == SplitBy::None) {
        outputs.push_back(out);
    } else {
        d.parts = plan_parts(offers, split_by, out);
        d.manifest = manifest_path(out);
        for (const PlanPart& part : d.parts) outputs.push_back(part.file);
        outputs.push_back(d.manifest);
    }
    io::check_distinct_outputs(outputs, inputs);
    for (const auto& path : outputs) io::check_writable(path, overwrite, io::OutputShape::File);
    return d;
}

void write_plan_files(io::Session& session, const PlanRows& rows, const PlanLayout& layout,
                      const PlanDestination& d, std::string_view json_text) {
    io::AtomicOutput json(d.json, d.overwrite, io::OutputShape::File);
    io::write_file(json.temp_path(), json_text, d.json);
    std::vector<std::unique_ptr<io::AtomicOutput>> lists;
    if (d.parts.empty()) {
        lists.push_back(std::make_unique<io::AtomicOutput>(d.plan, d.overwrite, io::OutputShape::File));
        write_list(session, *lists.back(), rows, layout, nullptr);
    } else {
        for (const PlanPart& part : d.parts) {
            lists.push_back(std::make_unique<io::AtomicOutput>(part.file, d.overwrite, io::OutputShape::File));
            write_list(session, *lists.back(), rows, layout, &part.positions);
        }
        lists.push_back(std::make_unique<io::AtomicOutput>(d.manifest, d.overwrite, io::OutputShape::File));
        io::write_file(lists.back()->temp_path(), artifacts::to_json(manifest_of(rows, layout, d)), d.manifest);
    }
    // Every file is whole before the first rename; plan.json, which names the list, goes last.
    for (auto& list : lists) list->commit();
    json.commit();
}

}  // namespace uplift::optimize
