#include "uplift/model/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "uplift/core/chunk_pipeline.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/design_matrix.hpp"

namespace uplift::model {

namespace {

bool is_feature(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// `t` without its feature columns (which the matrix holds now).
io::Table without_features(io::Table&& t, const std::vector<std::string>& names) {
    for (const auto& n : names) t.drop_column(n);
    return std::move(t);
}

std::vector<const io::Column*> feature_columns(const io::Table& t, const std::vector<std::string>& names) {
    std::vector<const io::Column*> columns;
    for (const auto& n : names) {
        const io::Column& c = t.column(n);
        if (!c.is_numeric()) throw InternalError(fmt::format("training data: feature '{}' is not numeric", n));
        columns.push_back(&c);
    }
    return columns;
}

/// Appends `column`'s values to `coded` as codes, new values as new levels.
void append_codes(CodedText& coded, const io::Column& column, std::unordered_map<std::string, std::int32_t>& index) {
    const auto& values = column.string_values();
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!column.is_valid(i)) {
            coded.codes.push_back(-1);
            continue;
        }
        auto [it, added] = index.try_emplace(values[i], static_cast<std::int32_t>(coded.levels.size()));
        if (added) coded.levels.push_back(values[i]);
        coded.codes.push_back(it->second);
    }
}

}  // namespace

io::Column CodedText::take(std::span<const std::size_t> rows) const {
    std::vector<std::string> values(rows.size());
    std::vector<std::uint8_t> validity;
    bool any_null = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::int32_t c = codes.at(rows[i]);
        if (c >= 0) values[i] = levels[static_cast<std::size_t>(c)];
        any_null = any_null || c < 0;
    }
    if (any_null) {
        for (std::size_t r : rows) validity.push_back(codes[r] >= 0 ? 1 : 0);
    }
    return io::Column::strings(name, std::move(values), std::move(validity));
}

TrainingData training_data_of(const io::Table& features, const std::vector<std::string>& names) {
    TrainingData d;
    d.names = names;
    const auto columns = feature_columns(features, names);
    for (const auto* c : columns) d.types.push_back(c->type());
    d.x = make_matrix(columns);
    d.x.rows = features.num_rows();  // also with no features at all
    std::vector<io::Column> kept;
    for (const auto& c : features.columns()) {
        if (!is_feature(names, c.name())) kept.push_back(c);
    }
    d.table = io::Table(std::move(kept), features.metadata());
    return d;
}

TrainingData read_training_data(io::Session& session, const std::filesystem::path& path,
                                const std::vector<std::string>& names, const std::string& coded_text,
                                std::size_t chunk_rows) {
    TrainingData d;
    std::unordered_map<std::string, std::int32_t> level_index;
    d.names = names;
    d.x.cols = names.size();
    // The footer's row count sizes the matrix once: growing it by doubling would hold two copies at its peak.
    if (const auto n = io::parquet_row_count(session, path)) d.x.values.reserve(*n * d.x.cols);
    std::vector<io::Table> parts;
    const auto take_chunk = [&](io::Table& chunk) {
        const auto columns = feature_columns(chunk, names);
        if (d.types.empty()) {
            for (const auto* c : columns) d.types.push_back(c->type());
        }
        const std::size_t n = chunk.num_rows(), first = d.x.values.size();
        d.x.values.resize(first + n * d.x.cols);
        for (std::size_t j = 0; j < columns.size(); ++j) {
            float* out = d.x.values.data() + first + j;
            if (columns[j]->type() == io::ColumnType::Double && !columns[j]->has_nulls()) {
                const auto values = columns[j]->double_values();  // the usual case, without number_at's checks
                for (std::size_t i = 0; i < n; ++i) out[i * d.x.cols] = static_cast<float>(values[i]);
            } else {
                for (std::size_t i = 0; i < n; ++i) out[i * d.x.cols] = static_cast<float>(columns[j]->number_at(i));
            }
        }
        d.x.rows += n;
        if (const io::Column* t = chunk.find(coded_text); t != nullptr && t->type() == io::ColumnType::String) {
            d.coded.name = coded_text;
            append_codes(d.coded, *t, level_index);
            chunk.drop_column(coded_text);
        }
        parts.push_back(without_features(std::move(chunk), names));
    };
    // Each chunk goes into the matrix while DuckDB reads the next: in turn and in file order, so the matrix is
    // the same as a sequential loop's.
    ChunkPipeline pipeline;
    try {
        io::read_table_chunks(session, path, chunk_rows, [&](io::Table&& chunk) {
            pipeline.submit([&take_chunk, chunk = std::move(chunk)]() mutable { take_chunk(chunk); });
        });
    } catch (...) {
        pipeline.finish();  // an error of the rows before wins, as in a sequential loop
        throw;
    }
    pipeline.finish();
    d.table = parts.size() == 1 ? std::move(parts.front()) : io::concat_rows(parts);
    return d;
}

}  // namespace uplift::model
