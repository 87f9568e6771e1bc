#pragma once
/// The in-memory table every stage works on: named, typed, equal-length columns with optional nulls.
/// Conversion to and from files happens only in io; maths code reads columns through spans.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace uplift::io {

enum class ColumnType { Bool, Int64, Double, String, Date, Timestamp };

/// "BOOLEAN", "BIGINT", ... — the SQL name, also used in messages.
std::string_view type_name(ColumnType type) noexcept;

/// One typed column. Dates are days since 1970-01-01, timestamps microseconds since the epoch.
/// The validity mask is empty when the column has no nulls (the common case costs nothing).
class Column {
public:
    using Storage = std::variant<std::vector<std::uint8_t>, std::vector<std::int64_t>, std::vector<double>,
                                 std::vector<std::string>, std::vector<std::int32_t>>;

    Column(std::string name, ColumnType type, Storage values, std::vector<std::uint8_t> validity = {});

    static Column bools(std::string name, std::vector<std::uint8_t> v, std::vector<std::uint8_t> validity = {});
    static Column int64s(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> validity = {});
    static Column doubles(std::string name, std::vector<double> v, std::vector<std::uint8_t> validity = {});
    static Column strings(std::string name, std::vector<std::string> v, std::vector<std::uint8_t> validity = {});
    static Column dates(std::string name, std::vector<std::int32_t> days, std::vector<std::uint8_t> validity = {});
    static Column timestamps(std::string name, std::vector<std::int64_t> micros,
                             std::vector<std::uint8_t> validity = {});

    const std::string& name() const noexcept { return name_; }
    ColumnType type() const noexcept { return type_; }
    std::size_t size() const noexcept;
    bool is_numeric() const noexcept;
    bool has_nulls() const noexcept { return !validity_.empty(); }
    bool is_valid(std::size_t row) const noexcept { return validity_.empty() || validity_[row] != 0; }
    std::size_t null_count() const noexcept;
    const std::vector<std::uint8_t>& validity() const noexcept { return validity_; }

    /// Typed views; each throws InternalError when asked for the wrong type.
    std::span<const std::uint8_t> bool_values() const;
    std::span<const std::int64_t> int64_values() const;  // Int64 and Timestamp
    std::span<const double> double_values() const;
    std::span<const std::int32_t> date_values() const;
    const std::vector<std::string>& string_values() const;

    /// The value as a double (bool, int64, double, date, timestamp); NaN for null. Throws for strings.
    double number_at(std::size_t row) const;
    /// Every value as double (NaN for nulls): the shape models and metrics want.
    std::vector<double> to_doubles() const;
    /// Human-readable value for messages and CSV-like output; "" for null.
    std::string text_at(std::size_t row) const;
    /// Every value as text_at gives it: treatment levels whatever type a reader guessed ("1" from a CSV is BIGINT).
    std::vector<std::string> to_texts() const;

    void rename(std::string name) { name_ = std::move(name); }
    /// The rows `rows` (in that order) as a new column.
    Column take(std::span<const std::size_t> rows) const;
    /// The typed buffer itself (for code that handles every type alike, e.g. concat_rows).
    const Storage& storage() const noexcept { return values_; }

private:
    std::string name_;
    ColumnType type_;
    Storage values_;
    std::vector<std::uint8_t> validity_;
};

/// Key-value provenance and roles, stored as Parquet key-value metadata.
using Metadata = std::map<std::string, std::string>;

/// An ordered list of equal-length, uniquely named columns.
class Table {
public:
    Table() = default;
    explicit Table(std::vector<Column> columns, Metadata metadata = {});

    std::size_t num_rows() const noexcept { return num_rows_; }
    std::size_t num_columns() const noexcept { return columns_.size(); }
    const std::vector<Column>& columns() const noexcept { return columns_; }
    std::vector<std::string> column_names() const;

    /// Throws DataError naming the missing column and the ones that exist.
    const Column& column(std::string_view name) const;
    const Column* find(std::string_view name) const noexcept;
    bool has(std::string_view name) const noexcept { return find(name) != nullptr; }

    void add_column(Column column);
    void replace_column(Column column);
    void drop_column(std::string_view name);
    /// The rows `rows` of every column, same metadata.
    Table take(std::span<const std::size_t> rows) const;

    Metadata& metadata() noexcept { return metadata_; }
    const Metadata& metadata() const noexcept { return metadata_; }

private:
    std::vector<Column> columns_;
    std::size_t num_rows_ = 0;
    Metadata metadata_;
};

/// The rows of `parts` one after the other (same column names and types in the same order; metadata of the
/// first). Throws InternalError for parts that do not match.
Table concat_rows(std::span<const Table> parts);

/// concat_rows(parts).take(rows), built one column at a time while the parts give up theirs: the parts and the
/// result together hold little more than one copy of the rows (concat, then take, held three).
Table concat_rows_taken(std::vector<Table> parts, std::span<const std::size_t> rows);

}  // namespace uplift::io
