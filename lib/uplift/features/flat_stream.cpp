#include "uplift/features/flat_stream.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/parquet_footer.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

namespace {

/// Whether the features file's rows are `input`'s rows exactly: its columns are id, treatment, outcome and the
/// features in that order, every feature already a DOUBLE (no logical type) with no NaN to make NULL, in a
/// file DuckDB wrote (the writer of the general path, so the rows read back with the types that path gives).
/// Then only the footer's metadata differs, and the file is copied with a new footer (io/parquet_footer.hpp).
bool rows_pass_through(io::Session& session, const fs::path& input, const io::Table& schema, const data::Roles& roles,
                       const FeatureSpec& spec) {
    std::vector<std::string> expected = {roles.id, roles.treatment, roles.outcome};
    for (const auto& f : spec.manifest) {
        if (f.name != f.source) return false;
        expected.push_back(f.source);
    }
    if (schema.column_names() != expected || spec.manifest.empty()) return false;
    const std::string file = io::quote_literal(input.string());
    const io::Table writer = session.query(fmt::format("SELECT created_by FROM parquet_file_metadata({})", file));
    if (writer.num_rows() != 1 || !writer.column("created_by").text_at(0).starts_with("DuckDB")) return false;
    std::string names, any_nan;
    for (const auto& f : spec.manifest) {
        names += fmt::format("{}{}", names.empty() ? "" : ", ", io::quote_literal(f.source));
        any_nan += fmt::format("{}isnan({})", any_nan.empty() ? "" : " OR ", io::quote_identifier(f.source));
    }
    const io::Table doubles = session.query(fmt::format(
        "SELECT count(*) AS n FROM parquet_schema({}) WHERE name IN ({}) AND type = 'DOUBLE' AND converted_type IS "
        "NULL AND logical_type IS NULL", file, names));
    if (doubles.column("n").number_at(0) != static_cast<double>(spec.manifest.size())) return false;
    const io::Table nan = session.query(
        fmt::format("SELECT count(*) AS n FROM read_parquet({}) WHERE {}", file, any_nan));
    return nan.column("n").number_at(0) == 0;
}

}  // namespace

bool can_stream_flat_features(const fs::path& input, const io::Table& schema, const FeatureSpec& spec) {
    if (io::format_of(input) != io::FileFormat::Parquet || !spec.categorical.empty()) return false;
    for (const auto& name : spec.numeric) {
        const io::Column* c = schema.find(name);
        if (c == nullptr) return false;
        const io::ColumnType t = c->type();
        // Dates and timestamps become numbers through the Table's own conversion; they keep the general path.
        if (t != io::ColumnType::Bool && t != io::ColumnType::Int64 && t != io::ColumnType::Double) return false;
    }
    return true;
}

std::size_t write_flat_features_streaming(io::Session& session, const fs::path& input, const io::Table& schema,
                                          const data::Roles& roles, const FeatureSpec& spec,
                                          const io::Metadata& metadata, const fs::path& out, bool overwrite) {
    if (!can_stream_flat_features(input, schema, spec)) {
        throw InternalError(fmt::format("'{}' cannot take the streaming features path", input.string()));
    }
    if (io::format_of(out) == io::FileFormat::Parquet && rows_pass_through(session, input, schema, roles, spec)) {
        io::AtomicOutput output(out, overwrite);
        if (io::copy_parquet_with_metadata(input, output.temp_path(), metadata, out)) {
            output.commit();
            log::info("features: the rows of '{}' pass through unchanged: its pages copied, a new footer written",
                      input.string());
            return static_cast<std::size_t>(io::parquet_row_count(session, input).value_or(0));
        }
    }
    std::string select;
    for (const auto* name : {&roles.id, &roles.treatment, &roles.outcome}) {
        select += (select.empty() ? "" : ", ") + io::quote_identifier(*name);
    }
    // As encode_features does: every feature a DOUBLE, and NaN a missing value like NULL.
    for (const auto& f : spec.manifest) {
        const std::string value = fmt::format("CAST({} AS DOUBLE)", io::quote_identifier(f.source));
        select += fmt::format(", CASE WHEN isnan({0}) THEN NULL ELSE {0} END AS {1}", value,
                              io::quote_identifier(f.name));
    }
    const std::string view = "upliftctl_flat_features";
    session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW {} AS SELECT {} FROM read_parquet({})",
                                io::quote_identifier(view), select, io::quote_literal(input.string())));
    {
        // A dataset our ingest wrote has the writer's own row groups, and then the parallel copy is as
        // deterministic as one thread (io::copy_of_scan_is_thread_independent): 4.5 s against 7.6 s at 5M rows.
        std::optional<io::SingleThreaded> one_thread;
        if (!io::copy_of_scan_is_thread_independent(session, input)) one_thread.emplace(session);
        io::write_session_table(session, view, out, metadata, {.overwrite = overwrite});
    }
    session.execute("DROP VIEW " + io::quote_identifier(view));
    const auto rows = io::parquet_row_count(session, input);
    return rows ? static_cast<std::size_t>(*rows) : 0;
}

}  // namespace uplift::features
