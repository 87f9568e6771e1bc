#pragma once
/// The product catalogue: a four-level category tree, brands, vendors, own-label and alcohol flags,
/// and a long-tailed popularity (a few staples in most baskets, most products rarely bought).

#include <cstdint>
#include <string>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/simulate/hex_ids.hpp"

namespace uplift::simulate {

class ProductCatalogue {
public:
    /// `count` products drawn from their own random stream of `seed`.
    ProductCatalogue(std::size_t count, std::uint64_t seed);

    std::size_t size() const noexcept { return level4_.size(); }
    /// A product index drawn by popularity (Zipf-like).
    std::uint32_t draw(Rng& rng) const;
    /// The same draw (one uniform) for a client of `gender` (F or M): women and men lean towards different
    /// first-level categories, as in real baskets, so a basket's product mix hints at a hidden gender.
    std::uint32_t draw(Rng& rng, char gender) const;
    /// One uniform, read both ways: the catalogue-wide product (`plain`, what draw(rng) gives) and the
    /// product for a client of `gender`. Decisions that used to read the plain product keep reading it, so
    /// the random stream, and every later draw, is the one it was before genders shaped the baskets.
    struct Twin {
        std::uint32_t plain = 0;
        std::uint32_t gendered = 0;
    };
    Twin draw_twin(Rng& rng, char gender) const;
    /// products.csv rows (no header), in index order.
    void append_csv(std::string& out, const IdCoder& ids) const;

private:
    std::vector<double> cdf_;
    std::vector<double> cdf_female_, cdf_male_;  ///< popularity times each gender's category leaning
    std::vector<std::uint32_t> level4_;
    std::vector<std::int32_t> segment_;   ///< -1: missing
    std::vector<std::int32_t> brand_;     ///< -1: missing (unbranded)
    std::vector<std::uint32_t> vendor_;
    std::vector<std::uint32_t> netto_grams_;
    std::vector<std::uint8_t> own_label_;
    std::vector<std::uint8_t> alcohol_;
    std::uint32_t levels_[4];             ///< categories per level, coarse to fine
};

}  // namespace uplift::simulate
