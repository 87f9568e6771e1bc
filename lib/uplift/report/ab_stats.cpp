#include "uplift/report/ab_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "uplift/core/errors.hpp"

namespace uplift::report {

namespace {

void check_level(double level) {
    if (!(level > 0.0 && level < 1.0)) throw UsageError(fmt::format("confidence level must be in (0, 1), got {}", level));
}

// Continued fraction of the incomplete beta function (modified Lentz), converging for x < (a+1)/(a+b+2).
double beta_fraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-16;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::fabs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double md = m;
        const double even = md * (b - md) * x / ((a + 2 * md - 1) * (a + 2 * md));
        d = 1.0 + even * d;
        if (std::fabs(d) < tiny) d = tiny;
        c = 1.0 + even / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        const double odd = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1));
        d = 1.0 + odd * d;
        if (std::fabs(d) < tiny) d = tiny;
        c = 1.0 + odd / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1.0) < eps) break;
    }
    return h;
}

TestResult finish(double difference, double se_test, double se_interval, double critical, double p_value,
                  double level) {
    TestResult r;
    r.difference = difference;
    r.std_error = se_interval;
    r.statistic = se_test > 0 ? difference / se_test : 0.0;
    r.p_value = p_value;
    r.ci_low = difference - critical * se_interval;
    r.ci_high = difference + critical * se_interval;
    r.level = level;
    return r;
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) throw UsageError(fmt::format("normal quantile needs 0 < p < 1, got {}", p));
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x = 0.0;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // One Halley step against the exact erfc brings the approximation (1e-9) to double precision.
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

double incomplete_beta(double a, double b, double x) {
    if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) {
        throw UsageError(fmt::format("incomplete beta needs a, b > 0 and 0 <= x <= 1, got {}, {}, {}", a, b, x));
    }
    if (x == 0.0 || x == 1.0) return x;
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    // The fraction converges fast only on one side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
    if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
    return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
    if (!(df > 0)) throw UsageError(fmt::format("t distribution needs df > 0, got {}", df));
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
    return t > 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
    if (!(p > 0.0 && p < 1.0)) throw UsageError(fmt::format("t quantile needs 0 < p < 1, got {}", p));
    if (p == 0.5) return 0.0;
    // Bisection on the monotone cdf: slow but certain, and called a handful of times per report.
    double lo = -1.0;
    double hi = 1.0;
    while (student_t_cdf(lo, df) > p) lo *= 2;
    while (student_t_cdf(hi, df) < p) hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::fabs(lo)); ++i) {
        const double mid = 0.5 * (lo + hi);
        (student_t_cdf(mid, df) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

std::optional<TestResult> two_proportion_z_test(double x_t, double n_t, double x_c, double n_c, double level) {
    check_level(level);
    if (!(n_t > 0 && n_c > 0)) return std::nullopt;
    const double p_t = x_t / n_t;
    const double p_c = x_c / n_c;
    const double pooled = (x_t + x_c) / (n_t + n_c);
    const double se_pooled = std::sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c));
    const double se = std::sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c);
    const double difference = p_t - p_c;
    double p_value = 1.0;
    if (se_pooled > 0) {
        p_value = std::erfc(std::fabs(difference / se_pooled) / std::sqrt(2.0));
    } else if (difference != 0) {
        p_value = 0.0;
    }
    return finish(difference, se_pooled, se, normal_quantile(0.5 + level / 2), p_value, level);
}

std::optional<TestResult> welch_t_test(double mean_t, double var_t, double n_t, double mean_c, double var_c,
                                       double n_c, double level) {
    check_level(level);
    if (!(n_t >= 2 && n_c >= 2)) return std::nullopt;
    const double a = var_t / n_t;
    const double b = var_c / n_c;
    const double se = std::sqrt(a + b);
    const double difference = mean_t - mean_c;
    if (!(se > 0)) {
        return finish(difference, 0.0, 0.0, 0.0, difference == 0 ? 1.0 : 0.0, level);
    }
    const double df = (a + b) * (a + b) / (a * a / (n_t - 1) + b * b / (n_c - 1));
    const double t = difference / se;
    const double p_value = incomplete_beta(df / 2, 0.5, df / (df + t * t));
    auto r = finish(difference, se, se, student_t_quantile(0.5 + level / 2, df), p_value, level);
    r.df = df;
    return r;
}

