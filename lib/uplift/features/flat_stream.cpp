#include "uplift/features/flat_stream.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "uplift/core/errors.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

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
