#pragma once
/// Drift between the rows a model was trained on and the rows it scores: the population stability index
/// (PSI) of each input and of the uplift score over the reference bins stored in model.json, and the share of
/// values outside the training range. PSI = Σ (a − e) · ln(a / e) over the bins, missing values being a bin
/// of their own and shares floored at 1e-4; the usual reading is below 0.1 stable, 0.1–0.25 a moderate shift,
/// above 0.25 a major one (docs/score.md, "Drift").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/artifacts/drift_reference.hpp"

namespace uplift::eval {

/// Quantile bins of the reference (at most this many).
inline constexpr int drift_bins = 10;
/// Conventional PSI thresholds: the default warning level of `score` is the "major shift" one.
inline constexpr double psi_moderate = 0.1;
inline constexpr double psi_major = 0.25;

/// The reference of one input from its training values (NaN = missing): "values" when it takes at most
/// drift_bins distinct values, else up to drift_bins quantile bins.
artifacts::DistributionReference distribution_reference(std::string name, std::span<const double> values);

/// PSI between reference shares `expected` and observed shares `actual` (same bins, each summing to 1).
double population_stability_index(std::span<const double> expected, std::span<const double> actual);

using artifacts::DriftReport;
using artifacts::InputDrift;

/// Counts the scored rows into the reference's bins, chunk by chunk, for a report over the whole file.
class DriftCounter {
public:
    explicit DriftCounter(const artifacts::DriftReference& reference);
    /// A chunk of the model's inputs, row-major, one column per reference feature (NaN = missing).
    void add_features(std::span<const float> values, std::size_t rows);
    /// The chunk's uplift scores (the "uplift" column).
    void add_score(std::span<const double> uplift);
    DriftReport report() const;

private:
    struct Counts {
        std::vector<std::int64_t> bins;
        bool by_value = false;  ///< the reference's kind, decided once: count() runs per scored cell
        std::int64_t missing = 0, outside = 0, rows = 0;
    };
    void count(const artifacts::DistributionReference& ref, Counts& c, double v) const;
    static InputDrift drift_of(const artifacts::DistributionReference& ref, const Counts& c);

    const artifacts::DriftReference& reference_;
    std::vector<Counts> features_;
    Counts score_;
    std::int64_t rows_ = 0;
};

}  // namespace uplift::eval
