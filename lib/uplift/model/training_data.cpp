#include "uplift/model/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
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

namespace {

/// One feature column of a chunk, read as the matrix holds it (a float, NaN where null).
class FeatureCells {
public:
    explicit FeatureCells(const io::Column& c) : column_(&c) {
        if (c.type() == io::ColumnType::Double && !c.has_nulls()) doubles_ = c.double_values();  // the usual case
    }
    float at(std::size_t row) const {
        return static_cast<float>(doubles_.data() != nullptr ? doubles_[row] : column_->number_at(row));
    }

private:
    const io::Column* column_;
    std::span<const double> doubles_;
};

std::vector<FeatureCells> feature_cells(const io::Table& chunk, const std::vector<std::string>& names) {
    std::vector<FeatureCells> cells;
    for (const io::Column* c : feature_columns(chunk, names)) cells.emplace_back(*c);
    return cells;
}

/// Reads `columns` of `path` (all when empty) chunk by chunk and hands each chunk to `take` while DuckDB reads the
/// next: in turn and in file order, so whatever `take` builds is what a sequential loop would build.
void read_in_turn(io::Session& session, const std::filesystem::path& path, std::size_t chunk_rows,
                  const std::vector<std::string>& columns, const std::function<void(io::Table&)>& take) {
    ChunkPipeline pipeline;
    try {
        io::read_table_chunks(
            session, path, chunk_rows,
            [&](io::Table&& chunk) { pipeline.submit([&take, chunk = std::move(chunk)]() mutable { take(chunk); }); },
            columns);
    } catch (...) {
        pipeline.finish();  // an error of the rows before wins, as in a sequential loop
        throw;
    }
    pipeline.finish();
}

/// The table and coded treatment of a read: the chunks' columns but the features, the treatment as codes.
class TableParts {
public:
    TableParts(TrainingData& d, const std::vector<std::string>& names, const std::string& coded_text)
        : d_(d), names_(names), coded_text_(coded_text) {}
    void take(io::Table& chunk) {
        if (const io::Column* t = chunk.find(coded_text_); t != nullptr && t->type() == io::ColumnType::String) {
            d_.coded.name = coded_text_;
            append_codes(d_.coded, *t, level_index_);
            chunk.drop_column(coded_text_);
        }
        parts_.push_back(without_features(std::move(chunk), names_));
    }
    void finish() { d_.table = parts_.size() == 1 ? std::move(parts_.front()) : io::concat_rows(parts_); }

private:
    TrainingData& d_;
    const std::vector<std::string>& names_;
    const std::string& coded_text_;
    std::unordered_map<std::string, std::int32_t> level_index_;
    std::vector<io::Table> parts_;
};

}  // namespace

TrainingData read_training_data(io::Session& session, const std::filesystem::path& path,
                                const std::vector<std::string>& names, const std::string& coded_text,
                                std::size_t chunk_rows) {
    TrainingData d;
    d.names = names;
    d.x.cols = names.size();
    // The footer's row count sizes the matrix once: growing it by doubling would hold two copies at its peak.
    if (const auto n = io::parquet_row_count(session, path)) d.x.values.reserve(*n * d.x.cols);
    TableParts table(d, names, coded_text);
    read_in_turn(session, path, chunk_rows, {}, [&](io::Table& chunk) {
        const auto cells = feature_cells(chunk, names);
        if (d.types.empty()) {
            for (const auto& n : names) d.types.push_back(chunk.column(n).type());
        }
        const std::size_t n = chunk.num_rows(), first = d.x.values.size();
        d.x.values.resize(first + n * d.x.cols);
        for (std::size_t j = 0; j < cells.size(); ++j) {
            float* out = d.x.values.data() + first + j;
            for (std::size_t i = 0; i < n; ++i) out[i * d.x.cols] = cells[j].at(i);
        }
        d.x.rows += n;
        table.take(chunk);
    });
    table.finish();
    return d;
}

TrainingData read_training_columns(io::Session& session, const std::filesystem::path& path,
                                   const std::vector<std::string>& names, const std::string& coded_text,
                                   std::size_t chunk_rows) {
    TrainingData d;
    d.names = names;
    d.x.cols = names.size();
    const io::Table schema = io::read_schema(session, path);
    std::vector<std::string> others;
    for (const auto& c : schema.columns()) {
        if (!is_feature(names, c.name())) others.push_back(c.name());
    }
    for (const auto& n : names) d.types.push_back(schema.column(n).type());
    // The roles (treatment, outcome) are never features; an empty list would read every column.
    if (others.empty()) throw InternalError(fmt::format("'{}' has no column besides the features", path.string()));
    TableParts table(d, names, coded_text);
    read_in_turn(session, path, chunk_rows, others, [&](io::Table& chunk) { table.take(chunk); });
    table.finish();
    return d;
}

std::vector<DenseMatrix> read_feature_rows(io::Session& session, const std::filesystem::path& path,
                                           const std::vector<std::string>& names, std::span<const std::int8_t> destination,
                                           std::size_t count, std::size_t chunk_rows) {
    if (names.empty()) throw InternalError("read_feature_rows: no features to read");  // none would read every column
    const std::size_t cols = names.size();
    std::vector<DenseMatrix> out(count);
    for (auto& m : out) m.cols = cols;
    for (const std::int8_t k : destination) {
        if (k >= 0) ++out.at(static_cast<std::size_t>(k)).rows;
    }
    for (auto& m : out) m.values.resize(m.rows * m.cols);
    std::vector<std::size_t> filled(count, 0);  // rows of each matrix filled by the chunks before
    std::vector<float*> row_start;              // per row of a chunk: where its values go, or null
    std::size_t first_row = 0;
    read_in_turn(session, path, chunk_rows, names, [&](io::Table& chunk) {
        const std::size_t n = chunk.num_rows();
        if (first_row + n > destination.size()) {
            throw InternalError(fmt::format("'{}' has more rows than were routed ({})", path.string(), destination.size()));
        }
        row_start.assign(n, nullptr);
        for (std::size_t i = 0; i < n; ++i) {
            const std::int8_t k = destination[first_row + i];
            if (k < 0) continue;
            const auto m = static_cast<std::size_t>(k);
            row_start[i] = out[m].values.data() + filled[m]++ * cols;
        }
        // Column by column, as read_training_data fills its matrix.
        const auto cells = feature_cells(chunk, names);
        for (std::size_t j = 0; j < cols; ++j) {
            for (std::size_t i = 0; i < n; ++i) {
                if (row_start[i] != nullptr) row_start[i][j] = cells[j].at(i);
            }
        }
        first_row += n;
    });
    if (first_row != destination.size()) {
        throw InternalError(fmt::format("'{}' has {} rows, {} were routed", path.string(), first_row, destination.size()));
    }
    return out;
}

}  // namespace uplift::model
