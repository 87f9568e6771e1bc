#pragma once
/// The statistics of a campaign's A/B readout: a two-proportion z-test for a binary outcome and Welch's
/// t-test for a continuous one, each with a two-sided p-value and a confidence interval of the difference
/// treated − control.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/eval/distributions.hpp"

namespace uplift::report {

// The distribution functions live in eval/distributions.hpp; the report's statistics use them by these names.
using eval::incomplete_beta;
using eval::normal_cdf;
using eval::normal_quantile;
using eval::student_t_cdf;
using eval::student_t_quantile;

struct TestResult {
    double difference = 0.0;      ///< treated − control
    double std_error = 0.0;       ///< of the difference, unpooled (the one the interval uses)
    double statistic = 0.0;       ///< z or t
    std::optional<double> df;     ///< Welch–Satterthwaite degrees of freedom (t-test only)
    double p_value = 1.0;         ///< two-sided
    double ci_low = 0.0;
    double ci_high = 0.0;
    double level = 0.95;
};

/// Two-proportion z-test of x_t/n_t against x_c/n_c: the statistic uses the pooled standard error (the
/// null hypothesis says the rates are equal), the interval the unpooled one (Wald). Empty unless both n > 0.
std::optional<TestResult> two_proportion_z_test(double x_t, double n_t, double x_c, double n_c, double level = 0.95);

/// Welch's t-test from group means, sample variances (n − 1 in the denominator) and sizes. Empty unless
/// both groups have at least two rows.
std::optional<TestResult> welch_t_test(double mean_t, double var_t, double n_t, double mean_c, double var_c,
                                       double n_c, double level = 0.95);

struct GroupStats {
    std::int64_t n = 0;
    double mean = 0.0;
    double variance = 0.0;  ///< sample variance; 0 for fewer than two rows
};

enum class AbTest { TwoProportionZ, WelchT };

/// One row of the readout: a measure compared between the treated and the control group.
enum class AbMetricKind {
    Conversion,      ///< share of clients who bought (binary outcome, or outcome > 0)
    AverageCheck,    ///< mean purchase amount among the clients who bought
    AverageOutcome,  ///< mean outcome per client (continuous outcome: revenue per client)
};

struct AbMetric {
    AbMetricKind kind = AbMetricKind::Conversion;
    GroupStats treated;
    GroupStats control;
    AbTest test = AbTest::TwoProportionZ;
    std::optional<TestResult> result;
    /// (treated − control) / control mean; empty when the control mean is 0.
    std::optional<double> relative_lift;
};

/// Compares `values` between treated (treatment[i] != 0) and control rows: the z-test when `proportion`
/// (values 0/1), else Welch's t-test.
AbMetric ab_metric(AbMetricKind kind, std::span<const double> values, std::span<const std::uint8_t> treatment,
                   bool proportion, double level = 0.95);

/// The readout of one treated level against control on a whole experiment.
struct AbReadout {
    // The primary row, over all clients: conversion (z-test) for a binary outcome, the average outcome per
    // client (Welch) for a continuous one.
    GroupStats treated;
    GroupStats control;
    AbTest test = AbTest::TwoProportionZ;
    std::optional<TestResult> result;
    /// (treated − control) / control mean; empty when the control mean is 0.
    std::optional<double> relative_lift;

    /// Continuous outcome: the share of clients whose outcome is above 0 (z-test).
    std::optional<AbMetric> conversion;
    /// The average check among buyers (Welch): the outcome itself for a continuous outcome, else the amounts
    /// of `check_column`. Absent for a binary outcome without an amount column: nothing says how much anyone
    /// spent.
    std::optional<AbMetric> average_check;
    std::string check_column;  ///< where the check amounts come from (the outcome column, or --check-col)
};

/// The rows to show, in reading order: conversion, average check, average outcome per client (those present).
std::vector<AbMetric> ab_rows(const AbReadout& readout);

/// The z-test when `binary` and every outcome is 0 or 1, else Welch's t-test.
AbReadout ab_readout(std::span<const double> y, std::span<const std::uint8_t> treatment, bool binary,
                     double level = 0.95);

/// Adds the conversion row (continuous outcome) and the average-check row. A buyer is a client with outcome
/// above 0. `amounts` (one per row, aligned with y; empty: use y) are the purchase amounts; only buyers' are
/// read. Throws DataError, naming `amount_column`, when a buyer's amount is missing, negative or not finite.
void add_check_rows(AbReadout& readout, std::span<const double> y, std::span<const std::uint8_t> treatment,
                    std::span<const double> amounts, const std::string& amount_column, bool binary,
                    double level = 0.95);

}  // namespace uplift::report
