#include "uplift/io/parquet_concat.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/parquet_thrift.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

using apache::thrift::TException;
using apache::thrift::protocol::TType;
using apache::thrift::transport::TMemoryBuffer;
using parquet_thrift::Protocol;

namespace tt = apache::thrift::protocol;

/// Field ids of parquet.thrift that concat_parquet reads or changes.
namespace id {
constexpr std::int16_t file_num_rows = 3, file_row_groups = 4;
constexpr std::int16_t group_columns = 1, group_file_offset = 5, group_ordinal = 7;
constexpr std::int16_t chunk_file_path = 1, chunk_file_offset = 2, chunk_meta_data = 3, chunk_offset_index_offset = 4,
                       chunk_column_index_offset = 6, chunk_crypto_metadata = 8, chunk_encrypted_metadata = 9;
constexpr std::int16_t meta_data_page_offset = 9, meta_index_page_offset = 10, meta_dictionary_page_offset = 11,
                       meta_bloom_filter_offset = 14;
}  // namespace id

/// The footer's top-level fields concat_parquet knows; another (an encryption algorithm, a field of a later
/// format version) might refer to the bytes, so a part carrying one is not joined.
bool known_top_level(std::int16_t field) { return field >= 1 && field <= 7; }

/// Thrown inside the footer walk when a part holds what cannot be joined.
struct NotJoinable {};

/// Copies Thrift values from one compact protocol to another, shifting the offsets that point into the file.
class FooterCopier {
public:
    FooterCopier(Protocol& in, Protocol& out) : in_(in), out_(out) {}

    /// One RowGroup: its columns' offsets moved by `shift`, its ordinal set to `ordinal`.
    void row_group(std::int64_t shift, std::int16_t ordinal) {
        fields([&](std::int16_t f, TType type) {
            if (f == id::group_columns && type == tt::T_LIST) {
                list([&] { column_chunk(shift); });
            } else if (f == id::group_file_offset && type == tt::T_I64) {
                offset(shift);
            } else if (f == id::group_ordinal && type == tt::T_I16) {
                std::int16_t old = 0;
                in_.readI16(old);
                out_.writeI16(ordinal);
            } else {
                value(type);
            }
        });
    }

private:
    void column_chunk(std::int64_t shift) {
        fields([&](std::int16_t f, TType type) {
            if (f == id::chunk_file_path || f == id::chunk_crypto_metadata || f == id::chunk_encrypted_metadata) {
                throw NotJoinable{};  // a chunk in another file, or encrypted
            }
            if ((f == id::chunk_file_offset || f == id::chunk_offset_index_offset ||
                 f == id::chunk_column_index_offset) &&
                type == tt::T_I64) {
                offset(shift);
            } else if (f == id::chunk_meta_data && type == tt::T_STRUCT) {
                column_meta_data(shift);
            } else {
                value(type);
            }
        });
    }

    void column_meta_data(std::int64_t shift) {
        fields([&](std::int16_t f, TType type) {
            if ((f == id::meta_data_page_offset || f == id::meta_index_page_offset ||
                 f == id::meta_dictionary_page_offset || f == id::meta_bloom_filter_offset) &&
                type == tt::T_I64) {
                offset(shift);
            } else {
                value(type);
            }
        });
    }

    void offset(std::int64_t shift) {
        std::int64_t at = 0;
        in_.readI64(at);
        if (at < 0) throw NotJoinable{};
        out_.writeI64(at + shift);
    }

    /// A struct whose every field goes through `each(id, type)`, which copies the value (the field's header is
    /// already written).
    template <class Each>
    void fields(Each&& each) {
        std::string name;
        in_.readStructBegin(name);
        out_.writeStructBegin("");
        while (true) {
            TType type = tt::T_STOP;
            std::int16_t f = 0;
            in_.readFieldBegin(name, type, f);
            if (type == tt::T_STOP) break;
            out_.writeFieldBegin("", type, f);
            each(f, type);
            out_.writeFieldEnd();
            in_.readFieldEnd();
        }
        out_.writeFieldStop();
        out_.writeStructEnd();
        in_.readStructEnd();
    }

    /// A list of structs, each copied by `element`.
    template <class Element>
    void list(Element&& element) {
        TType type = tt::T_STOP;
        std::uint32_t n = 0;
        in_.readListBegin(type, n);
        if (type != tt::T_STRUCT) throw NotJoinable{};
        out_.writeListBegin(type, n);
        for (std::uint32_t i = 0; i < n; ++i) element();
        out_.writeListEnd();
        in_.readListEnd();
    }

