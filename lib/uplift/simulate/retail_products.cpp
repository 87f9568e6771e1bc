#include "uplift/simulate/retail_products.hpp"

#include <algorithm>
#include <cmath>

#include "uplift/simulate/random_draws.hpp"
#include "uplift/simulate/retail_rows.hpp"

namespace uplift::simulate {

namespace {

constexpr std::uint64_t products_domain = 0x9A0D;

/// How much more (or less) than the popularity says a woman / a man buys from each first-level category.
/// Strong enough that a few dozen lines give the gender away, as cosmetics and beer do in a real basket.
constexpr double female_leaning[3] = {2.2, 1.0, 0.45};
constexpr double male_leaning[3] = {0.45, 1.0, 2.2};

std::uint32_t pick(const std::vector<double>& cdf, double u) {
    const auto i = std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
    return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(i, static_cast<std::ptrdiff_t>(cdf.size()) - 1));
}

std::uint32_t draw_from(const std::vector<double>& cdf, Rng& rng) { return pick(cdf, rng.uniform01()); }

void normalise(std::vector<double>& cdf) {
    if (cdf.empty()) return;
    const double total = cdf.back();
    for (double& c : cdf) c /= total;
    cdf.back() = 1.0;
}

}  // namespace

ProductCatalogue::ProductCatalogue(std::size_t count, std::uint64_t seed) {
    Rng rng(stream_seed(seed, products_domain, 0));
    // X5 has 3 / 42 / 201 / 790 categories; small catalogues get proportionally fewer.
    levels_[3] = static_cast<std::uint32_t>(std::clamp<std::size_t>(count / 40, 8, 790));
    levels_[2] = std::max<std::uint32_t>(levels_[3] / 4, 4);
    levels_[1] = std::max<std::uint32_t>(levels_[2] / 5, 2);
    levels_[0] = 3;
    double total = 0, female = 0, male = 0;
    cdf_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double popularity = 1.0 / std::pow(static_cast<double>(i) + 20.0, 1.05);
        total += popularity;
        cdf_.push_back(total);
        const auto l4 = static_cast<std::uint32_t>(rng.below(levels_[3]));
        level4_.push_back(l4);
        const std::uint64_t l1 = std::uint64_t{l4} * levels_[0] / levels_[3];
        female += popularity * female_leaning[l1];
        male += popularity * male_leaning[l1];
        cdf_female_.push_back(female);
        cdf_male_.push_back(male);
        segment_.push_back(bernoulli(rng, 0.04) ? -1 : static_cast<std::int32_t>(1 + rng.below(150)));
        brand_.push_back(bernoulli(rng, 0.15) ? -1 : static_cast<std::int32_t>(rng.below(std::max<std::size_t>(count / 10, 5))));
        vendor_.push_back(static_cast<std::uint32_t>(rng.below(std::max<std::size_t>(count / 8, 5))));
        netto_grams_.push_back(static_cast<std::uint32_t>(std::clamp(lognormal(rng, 400.0, 0.8), 10.0, 20000.0)));
        own_label_.push_back(bernoulli(rng, 0.08) ? 1 : 0);
        // Alcohol lives in one second-level category (the first), as in a store's aisle plan.
        const std::uint32_t l2 = static_cast<std::uint32_t>(std::uint64_t{l4} * levels_[1] / levels_[3]);
        alcohol_.push_back(l2 == 0 && bernoulli(rng, 0.8) ? 1 : 0);
    }
    for (auto* cdf : {&cdf_, &cdf_female_, &cdf_male_}) normalise(*cdf);
}

std::uint32_t ProductCatalogue::draw(Rng& rng) const { return draw_from(cdf_, rng); }

std::uint32_t ProductCatalogue::draw(Rng& rng, char gender) const {
    return draw_from(gender == 'M' ? cdf_male_ : cdf_female_, rng);
}

ProductCatalogue::Twin ProductCatalogue::draw_twin(Rng& rng, char gender) const {
    const double u = rng.uniform01();
    return {pick(cdf_, u), pick(gender == 'M' ? cdf_male_ : cdf_female_, u)};
}

void ProductCatalogue::append_csv(std::string& out, const IdCoder& ids) const {
    for (std::size_t i = 0; i < size(); ++i) {
        ids.append(out, IdKind::Product, i);
        // Coarser levels are ranges of finer ones, so the tree is consistent; each level has its own ids.
        const std::uint64_t l4 = level4_[i];
        const std::uint64_t l3 = l4 * levels_[2] / levels_[3];
        const std::uint64_t l2 = l4 * levels_[1] / levels_[3];
        const std::uint64_t l1 = l4 * levels_[0] / levels_[3];
        for (const std::uint64_t code : {l1, 1000 + l2, 10000 + l3, 100000 + l4}) {
            out.push_back(',');
            ids.append(out, IdKind::Level, code);
        }
        out.push_back(',');
        if (segment_[i] >= 0) append_int(out, segment_[i]);
        out.push_back(',');
        if (brand_[i] >= 0) ids.append(out, IdKind::Brand, static_cast<std::uint64_t>(brand_[i]));
        out.push_back(',');
        ids.append(out, IdKind::Vendor, vendor_[i]);
        out.push_back(',');
        const std::uint32_t g = netto_grams_[i];
        append_int(out, g / 1000);
        out.push_back('.');
        out.push_back(static_cast<char>('0' + g / 100 % 10));
        out.push_back(static_cast<char>('0' + g / 10 % 10));
        out.push_back(static_cast<char>('0' + g % 10));
        out.push_back(',');
        out.push_back(static_cast<char>('0' + own_label_[i]));
        out.push_back(',');
        out.push_back(static_cast<char>('0' + alcohol_[i]));
        out.push_back('\n');
    }
}

}  // namespace uplift::simulate
