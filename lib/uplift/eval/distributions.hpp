#pragma once
/// Distribution functions for intervals and tests (no statistics library in the stack): the standard normal and
/// Student's t, with the incomplete beta function the t distribution needs.

namespace uplift::eval {

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

}  // namespace uplift::eval
