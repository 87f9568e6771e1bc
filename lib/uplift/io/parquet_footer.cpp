#include "uplift/io/parquet_footer.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/parquet_thrift.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

using apache::thrift::transport::TMemoryBuffer;
using parquet_thrift::Field;

/// The footer with `metadata` as its key_value_metadata: every other field's value copied as it was, in its
/// place; the new field goes where the old one was, or before the first field after it.
std::string footer_with(const std::vector<Field>& fields, const Metadata& metadata) {
    auto buffer = std::make_shared<TMemoryBuffer>();
    parquet_thrift::Protocol out(buffer);
    std::vector<const Field*> in_order;
    for (const auto& f : fields) in_order.push_back(&f);
    parquet_thrift::write_file_metadata(out, in_order, metadata,
                                        [&](const Field& f) { parquet_thrift::write_value_as_is(*buffer, f); });
    return buffer->getBufferAsString();
}

}  // namespace

bool copy_parquet_with_metadata(const fs::path& input, const fs::path& output, const Metadata& metadata,
                                const fs::path& shown) {
    std::error_code ec;
    const std::uint64_t size = fs::file_size(input, ec);
    if (ec) throw IoError(fmt::format("cannot read '{}': {}", input.string(), ec.message()));
    std::ifstream in(input, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read '{}'", input.string()));
    const auto old = parquet_thrift::read_footer(in, size);
    if (!old) return false;
    const auto fields = parquet_thrift::top_level_fields(old->bytes);
    if (!fields) return false;
    const std::string footer = footer_with(*fields, metadata);

    FileWriter out(output, shown.empty() ? output : shown);
    parquet_thrift::copy_bytes(in, 0, old->start, out, input);
    out.write(footer);
    out.write(parquet_thrift::trailer(footer.size()));
    out.close();
    return true;
}

}  // namespace uplift::io
