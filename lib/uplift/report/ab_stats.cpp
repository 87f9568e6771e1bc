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
