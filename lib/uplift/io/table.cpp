#include "uplift/io/table.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <set>

#include "uplift/core/errors.hpp"
#include "uplift/io/temporal.hpp"

namespace uplift::io {

std::string_view type_name(ColumnType type) noexcept {
    switch (type) {
    case ColumnType::Bool: return "BOOLEAN";
    case ColumnType::Int64: return "BIGINT";
    case ColumnType::Double: return "DOUBLE";
    case ColumnType::String: return "VARCHAR";
    case ColumnType::Date: return "DATE";
    case ColumnType::Timestamp: return "TIMESTAMP";
    }
    return "UNKNOWN";
}

namespace {

bool storage_matches(ColumnType type, const Column::Storage& values) {
    switch (type) {
    case ColumnType::Bool: return std::holds_alternative<std::vector<std::uint8_t>>(values);
    case ColumnType::Int64:
    case ColumnType::Timestamp: return std::holds_alternative<std::vector<std::int64_t>>(values);
    case ColumnType::Double: return std::holds_alternative<std::vector<double>>(values);
    case ColumnType::String: return std::holds_alternative<std::vector<std::string>>(values);
    case ColumnType::Date: return std::holds_alternative<std::vector<std::int32_t>>(values);
    }
    return false;
}

template <class T>
const std::vector<T>& get_or_throw(const Column::Storage& values, const std::string& name, std::string_view wanted) {
    if (const auto* v = std::get_if<std::vector<T>>(&values)) return *v;
    throw InternalError(fmt::format("column '{}' read as {} but holds another type", name, wanted));
}

}  // namespace

Column::Column(std::string name, ColumnType type, Storage values, std::vector<std::uint8_t> validity)
    : name_(std::move(name)), type_(type), values_(std::move(values)), validity_(std::move(validity)) {
    if (!storage_matches(type_, values_)) {
        throw InternalError(fmt::format("column '{}': storage does not match type {}", name_, type_name(type_)));
    }
    if (!validity_.empty() && validity_.size() != size()) {
        throw InternalError(fmt::format("column '{}': validity mask has {} entries for {} values", name_,
                                        validity_.size(), size()));
    }
    // An all-valid mask carries no information; dropping it keeps has_nulls() meaningful.
    if (std::all_of(validity_.begin(), validity_.end(), [](std::uint8_t v) { return v != 0; })) validity_.clear();
}

Column Column::bools(std::string name, std::vector<std::uint8_t> v, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::Bool, std::move(v), std::move(validity)};
}
Column Column::int64s(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::Int64, std::move(v), std::move(validity)};
}
Column Column::doubles(std::string name, std::vector<double> v, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::Double, std::move(v), std::move(validity)};
}
Column Column::strings(std::string name, std::vector<std::string> v, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::String, std::move(v), std::move(validity)};
}
Column Column::dates(std::string name, std::vector<std::int32_t> days, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::Date, std::move(days), std::move(validity)};
}
Column Column::timestamps(std::string name, std::vector<std::int64_t> micros, std::vector<std::uint8_t> validity) {
    return {std::move(name), ColumnType::Timestamp, std::move(micros), std::move(validity)};
}

std::size_t Column::size() const noexcept {
    return std::visit([](const auto& v) { return v.size(); }, values_);
}

bool Column::is_numeric() const noexcept { return type_ != ColumnType::String; }

std::size_t Column::null_count() const noexcept {
    return static_cast<std::size_t>(std::count(validity_.begin(), validity_.end(), std::uint8_t{0}));
}

std::span<const std::uint8_t> Column::bool_values() const {
    return get_or_throw<std::uint8_t>(values_, name_, "BOOLEAN");
}
std::span<const std::int64_t> Column::int64_values() const {
    return get_or_throw<std::int64_t>(values_, name_, "BIGINT");
}
std::span<const double> Column::double_values() const { return get_or_throw<double>(values_, name_, "DOUBLE"); }
std::span<const std::int32_t> Column::date_values() const {
    return get_or_throw<std::int32_t>(values_, name_, "DATE");
}
const std::vector<std::string>& Column::string_values() const {
    return get_or_throw<std::string>(values_, name_, "VARCHAR");
}

double Column::number_at(std::size_t row) const {
    if (!is_valid(row)) return std::numeric_limits<double>::quiet_NaN();
    switch (type_) {
    case ColumnType::Bool: return bool_values()[row] ? 1.0 : 0.0;
    case ColumnType::Int64:
    case ColumnType::Timestamp: return static_cast<double>(int64_values()[row]);
    case ColumnType::Double: return double_values()[row];
    case ColumnType::Date: return date_values()[row];
    case ColumnType::String: break;
    }
    throw InternalError(fmt::format("column '{}' holds text, not numbers", name_));
}

