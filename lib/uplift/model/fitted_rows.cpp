#include "uplift/model/fitted_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::model {

namespace {

constexpr std::string_view header = "upliftctl fitted rows 1\n";
/// FNV-1a's low bits are poorly mixed; the sample is taken on `h % k`, so finish with splitmix64's avalanche.
std::uint64_t finish(std::uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

}  // namespace

std::uint64_t row_hash(const DenseMatrix& x, std::size_t r, const io::Column* id, std::size_t id_row) {
    std::uint64_t h = fnv1a_offset;
    if (id != nullptr) {
        const std::string text = id->text_at(id_row);
        h = fnv1a(h, text.data(), text.size());
        h = fnv1a(h, "\x1f", 1);  // the id cannot run into the first value
    }
    for (std::size_t c = 0; c < x.cols; ++c) {
        float v = x.values[r * x.cols + c];
        if (std::isnan(v)) v = std::numeric_limits<float>::quiet_NaN();
        if (v == 0) v = 0;
        const auto bits = std::bit_cast<std::uint32_t>(v);
        h = fnv1a(h, &bits, sizeof bits);
    }
    return finish(h);
}

bool FittedRows::contains(std::uint64_t h) const noexcept { return std::binary_search(hashes.begin(), hashes.end(), h); }

FittedRows fitted_rows_of(const DenseMatrix& x, const io::Column* id, std::span<const std::size_t> id_rows,
                          int threads) {
    FittedRows out;
    out.rows = static_cast<std::int64_t>(x.rows);
    out.with_id = id != nullptr;
    out.sample_one_in = static_cast<std::uint64_t>((out.rows + max_kept_fitted_rows - 1) / max_kept_fitted_rows);
    if (out.sample_one_in == 0) out.sample_one_in = 1;
    // Contiguous parts of the rows, each keeping its own checkable hashes; they are sorted together after, so
    // the parts' number and order do not show in the result.
    const std::size_t parts = std::min<std::size_t>(thread_limit(threads) * 4, std::max<std::size_t>(1, x.rows / 65536));
    std::vector<std::vector<std::uint64_t>> kept(parts);
    for_each_part(parts, thread_limit(threads), [&](std::size_t p) {
        for (std::size_t r = part_begin(x.rows, parts, p); r < part_begin(x.rows, parts, p + 1); ++r) {
            const std::uint64_t h = row_hash(x, r, id, id != nullptr ? id_rows[r] : 0);
            if (out.checkable(h)) kept[p].push_back(h);
        }
    });
    for (auto& part : kept) {
        out.hashes.insert(out.hashes.end(), part.begin(), part.end());
        std::vector<std::uint64_t>().swap(part);
    }
    std::sort(out.hashes.begin(), out.hashes.end());
    out.hashes.erase(std::unique(out.hashes.begin(), out.hashes.end()), out.hashes.end());
    return out;
}

artifacts::FittedRowsEntry save_fitted_rows(const FittedRows& rows, const std::filesystem::path& file,
                                            const std::filesystem::path& final_path) {
    std::string bytes(header);
    bytes.reserve(header.size() + 8 * rows.hashes.size());
    for (std::uint64_t h : rows.hashes) {
        for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>((h >> (8 * b)) & 0xff));
    }
    io::write_file(file, bytes, final_path);
    return {.file = fitted_rows_file,
            .fingerprint = text_fingerprint(bytes),
            .rows = rows.rows,
            .kept = static_cast<std::int64_t>(rows.hashes.size()),
            .sample_one_in = rows.sample_one_in,
            .with_id = rows.with_id};
}

FittedRows load_fitted_rows(const std::filesystem::path& model_dir, const artifacts::FittedRowsEntry& entry) {
    // The name is fixed: model.json never points score at a file outside the model folder.
    if (entry.file != fitted_rows_file) {
        throw ModelError(fmt::format("'{}': fitted_rows names the file '{}'; it must be '{}'",
                                     (model_dir / "model.json").string(), entry.file, fitted_rows_file));
    }
    const std::filesystem::path file = model_dir / entry.file;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelError(fmt::format("cannot read '{}', which model.json lists as its fitted rows", file.string()));
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    if (!text_has_fingerprint(bytes, entry.fingerprint)) {
        throw ModelError(fmt::format("'{}' changed after training (fingerprint mismatch); retrain the model",
                                     file.string()));
    }
    const std::size_t body = bytes.size() - std::min(bytes.size(), header.size());
    if (bytes.compare(0, header.size(), header) != 0 || body % 8 != 0 ||
        body / 8 != static_cast<std::size_t>(entry.kept) || entry.sample_one_in == 0) {
        throw ModelError(fmt::format("'{}' is not the fitted-rows file model.json describes", file.string()));
    }
    FittedRows out;
    out.rows = entry.rows;
    out.sample_one_in = entry.sample_one_in;
    out.with_id = entry.with_id;
    out.hashes.resize(body / 8);
    for (std::size_t i = 0; i < out.hashes.size(); ++i) {
        std::uint64_t h = 0;
        for (int b = 0; b < 8; ++b) {
            h |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[header.size() + 8 * i + b])) << (8 * b);
        }
        out.hashes[i] = h;
    }
    return out;
}

void count_fitted_rows(const FittedRows& fitted, const DenseMatrix& x, const io::Column* id, FittedRowCount& count) {
    if (fitted.with_id && id == nullptr) return;  // the fitted rows' hashes need an id these rows lack
    for (std::size_t r = 0; r < x.rows; ++r) {
        const std::uint64_t h = row_hash(x, r, fitted.with_id ? id : nullptr, r);
        if (!fitted.checkable(h)) continue;
        ++count.checked;
        if (fitted.contains(h)) ++count.fitted;
    }
}

}  // namespace uplift::model
