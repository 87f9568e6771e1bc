#pragma once
/// What parquet_footer.cpp and parquet_concat.cpp share: finding a Parquet file's footer and walking its
/// top-level fields with Apache Thrift's compact protocol (the encoding parquet.thrift prescribes).
///
/// A Parquet file is "PAR1", its row groups' bytes, the footer (a FileMetaData), the footer's length (4
/// bytes, little-endian) and "PAR1" again. An encrypted footer ends in "PARE" and is not read here.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "uplift/io/table.hpp"

namespace uplift::io {
class FileWriter;
}

namespace uplift::io::parquet_thrift {

using Protocol = apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer>;

constexpr std::string_view magic = "PAR1";

/// A plain Parquet file's footer: where it starts (the row groups' bytes end there) and its bytes.
struct Footer {
    std::uint64_t start = 0;
    std::string bytes;
};

/// The footer of the file `in` of `size` bytes; none when it is not a plain Parquet file (too short, another
/// magic, an encrypted footer, a footer length past the file).
std::optional<Footer> read_footer(std::ifstream& in, std::uint64_t size);
/// The footer of a whole Parquet file held in memory; none as for read_footer.
std::optional<Footer> footer_of(std::string_view file);

/// One top-level field of a FileMetaData: its id, type and the bytes of its value (after the field header).
/// The value is self-contained: a nested struct's field ids count from its own start, so it can be written
/// after a new field header as it is.
struct Field {
    std::int16_t id = 0;
    apache::thrift::protocol::TType type = apache::thrift::protocol::T_STOP;
    std::string value;
};

/// The top-level fields of a FileMetaData, in file order; none when it does not parse.
std::optional<std::vector<Field>> top_level_fields(const std::string& footer);

/// A reader of `bytes` (which must outlive it). No string or list in them may be longer than they are, so a
/// damaged length fails instead of allocating.
struct Reader {
    explicit Reader(const std::string& bytes);
    std::shared_ptr<apache::thrift::transport::TMemoryBuffer> buffer;
    Protocol protocol;
};

/// Copies the bytes [`begin`, `end`) of `in` to `out`, in blocks (IoError naming `input` when the file ends
/// first).
void copy_bytes(std::ifstream& in, std::uint64_t begin, std::uint64_t end, FileWriter& out,
                const std::filesystem::path& input);

/// The 8 bytes after a footer of `footer_size` bytes: its length and the magic.
std::string trailer(std::size_t footer_size);

/// FileMetaData's field 5 (key_value_metadata), header and value, holding `metadata`; nothing when it is empty.
constexpr std::int16_t key_value_metadata_field = 5;
void write_key_value_metadata(Protocol& out, const Metadata& metadata);

/// A FileMetaData of `fields` (in rising id order): each written by `write_value(field)` after its header, but
/// field 5 replaced by `metadata` when given, in its place or before the first field after it. What a footer
/// rewrite (parquet_footer.cpp) and a join (parquet_concat.cpp) share.
template <class WriteValue>
void write_file_metadata(Protocol& out, const std::vector<const Field*>& fields,
                         const std::optional<Metadata>& metadata, WriteValue&& write_value) {
    out.writeStructBegin("FileMetaData");
    bool metadata_written = !metadata;
    for (const Field* f : fields) {
        if (!metadata_written && f->id >= key_value_metadata_field) {
            write_key_value_metadata(out, *metadata);
            metadata_written = true;
        }
        if (metadata && f->id == key_value_metadata_field) continue;
        out.writeFieldBegin("", f->type, f->id);
        write_value(*f);
        out.writeFieldEnd();
    }
    if (!metadata_written) write_key_value_metadata(out, *metadata);
    out.writeFieldStop();
    out.writeStructEnd();
}

/// A field's value as it was (it is self-contained: a nested struct's field ids count from its own start).
inline void write_value_as_is(apache::thrift::transport::TMemoryBuffer& buffer, const Field& field) {
    buffer.write(reinterpret_cast<const std::uint8_t*>(field.value.data()),
                 static_cast<std::uint32_t>(field.value.size()));
}

}  // namespace uplift::io::parquet_thrift
