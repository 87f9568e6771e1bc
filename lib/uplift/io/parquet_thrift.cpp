#include "uplift/io/parquet_thrift.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <utility>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::io::parquet_thrift {

namespace {

using apache::thrift::TException;
using apache::thrift::protocol::TType;
using apache::thrift::transport::TMemoryBuffer;

std::string read_at(std::ifstream& in, std::uint64_t offset, std::size_t size) {
    std::string bytes(size, '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (!in) bytes.clear();
    return bytes;
}

std::int32_t limit_of(const std::string& bytes) {
    return static_cast<std::int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX));
}

}  // namespace

namespace {

/// Where the footer of a file of `size` bytes starts and how long it is, from the file's first 4 and last 8
/// bytes; none when it is not a plain Parquet file.
std::optional<std::pair<std::uint64_t, std::uint32_t>> footer_place(std::string_view head, std::string_view tail,
                                                                     std::uint64_t size) {
    if (size < 2 * magic.size() + 4) return std::nullopt;
    if (head != magic || tail.size() != 8 || tail.substr(4) != magic) return std::nullopt;  // "PARE": encrypted
    std::uint32_t footer_size = 0;
    for (int b = 3; b >= 0; --b) footer_size = (footer_size << 8) | static_cast<unsigned char>(tail[b]);
    if (footer_size == 0 || footer_size > size - 8 - magic.size()) return std::nullopt;
    return std::pair{size - 8 - footer_size, footer_size};
}

}  // namespace

std::optional<Footer> read_footer(std::ifstream& in, std::uint64_t size) {
    if (size < 2 * magic.size() + 4) return std::nullopt;
    const auto place = footer_place(read_at(in, 0, magic.size()), read_at(in, size - 8, 8), size);
    if (!place) return std::nullopt;
    Footer footer{place->first, read_at(in, place->first, place->second)};
    if (footer.bytes.size() != place->second) return std::nullopt;
    in.clear();
    return footer;
}

std::optional<Footer> footer_of(std::string_view file) {
    if (file.size() < 2 * magic.size() + 4) return std::nullopt;
    const auto place = footer_place(file.substr(0, magic.size()), file.substr(file.size() - 8), file.size());
    if (!place) return std::nullopt;
    return Footer{place->first, std::string(file.substr(place->first, place->second))};
}

Reader::Reader(const std::string& bytes)
    : buffer(std::make_shared<TMemoryBuffer>(reinterpret_cast<std::uint8_t*>(const_cast<char*>(bytes.data())),
                                             static_cast<std::uint32_t>(bytes.size()))),
      protocol(buffer, limit_of(bytes), limit_of(bytes)) {}

std::optional<std::vector<Field>> top_level_fields(const std::string& footer) {
    Reader reader(footer);
    auto& in = reader.protocol;
    const auto position = [&] { return footer.size() - reader.buffer->available_read(); };
    std::vector<Field> fields;
    try {
        std::string name;
        in.readStructBegin(name);
        while (true) {
            Field f;
            in.readFieldBegin(name, f.type, f.id);
            if (f.type == apache::thrift::protocol::T_STOP) break;
            // A bool's value lives in its field header; FileMetaData has none at the top level.
            if (f.type == apache::thrift::protocol::T_BOOL) return std::nullopt;
            const std::size_t begin = position();
            in.skip(f.type);
            in.readFieldEnd();
            f.value = footer.substr(begin, position() - begin);
            fields.push_back(std::move(f));
        }
        in.readStructEnd();
    } catch (const TException&) {
        return std::nullopt;
    }
    return fields;
}

void copy_bytes(std::ifstream& in, std::uint64_t begin, std::uint64_t end, FileWriter& out,
                const std::filesystem::path& input) {
    if (end > begin && out.append_range_of(input, begin, end)) return;
    std::vector<char> block(std::size_t{8} << 20);
    in.clear();
    in.seekg(static_cast<std::streamoff>(begin));
    for (std::uint64_t left = end - begin; left > 0;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
        if (!in.read(block.data(), static_cast<std::streamsize>(n))) {
            throw IoError(fmt::format("cannot read '{}': it ended early", input.string()));
        }
        out.write(std::string_view(block.data(), n));
        left -= n;
    }
}

std::string trailer(std::size_t footer_size) {
    std::string out(8, '\0');
    const auto length = static_cast<std::uint32_t>(footer_size);
    for (int b = 0; b < 4; ++b) out[static_cast<std::size_t>(b)] = static_cast<char>((length >> (8 * b)) & 0xFF);
    std::memcpy(out.data() + 4, magic.data(), magic.size());
    return out;
}

void write_key_value_metadata(Protocol& out, const Metadata& metadata) {
    if (metadata.empty()) return;
    out.writeFieldBegin("key_value_metadata", apache::thrift::protocol::T_LIST, key_value_metadata_field);
    out.writeListBegin(apache::thrift::protocol::T_STRUCT, static_cast<std::uint32_t>(metadata.size()));
    for (const auto& [key, value] : metadata) {
        out.writeStructBegin("KeyValue");
        out.writeFieldBegin("key", apache::thrift::protocol::T_STRING, 1);
        out.writeString(key);
        out.writeFieldEnd();
        out.writeFieldBegin("value", apache::thrift::protocol::T_STRING, 2);
        out.writeString(value);
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
    }
    out.writeListEnd();
    out.writeFieldEnd();
}

}  // namespace uplift::io::parquet_thrift
