#pragma once
/// compare.json: what `upliftctl compare` writes (docs/compare.md lists its keys), the champion/challenger
/// decision the monthly pipeline acts on. This file and comparison.cpp are the only places that spell its keys.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/artifacts/evaluation.hpp"

namespace uplift::artifacts {

inline constexpr int comparison_format_version = 1;

/// The metrics `compare --metric` can decide on, as compare.json and model.json name them.
inline constexpr std::string_view compare_metric_qini = "qini_auc";
inline constexpr std::string_view compare_metric_uplift_at_30 = "uplift_at_30";

/// One model's metrics on the compared rows; empty where undefined (an empty group, no effect in the data).
struct ComparedMetrics {
    std::optional<double> qini_auc;
    std::vector<std::optional<double>> uplift_at_k;  ///< one per k of the comparison

    bool operator==(const ComparedMetrics&) const = default;
};

/// challenger − champion: the point difference and its paired-bootstrap percentile interval.
struct MetricDifference {
    std::optional<double> estimate;
    std::optional<ConfidenceInterval> interval;

    bool operator==(const MetricDifference&) const = default;
};

/// One treated level against control.
struct LevelComparison {
    std::string level;
    std::int64_t n_treatment = 0;
    std::int64_t n_control = 0;
    std::optional<ComparedMetrics> champion;  ///< empty without a champion
    ComparedMetrics challenger;
    std::optional<MetricDifference> qini_auc;          ///< empty without a champion
    std::vector<MetricDifference> uplift_at_k;         ///< one per k; empty without a champion

    bool operator==(const LevelComparison&) const = default;
};

enum class Decision { Promote, Reject };
std::string_view to_string(Decision d);

struct Comparison {
    int format_version = comparison_format_version;
    std::string champion;    ///< the champion folder as given; empty when there is none
    std::string challenger;  ///< the challenger folder as given
    std::string features;    ///< the file the compared rows were taken from
    std::string metric;      ///< compare_metric_qini or compare_metric_uplift_at_30
    double margin = 0.0;
    double level = 0.95;
    int bootstrap = 0;
    std::uint64_t seed = 0;
    std::vector<double> ks;
    std::vector<std::string> k_labels;  ///< how each k is keyed in the file ("0.3")
    std::int64_t rows = 0;              ///< the challenger's holdout rows found in the features file
    std::int64_t n_treatment = 0;       ///< of them, treated (any treated level)
    std::int64_t n_control = 0;
    std::vector<LevelComparison> levels;  ///< the challenger's treated levels, in its order
    Decision decision = Decision::Promote;
    std::string reason;             ///< one line
    std::string provenance_json;    ///< core's Provenance::to_json, embedded as an object

    bool operator==(const Comparison&) const = default;
};

/// compare.json's text (two-space indent, final newline).
std::string to_json(const Comparison& c);

/// Parses compare.json; DataError naming `source` for text that is not one.
Comparison comparison_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
