#include "uplift/io/parquet_footer.hpp"

#include <fmt/format.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

using apache::thrift::TException;
using apache::thrift::protocol::TCompactProtocolT;
using apache::thrift::protocol::TType;
using apache::thrift::transport::TMemoryBuffer;

constexpr std::string_view magic = "PAR1";
constexpr std::int16_t key_value_metadata_field = 5;  // FileMetaData.key_value_metadata (parquet.thrift)

/// One top-level field of the footer: its id, type and the bytes of its value (after the field header).
struct FooterField {
    std::int16_t id = 0;
    TType type = apache::thrift::protocol::T_STOP;
    std::string value;
};

/// The top-level fields of a FileMetaData, in file order; none when it does not parse.
std::optional<std::vector<FooterField>> footer_fields(const std::string& footer) {
    auto buffer = std::make_shared<TMemoryBuffer>(reinterpret_cast<std::uint8_t*>(const_cast<char*>(footer.data())),
                                                  static_cast<std::uint32_t>(footer.size()));
    // No string or list in the footer is longer than the footer: a damaged length fails, not allocates.
    const auto limit = static_cast<std::int32_t>(std::min<std::size_t>(footer.size(), INT32_MAX));
    TCompactProtocolT<TMemoryBuffer> in(buffer, limit, limit);
    const auto position = [&] { return footer.size() - buffer->available_read(); };
    std::vector<FooterField> fields;
    try {
        std::string name;
        in.readStructBegin(name);
        while (true) {
            FooterField f;
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

/// The footer with `metadata` as its key_value_metadata: every other field's value copied as it was, in its
/// place; the new field goes where the old one was, or before the first field after it.
std::string footer_with(const std::vector<FooterField>& fields, const Metadata& metadata) {
    auto buffer = std::make_shared<TMemoryBuffer>();
    TCompactProtocolT<TMemoryBuffer> out(buffer);
    bool written = false;
    const auto write_metadata = [&] {
        written = true;
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
    };
    out.writeStructBegin("FileMetaData");
    for (const auto& f : fields) {
        if (!written && f.id >= key_value_metadata_field) write_metadata();
        if (f.id == key_value_metadata_field) continue;
        out.writeFieldBegin("", f.type, f.id);
        // The value is self-contained: a nested struct's field ids count from its own start.
        buffer->write(reinterpret_cast<const std::uint8_t*>(f.value.data()), static_cast<std::uint32_t>(f.value.size()));
        out.writeFieldEnd();
    }
    if (!written) write_metadata();
    out.writeFieldStop();
    out.writeStructEnd();
    return buffer->getBufferAsString();
}

std::string read_at(std::ifstream& in, std::uint64_t offset, std::size_t size) {
    std::string bytes(size, '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (!in) bytes.clear();
    return bytes;
}

}  // namespace

bool copy_parquet_with_metadata(const fs::path& input, const fs::path& output, const Metadata& metadata,
                                const fs::path& shown) {
    std::error_code ec;
    const std::uint64_t size = fs::file_size(input, ec);
    if (ec) throw IoError(fmt::format("cannot read '{}': {}", input.string(), ec.message()));
    std::ifstream in(input, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read '{}'", input.string()));
    if (size < 2 * magic.size() + 4) return false;
    const std::string head = read_at(in, 0, magic.size());
    const std::string tail = read_at(in, size - 8, 8);
    if (head != magic || tail.size() != 8 || tail.substr(4) != magic) return false;  // "PARE": an encrypted footer
    std::uint32_t footer_size = 0;
    for (int b = 3; b >= 0; --b) footer_size = (footer_size << 8) | static_cast<unsigned char>(tail[b]);
    if (footer_size == 0 || footer_size > size - 8 - magic.size()) return false;
    const std::uint64_t footer_start = size - 8 - footer_size;
    const auto fields = footer_fields(read_at(in, footer_start, footer_size));
    if (!fields) return false;
    const std::string footer = footer_with(*fields, metadata);

    FileWriter out(output, shown.empty() ? output : shown);
    std::vector<char> block(std::size_t{8} << 20);
    in.seekg(0);
    for (std::uint64_t left = footer_start; left > 0;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
        if (!in.read(block.data(), static_cast<std::streamsize>(n))) {
            throw IoError(fmt::format("cannot read '{}': it ended early", input.string()));
        }
        out.write(std::string_view(block.data(), n));
        left -= n;
    }
    std::array<char, 8> trailer{};
    const auto length = static_cast<std::uint32_t>(footer.size());
    for (int b = 0; b < 4; ++b) trailer[static_cast<std::size_t>(b)] = static_cast<char>((length >> (8 * b)) & 0xFF);
    std::memcpy(trailer.data() + 4, magic.data(), magic.size());
    out.write(footer);
    out.write(std::string_view(trailer.data(), trailer.size()));
    out.close();
    return true;
}

}  // namespace uplift::io
