#pragma once
/// The evaluation artifact: every uplift metric of one scored data set, as `evaluate --json` writes it and
/// the report embeds it. The types are plain data; eval/ computes them (eval/evaluation.hpp), this header
/// owns their JSON. See docs/architecture.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

/// evaluation.json carries no version field; 1 names today's layout.
inline constexpr int evaluation_format_version = 1;

/// Points of a gain curve: x = number of rows targeted, y = gain.
struct Curve {
    std::vector<double> x;
    std::vector<double> y;

    bool operator==(const Curve&) const = default;
};

/// One bin of uplift_by_percentile, or the final "total" row (whose std fields are empty).
struct PercentileRow {
    std::string percentile;
    std::int64_t n_treatment = 0;
    std::int64_t n_control = 0;
    std::optional<double> response_rate_treatment;
    std::optional<double> response_rate_control;
    std::optional<double> uplift;
    std::optional<double> std_treatment;
    std::optional<double> std_control;
    std::optional<double> std_uplift;
    /// n_treatment / (n_treatment + n_control): the group balance of the bin (not in scikit-uplift);
    /// NaN when the bin is empty.
    double treatment_share = 0.0;

    bool operator==(const PercentileRow&) const = default;
};

/// A two-sided interval.
struct ConfidenceInterval {
    double low = 0.0;
    double high = 0.0;

    bool operator==(const ConfidenceInterval&) const = default;
};

/// Percentile intervals; an entry is empty when no replicate had a defined value.
struct BootstrapIntervals {
    double level = 0.95;
    int replicates = 0;
    std::optional<ConfidenceInterval> qini_auc;
    std::optional<ConfidenceInterval> uplift_auc;
    /// One per k, in the order given, for Strategy::Overall.
    std::vector<std::optional<ConfidenceInterval>> uplift_at_k;

    bool operator==(const BootstrapIntervals&) const = default;
};

struct EvaluationOptions {
    /// Fractions for uplift@k, each in (0, 1].
    std::vector<double> ks{0.1, 0.2, 0.3};
    /// How each k is written in reports (e.g. as the user typed it); empty: shortest round-trip form.
    std::vector<std::string> k_labels;
    /// Bins of uplift_by_percentile and weighted_average_uplift, 1 <= bins <= n.
    int bins = 10;
    /// Bootstrap replicates for confidence intervals; 0 = none.
    int bootstrap = 0;
    std::uint64_t seed = 42;
    double ci_level = 0.95;
    /// Worker threads, 0 = one per core. Results do not depend on it, so it is not recorded.
    int threads = 0;

    bool operator==(const EvaluationOptions&) const = default;
};

/// A value under both strategies.
struct ByStrategy {
    std::optional<double> overall;
    std::optional<double> by_group;

    bool operator==(const ByStrategy&) const = default;
};

struct UpliftAtK {
    double k = 0.0;
    std::string label;
    ByStrategy value;

    bool operator==(const UpliftAtK&) const = default;
};

struct Evaluation {
    std::int64_t n = 0;
    std::int64_t n_treatment = 0;
    std::int64_t n_control = 0;
    /// Normalised areas (qini with negative_effect = true); empty where undefined (no uplift in the data).
    std::optional<double> qini_auc;
    std::optional<double> uplift_auc;
    ByStrategy weighted_average_uplift;
    std::vector<UpliftAtK> uplift_at_k;
    /// Bins then the "total" row, Strategy::Overall.
    std::vector<PercentileRow> uplift_by_percentile;
    /// The same with Strategy::ByGroup.
    std::vector<PercentileRow> uplift_by_percentile_by_group;
    /// Curves thinned to at most max_curve_points for plotting; the exact ones come from qini_curve() etc.
    Curve qini_curve;
    Curve uplift_curve;
    Curve perfect_qini_curve;
    Curve perfect_uplift_curve;
    /// Straight lines from (0,0) to the end of the Qini and the uplift curve.
    Curve random_qini_curve;
    Curve random_uplift_curve;
    EvaluationOptions options;
    /// Present when options.bootstrap > 0.
    std::optional<BootstrapIntervals> ci;

    bool operator==(const Evaluation&) const = default;
};

/// JSON document (indent 2, no final newline) with n, n_treatment, n_control, qini_auc, uplift_auc,
/// weighted_average_uplift, uplift_at_k (keyed by k label), uplift_by_percentile,
/// uplift_by_percentile_by_group, curves, params and, when bootstrapped, ci. Undefined values are null.
std::string to_json(const Evaluation& evaluation);
/// Reads what to_json wrote (options.threads is not recorded and stays 0). Throws DataError naming
/// `source` and the key.
Evaluation evaluation_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