    /// Any value, unchanged.
    void value(TType type) {
        switch (type) {
            case tt::T_BOOL: {
                bool b = false;
                in_.readBool(b);
                out_.writeBool(b);
                break;
            }
            case tt::T_BYTE: {
                std::int8_t v = 0;
                in_.readByte(v);
                out_.writeByte(v);
                break;
            }
            case tt::T_I16: {
                std::int16_t v = 0;
                in_.readI16(v);
                out_.writeI16(v);
                break;
            }
            case tt::T_I32: {
                std::int32_t v = 0;
                in_.readI32(v);
                out_.writeI32(v);
                break;
            }
            case tt::T_I64: {
                std::int64_t v = 0;
                in_.readI64(v);
                out_.writeI64(v);
                break;
            }
            case tt::T_DOUBLE: {
                double v = 0;
                in_.readDouble(v);
                out_.writeDouble(v);
                break;
            }
            case tt::T_STRING: {
                std::string v;
                in_.readBinary(v);
                out_.writeBinary(v);
                break;
            }
            case tt::T_STRUCT:
                fields([&](std::int16_t, TType t) { value(t); });
                break;
            case tt::T_LIST:
            case tt::T_SET: {
                TType element = tt::T_STOP;
                std::uint32_t n = 0;
                if (type == tt::T_LIST) {
                    in_.readListBegin(element, n);
                    out_.writeListBegin(element, n);
                } else {
                    in_.readSetBegin(element, n);
                    out_.writeSetBegin(element, n);
                }
                for (std::uint32_t i = 0; i < n; ++i) value(element);
                if (type == tt::T_LIST) {
                    out_.writeListEnd();
                    in_.readListEnd();
                } else {
                    out_.writeSetEnd();
                    in_.readSetEnd();
                }
                break;
            }
            case tt::T_MAP: {
                TType key = tt::T_STOP, mapped = tt::T_STOP;
                std::uint32_t n = 0;
                in_.readMapBegin(key, mapped, n);
                out_.writeMapBegin(key, mapped, n);
                for (std::uint32_t i = 0; i < n; ++i) {
                    value(key);
                    value(mapped);
                }
                out_.writeMapEnd();
                in_.readMapEnd();
                break;
            }
            default:
                throw NotJoinable{};
        }
    }

    Protocol& in_;
    Protocol& out_;
};

/// What the join needs of one part: its footer's top-level fields, where its row groups' bytes end, its rows.
struct PartFooter {
    std::uint64_t data_end = 0;  ///< where the footer starts
    std::map<std::int16_t, parquet_thrift::Field> fields;
    std::int64_t rows = 0;
    std::uint32_t row_groups = 0;
};

/// The part behind `footer`; none when it is not a footer this knows.
std::optional<PartFooter> part_footer(const parquet_thrift::Footer& footer) {
    PartFooter part;
    part.data_end = footer.start;
    const auto fields = parquet_thrift::top_level_fields(footer.bytes);
    if (!fields) return std::nullopt;
    for (const auto& f : *fields) {
        if (!known_top_level(f.id) || !part.fields.emplace(f.id, f).second) return std::nullopt;
    }
    const auto rows = part.fields.find(id::file_num_rows);
    const auto groups = part.fields.find(id::file_row_groups);
    if (rows == part.fields.end() || rows->second.type != tt::T_I64 || groups == part.fields.end() ||
        groups->second.type != tt::T_LIST) {
        return std::nullopt;
    }
    try {
        parquet_thrift::Reader count(rows->second.value);
        count.protocol.readI64(part.rows);
        parquet_thrift::Reader list(groups->second.value);
        TType element = tt::T_STOP;
        list.protocol.readListBegin(element, part.row_groups);
    } catch (const TException&) {
        return std::nullopt;
    }
    return part;
}

/// Every field but the row counts and row groups is the first part's, byte for byte.
bool same_file_fields(const PartFooter& a, const PartFooter& b) {
    const auto others = [](const PartFooter& p) {
        std::map<std::int16_t, std::pair<TType, std::string>> out;
        for (const auto& [f, field] : p.fields) {
            if (f != id::file_num_rows && f != id::file_row_groups) out[f] = {field.type, field.value};
        }
        return out;
    };
    return others(a) == others(b);
}

