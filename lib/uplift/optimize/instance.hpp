#pragma once
/// A planning problem: n clients × K offers. Only the inputs are stored (p0, pt client-major at i·K + k,
/// basket); profit and spend are computed on demand from each offer's terms. At 10 million clients that
/// saves half a gigabyte, and recomputing a few products is cheaper than reading it back from memory.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "uplift/data/roles.hpp"
#include "uplift/io/table.hpp"
#include "uplift/optimize/economics.hpp"
#include "uplift/eval/client_kinds.hpp"
#include "uplift/optimize/offer_config.hpp"

namespace uplift::optimize {

struct Instance {
    std::size_t clients = 0;
    std::vector<Offer> offers;
    std::vector<OfferTerms> terms;  ///< [k], from offers
    data::OutcomeType outcome = data::OutcomeType::Binary;
    double margin = 1;
    std::vector<double> p0;      ///< [i]: purchase probability (or expected spend) without an offer
    std::vector<double> pt;      ///< [i·K + k]: with offer k
    std::vector<double> basket;  ///< [i], or a single value shared by every client
    eval::KindThresholds kinds;  ///< the plan's segment column: the thresholds the scores were labelled with

    std::size_t num_offers() const noexcept { return offers.size(); }
    bool binary() const noexcept { return outcome == data::OutcomeType::Binary; }
    double basket_of(std::size_t i) const noexcept { return basket.size() == 1 ? basket[0] : basket[i]; }
    /// What one unit of uplift is worth in money: the basket (binary) or 1 (spend outcome).
    double scale_of(std::size_t i) const noexcept { return binary() ? basket_of(i) : 1.0; }
    /// Everything about offer k to client i.
    OptionValue option(std::size_t i, std::size_t k) const noexcept {
        return evaluate_terms(p0[i], pt[i * offers.size() + k], scale_of(i), terms[k], margin);
    }
    double profit(std::size_t i, std::size_t k) const noexcept { return option(i, k).profit; }
    double spend(std::size_t i, std::size_t k) const noexcept { return option(i, k).spend; }
};

/// Builds an instance from arrays (pt client-major; basket of size n, or empty for the flat basket).
Instance make_instance(std::vector<double> p0, std::vector<double> pt, std::vector<double> basket,
                       const ResolvedEconomics& economics);

/// Reads p__control and p__<level> of every offer from a scores table (see model/scoring.hpp). Throws
/// DataError naming the file and column when one is missing, and the row and column of a null, NaN or
/// (binary outcome) a probability outside [0, 1]. `basket` is the per-client basket (empty: the flat one).
Instance instance_from_scores(const io::Table& scores, const std::string& file, const ResolvedEconomics& economics,
                              std::vector<double> basket);

/// The per-client basket from `column`, found in `scores` or, when `source` is given, in that table
/// joined on the id column. Throws DataError for a missing column or id, or a null, NaN or negative basket.
std::vector<double> basket_values(const io::Table& scores, const std::string& scores_file, const std::string& column,
                                  const std::string& id_column, const io::Table* source, const std::string& source_file);

}  // namespace uplift::optimize