AbMetric ab_metric(AbMetricKind kind, std::span<const double> values, std::span<const std::uint8_t> treatment,
                   bool proportion, double level) {
    // Two passes (mean, then squared deviations) keep the variance accurate for large outcomes.
    double sum[2] = {0, 0};
    std::int64_t n[2] = {0, 0};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int g = treatment[i] != 0 ? 1 : 0;
        sum[g] += values[i];
        ++n[g];
    }
    double mean[2];
    for (int g = 0; g < 2; ++g) mean[g] = n[g] > 0 ? sum[g] / static_cast<double>(n[g]) : 0.0;
    double squares[2] = {0, 0};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int g = treatment[i] != 0 ? 1 : 0;
        squares[g] += (values[i] - mean[g]) * (values[i] - mean[g]);
    }
    AbMetric out;
    out.kind = kind;
    GroupStats* groups[2] = {&out.control, &out.treated};
    for (int g = 0; g < 2; ++g) {
        groups[g]->n = n[g];
        groups[g]->mean = mean[g];
        groups[g]->variance = n[g] > 1 ? squares[g] / static_cast<double>(n[g] - 1) : 0.0;
    }
    const auto nt = static_cast<double>(n[1]);
    const auto nc = static_cast<double>(n[0]);
    if (proportion) {
        out.test = AbTest::TwoProportionZ;
        out.result = two_proportion_z_test(sum[1], nt, sum[0], nc, level);
    } else {
        out.test = AbTest::WelchT;
        out.result = welch_t_test(mean[1], out.treated.variance, nt, mean[0], out.control.variance, nc, level);
    }
    if (out.control.mean != 0.0 && n[0] > 0 && n[1] > 0) {
        out.relative_lift = (out.treated.mean - out.control.mean) / out.control.mean;
    }
    return out;
}

AbReadout ab_readout(std::span<const double> y, std::span<const std::uint8_t> treatment, bool binary, double level) {
    const bool zero_one = binary && std::all_of(y.begin(), y.end(), [](double v) { return v == 0.0 || v == 1.0; });
    const AbMetric m = ab_metric(zero_one ? AbMetricKind::Conversion : AbMetricKind::AverageOutcome, y, treatment,
                                 zero_one, level);
    AbReadout out;
    out.treated = m.treated;
    out.control = m.control;
    out.test = m.test;
    out.result = m.result;
    out.relative_lift = m.relative_lift;
    return out;
}

std::vector<AbMetric> ab_rows(const AbReadout& readout) {
    const AbMetric primary{readout.test == AbTest::TwoProportionZ ? AbMetricKind::Conversion : AbMetricKind::AverageOutcome,
                           readout.treated, readout.control, readout.test, readout.result, readout.relative_lift};
    std::vector<AbMetric> rows;
    if (primary.kind == AbMetricKind::Conversion) rows.push_back(primary);
    if (readout.conversion) rows.push_back(*readout.conversion);
    if (readout.average_check) rows.push_back(*readout.average_check);
    if (primary.kind == AbMetricKind::AverageOutcome) rows.push_back(primary);
    return rows;
}

void add_check_rows(AbReadout& readout, std::span<const double> y, std::span<const std::uint8_t> treatment,
                    std::span<const double> amounts, const std::string& amount_column, bool binary, double level) {
    std::vector<double> bought(y.size());
    std::vector<double> checks;
    std::vector<std::uint8_t> check_group;
    for (std::size_t i = 0; i < y.size(); ++i) {
        bought[i] = y[i] > 0 ? 1.0 : 0.0;
        if (!(y[i] > 0)) continue;
        const double amount = amounts.empty() ? y[i] : amounts[i];
        if (!std::isfinite(amount) || amount < 0) {
            throw DataError(fmt::format("column '{}', evaluated row {}: a buyer's purchase amount must be a finite "
                                        "number of 0 or more, got {}",
                                        amount_column, i + 1, amount));
        }
        checks.push_back(amount);
        check_group.push_back(treatment[i]);
    }
    if (!binary) readout.conversion = ab_metric(AbMetricKind::Conversion, bought, treatment, true, level);
    readout.average_check = ab_metric(AbMetricKind::AverageCheck, checks, check_group, false, level);
    readout.check_column = amount_column;
}

}  // namespace uplift::report