/// The joined footer, with `metadata` as its key-value metadata when given; none when a part's row groups hold
/// what cannot be joined.
std::optional<std::string> joined_footer(const std::vector<PartFooter>& parts,
                                         const std::optional<Metadata>& metadata) {
    std::int64_t rows = 0;
    std::uint64_t groups = 0;
    for (const auto& p : parts) {
        rows += p.rows;
        groups += p.row_groups;
    }
    if (groups > static_cast<std::uint64_t>(INT16_MAX)) return std::nullopt;  // RowGroup.ordinal is an i16
    auto buffer = std::make_shared<TMemoryBuffer>();
    Protocol out(buffer);
    try {
        std::vector<const parquet_thrift::Field*> fields;
        for (const auto& [f, field] : parts.front().fields) fields.push_back(&field);
        parquet_thrift::write_file_metadata(out, fields, metadata, [&](const parquet_thrift::Field& field) {
            if (field.id == id::file_num_rows) {
                out.writeI64(rows);
            } else if (field.id == id::file_row_groups) {
                out.writeListBegin(tt::T_STRUCT, static_cast<std::uint32_t>(groups));
                std::int16_t ordinal = 0;
                std::int64_t shift = 0;  // where the part's bytes land, less where they were
                for (const auto& p : parts) {
                    parquet_thrift::Reader reader(p.fields.at(id::file_row_groups).value);
                    TType element = tt::T_STOP;
                    std::uint32_t n = 0;
                    reader.protocol.readListBegin(element, n);
                    if (n > 0 && element != tt::T_STRUCT) throw NotJoinable{};
                    FooterCopier copier(reader.protocol, out);
                    for (std::uint32_t i = 0; i < n; ++i) copier.row_group(shift, ordinal++);
                    shift += static_cast<std::int64_t>(p.data_end - parquet_thrift::magic.size());
                }
                out.writeListEnd();
            } else {
                parquet_thrift::write_value_as_is(*buffer, field);
            }
        });
    } catch (const NotJoinable&) {
        return std::nullopt;
    } catch (const TException&) {
        return std::nullopt;
    }
    return buffer->getBufferAsString();
}

}  // namespace

bool concat_parquet(const std::vector<fs::path>& parts, const fs::path& output, const fs::path& shown,
                    const std::optional<Metadata>& metadata) {
    if (parts.empty()) throw InternalError(fmt::format("no parts to join into '{}'", output.string()));
    const auto remove_output = [&] {
        std::error_code ignored;
        fs::remove(output, ignored);
    };
    try {
        ParquetJoin join(output, shown);
        for (const auto& path : parts) {
            std::ifstream in(path, std::ios::binary);
            if (!in) throw IoError(fmt::format("cannot read '{}'", path.string()));
            const std::string bytes{std::istreambuf_iterator<char>(in), {}};
            if (in.bad()) throw IoError(fmt::format("cannot read '{}'", path.string()));
            if (!join.add(bytes)) break;
        }
        if (join.finish(metadata)) return true;  // false after a refused part
    } catch (...) {
        remove_output();
        throw;
    }
    remove_output();
    return false;
}

struct ParquetJoin::Impl {
    FileWriter out;
    std::vector<PartFooter> footers;
    bool refused = false;
};

ParquetJoin::ParquetJoin(const fs::path& output, const fs::path& shown)
    : impl_(new Impl{FileWriter(output, shown.empty() ? output : shown), {}, false}) {
    impl_->out.write(parquet_thrift::magic);
}

ParquetJoin::~ParquetJoin() = default;

bool ParquetJoin::add(std::string_view part) {
    auto& d = *impl_;
    if (d.refused) return false;
    const auto footer = parquet_thrift::footer_of(part);
    auto parsed = footer ? part_footer(*footer) : std::nullopt;
    if (!parsed || (!d.footers.empty() && !same_file_fields(d.footers.front(), *parsed))) {
        d.refused = true;
        return false;
    }
    d.out.write(part.substr(parquet_thrift::magic.size(), parsed->data_end - parquet_thrift::magic.size()));
    d.footers.push_back(std::move(*parsed));
    return true;
}

bool ParquetJoin::finish(const std::optional<Metadata>& metadata) {
    auto& d = *impl_;
    if (d.refused || d.footers.empty()) return false;
    const auto footer = joined_footer(d.footers, metadata);
    if (!footer) return false;
    d.out.write(*footer);
    d.out.write(parquet_thrift::trailer(footer->size()));
    d.out.close();
    return true;
}

}  // namespace uplift::io
