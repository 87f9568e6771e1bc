#include "uplift/optimize/instance.hpp"

#include <fmt/format.h>

#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

namespace {

const io::Column& numeric_column(const io::Table& t, const std::string& file, const std::string& name,
                                 const std::string& why) {
    const io::Column* c = t.find(name);
    if (c == nullptr) throw DataError(fmt::format("'{}' has no column '{}' ({})", file, name, why));
    if (!c->is_numeric()) {
        throw DataError(fmt::format("'{}': column '{}' is {}, expected numbers", file, name, io::type_name(c->type())));
    }
    return *c;
}

/// The column as doubles; throws DataError at the first null, NaN or (for probabilities) value outside [0, 1].
std::vector<double> checked_scores(const io::Column& c, const std::string& file, bool probability) {
    std::vector<double> v = c.to_doubles();
    for (std::size_t r = 0; r < v.size(); ++r) {
        if (!std::isfinite(v[r])) {
            throw DataError(fmt::format("'{}' row {}, column '{}': score is {}; rescore the clients with "
                                        "`upliftctl score`",
                                        file, r + 1, c.name(), c.is_valid(r) ? fmt::format("{}", v[r]) : "null"));
        }
        if (probability && (v[r] < 0 || v[r] > 1)) {
            throw DataError(fmt::format("'{}' row {}, column '{}': {} is not a probability (binary outcome)", file,
                                        r + 1, c.name(), v[r]));
        }
    }
    return v;
}

}  // namespace

Instance make_instance(std::vector<double> p0, std::vector<double> pt, std::vector<double> basket,
                       const ResolvedEconomics& economics) {
    Instance in;
    in.clients = p0.size();
    in.offers = economics.offers;
    for (const Offer& o : in.offers) in.terms.push_back(terms_of(o));
    in.outcome = economics.outcome;
    in.margin = economics.margin;
    in.p0 = std::move(p0);
    in.pt = std::move(pt);
    in.basket = basket.empty() ? std::vector<double>{economics.flat_basket.value_or(0.0)} : std::move(basket);
    if (in.pt.size() != in.clients * in.offers.size() || (in.basket.size() != 1 && in.basket.size() != in.clients)) {
        throw InternalError("make_instance: array sizes do not match clients × offers");
    }
    return in;
}

Instance instance_from_scores(const io::Table& scores, const std::string& file, const ResolvedEconomics& economics,
                              std::vector<double> basket) {
    const bool binary = economics.outcome == data::OutcomeType::Binary;
    const std::size_t n = scores.num_rows();
    const std::size_t k_count = economics.offers.size();
    std::vector<double> p0 =
        checked_scores(numeric_column(scores, file, "p__control", "written by `upliftctl score`"), file, binary);
    std::vector<double> pt(n * k_count);
    for (std::size_t k = 0; k < k_count; ++k) {
        const std::string name = "p__" + economics.offers[k].level;
        const auto v = checked_scores(numeric_column(scores, file, name, "the scores of offer '" +
                                                                            economics.offers[k].level + "'"),
                                      file, binary);
        for (std::size_t i = 0; i < n; ++i) pt[i * k_count + k] = v[i];
    }
    return make_instance(std::move(p0), std::move(pt), std::move(basket), economics);
}

}  // namespace uplift::optimize
