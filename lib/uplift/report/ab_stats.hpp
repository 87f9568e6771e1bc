#pragma once
/// The statistics of a campaign's A/B readout: a two-proportion z-test for a binary outcome and Welch's
/// t-test for a continuous one, each with a two-sided p-value and a confidence interval of the difference
/// treated − control. Distribution functions are implemented here (no statistics library in the stack).

#include <cstdint>
#include <optional>
#include <span>

namespace uplift::report {

/// Standard normal distribution function.
double normal_cdf(double x);
/// Its inverse, for 0 < p < 1 (Acklam's approximation refined by one Halley step: ~1e-15 relative).
double normal_quantile(double p);
/// The regularised incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1.
double incomplete_beta(double a, double b, double x);
/// Student's t distribution function with `df` > 0 degrees of freedom (df need not be an integer).
double student_t_cdf(double t, double df);
/// Its inverse, for 0 < p < 1.
double student_t_quantile(double p, double df);

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

/// The readout of one treated level against control on a whole experiment.
struct AbReadout {
    GroupStats treated;
    GroupStats control;
    AbTest test = AbTest::TwoProportionZ;
    std::optional<TestResult> result;
    /// (treated − control) / control mean; empty when the control mean is 0.
    std::optional<double> relative_lift;
};

/// The z-test when `binary` and every outcome is 0 or 1, else Welch's t-test.
AbReadout ab_readout(std::span<const double> y, std::span<const std::uint8_t> treatment, bool binary,
                     double level = 0.95);

}  // namespace uplift::report