std::vector<double> Column::to_doubles() const {
    std::vector<double> out(size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = number_at(i);
    return out;
}

std::vector<std::string> Column::to_texts() const {
    if (type_ == ColumnType::String) return string_values();
    std::vector<std::string> out(size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = text_at(i);
    return out;
}

std::string Column::text_at(std::size_t row) const {
    if (!is_valid(row)) return {};
    switch (type_) {
    case ColumnType::Bool: return bool_values()[row] ? "true" : "false";
    case ColumnType::Int64: return fmt::format("{}", int64_values()[row]);
    case ColumnType::Double: return fmt::format("{}", double_values()[row]);
    case ColumnType::String: return string_values()[row];
    case ColumnType::Date: return format_date(date_values()[row]);
    case ColumnType::Timestamp: return format_timestamp(int64_values()[row]);
    }
    return {};
}

Column Column::take(std::span<const std::size_t> rows) const {
    Storage picked = std::visit(
        [&](const auto& v) -> Storage {
            std::remove_cvref_t<decltype(v)> out;
            out.reserve(rows.size());
            for (std::size_t r : rows) out.push_back(v[r]);
            return out;
        },
        values_);
    std::vector<std::uint8_t> validity;
    if (!validity_.empty()) {
        validity.reserve(rows.size());
        for (std::size_t r : rows) validity.push_back(validity_[r]);
    }
    return {name_, type_, std::move(picked), std::move(validity)};
}

Table::Table(std::vector<Column> columns, Metadata metadata) : metadata_(std::move(metadata)) {
    for (auto& c : columns) add_column(std::move(c));
}

std::vector<std::string> Table::column_names() const {
    std::vector<std::string> names;
    names.reserve(columns_.size());
    for (const auto& c : columns_) names.push_back(c.name());
    return names;
}

const Column* Table::find(std::string_view name) const noexcept {
    for (const auto& c : columns_) {
        if (c.name() == name) return &c;
    }
    return nullptr;
}

const Column& Table::column(std::string_view name) const {
    if (const Column* c = find(name)) return *c;
    throw DataError(fmt::format("no column '{}' (columns: {})", name, fmt::join(column_names(), ", ")));
}

void Table::add_column(Column column) {
    if (has(column.name())) throw DataError(fmt::format("duplicate column name '{}'", column.name()));
    if (columns_.empty()) {
        num_rows_ = column.size();
    } else if (column.size() != num_rows_) {
        throw InternalError(fmt::format("column '{}' has {} rows, the table has {}", column.name(), column.size(),
                                        num_rows_));
    }
    columns_.push_back(std::move(column));
}

void Table::replace_column(Column column) {
    for (auto& c : columns_) {
        if (c.name() == column.name()) {
            if (column.size() != num_rows_) throw InternalError("replacement column has a different length");
            c = std::move(column);
            return;
        }
    }
    add_column(std::move(column));
}

void Table::drop_column(std::string_view name) {
    std::erase_if(columns_, [&](const Column& c) { return c.name() == name; });
    if (columns_.empty()) num_rows_ = 0;
}

Table Table::take(std::span<const std::size_t> rows) const {
    Table out;
    for (const auto& c : columns_) out.add_column(c.take(rows));
    out.num_rows_ = rows.size();
    out.metadata_ = metadata_;
    return out;
}

namespace {

/// Column j of every part, one after the other.
Column concat_column(std::span<const Table> parts, std::size_t j) {
    const Table& first = parts.front();
    const Column& head = first.columns()[j];
    bool any_null = false;
    for (const Table& t : parts) {
        if (t.num_columns() != first.num_columns() || t.columns()[j].name() != head.name() ||
            t.columns()[j].type() != head.type()) {
            throw InternalError(fmt::format("concat_rows: column {} ('{}') differs between parts", j, head.name()));
        }
        any_null = any_null || t.columns()[j].has_nulls();
    }
    Column::Storage values = std::visit(
        [&](const auto& v) -> Column::Storage {
            std::remove_cvref_t<decltype(v)> out;
            std::size_t total = 0;
            for (const Table& t : parts) total += t.columns()[j].size();
            out.reserve(total);  // exact: growing by doubling would leave up to twice the column allocated
            for (const Table& t : parts) {
                const auto& part = std::get<std::remove_cvref_t<decltype(v)>>(t.columns()[j].storage());
                out.insert(out.end(), part.begin(), part.end());
            }
            return out;
        },
        head.storage());
    std::vector<std::uint8_t> validity;
    if (any_null) {
        for (const Table& t : parts) {
            const Column& c = t.columns()[j];
            for (std::size_t r = 0; r < c.size(); ++r) validity.push_back(c.is_valid(r) ? 1 : 0);
        }
    }
    return Column(head.name(), head.type(), std::move(values), std::move(validity));
}

}  // namespace

Table concat_rows(std::span<const Table> parts) {
    if (parts.empty()) return {};
    std::vector<Column> columns;
    for (std::size_t j = 0; j < parts.front().num_columns(); ++j) columns.push_back(concat_column(parts, j));
    return Table(std::move(columns), parts.front().metadata());
}

Table concat_rows_taken(std::vector<Table> parts, std::span<const std::size_t> rows) {
    if (parts.empty()) return {};
    Metadata metadata = parts.front().metadata();
    Table out;
    while (parts.front().num_columns() > 0) {
        const std::string name = parts.front().columns().front().name();
        out.add_column(concat_column(parts, 0).take(rows));
        for (Table& t : parts) t.drop_column(name);  // its memory goes before the next column is built
    }
    out.metadata() = std::move(metadata);
    return out;
}

}  // namespace uplift::io
