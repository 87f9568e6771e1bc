#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/optimize/covariate_adjustment.hpp"
#include "uplift/optimize/measure.hpp"

namespace opt = uplift::optimize;

namespace {

/// The same estimate the long way: OLS of y on [1, T, x − x*, T·(x − x*)] over both groups, the coefficient of
/// T and its HC2 sandwich variance (X'X)⁻¹ X' diag(e²/(1 − h)) X (X'X)⁻¹, solved by Eigen.
struct Ols {
    double effect = 0;
    double se = 0;
};

Ols interacted_ols(const std::vector<double>& yc, const std::vector<double>& xc, const std::vector<double>& yh,
                   const std::vector<double>& xh, double target) {
    const auto n = static_cast<Eigen::Index>(yc.size() + yh.size());
    Eigen::MatrixXd X(n, 4);
    Eigen::VectorXd y(n);
    Eigen::Index r = 0;
    const auto add = [&](double yi, double xi, double t) {
        X.row(r) << 1.0, t, xi - target, t * (xi - target);
        y(r++) = yi;
    };
    for (std::size_t i = 0; i < yc.size(); ++i) add(yc[i], xc[i], 1);
    for (std::size_t i = 0; i < yh.size(); ++i) add(yh[i], xh[i], 0);
    const Eigen::MatrixXd xtx_inv = (X.transpose() * X).inverse();
    const Eigen::VectorXd beta = xtx_inv * X.transpose() * y;
    const Eigen::VectorXd e = y - X * beta;
    const Eigen::VectorXd h = (X * xtx_inv * X.transpose()).diagonal();
    Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(4, 4);
    for (Eigen::Index i = 0; i < n; ++i) meat += X.row(i).transpose() * X.row(i) * (e(i) * e(i) / (1 - h(i)));
    const Eigen::MatrixXd v = xtx_inv * meat * xtx_inv;
    return {beta(1), std::sqrt(v(1, 1))};
}

}  // namespace

TEST_CASE("the adjusted difference is the interacted OLS coefficient with its HC2 standard error", "[measure]") {
    // Binary outcomes and a predicted baseline, the held-out group with a higher baseline by chance.
    const std::vector<double> yc{1, 0, 1, 1, 0, 1, 0, 1}, xc{0.31, 0.12, 0.44, 0.27, 0.08, 0.52, 0.19, 0.36};
    const std::vector<double> yh{1, 0, 1, 0, 1, 0}, xh{0.58, 0.21, 0.47, 0.15, 0.62, 0.33};
    const double target = 0.29;  // the covariate's mean over every contacted client, some without an outcome
    const Ols ols = interacted_ols(yc, xc, yh, xh, target);
    const auto f = opt::lin_adjusted_difference({yc, xc}, {yh, xh}, target, 40, opt::z95);
    REQUIRE(f.estimate == Approx(40 * ols.effect).epsilon(1e-10));
    REQUIRE(f.std_error == Approx(40 * ols.se).epsilon(1e-10));
    REQUIRE(f.low == Approx(f.estimate - opt::z95 * f.std_error).epsilon(1e-12));
    REQUIRE(f.high == Approx(f.estimate + opt::z95 * f.std_error).epsilon(1e-12));
    // The plain difference of the same outcomes is another number: the adjustment did something.
    const auto plain = opt::difference_of_means(yc, yh, 40);
    REQUIRE(std::abs(plain.estimate - f.estimate) > 1.0);
}

TEST_CASE("a covariate that explains the outcome removes the chance imbalance the plain difference carries",
          "[measure]") {
    // y = 0.1 + 2x + 0.3 (contacted) + a small wobble: the true effect is 0.3 per client. The held-out clients'
    // covariate is higher by 0.1 on average, so the plain difference is off by about 2 × 0.1.
    std::vector<double> yc, xc, yh, xh;
    for (int i = 0; i < 30; ++i) {
        const double x = 0.1 + 0.01 * i, wobble = 0.001 * ((i * 7) % 5 - 2);
        xc.push_back(x);
        yc.push_back(0.1 + 2 * x + 0.3 + wobble);
        xh.push_back(x + 0.1);
        yh.push_back(0.1 + 2 * (x + 0.1) + wobble);
    }
    double target = 0;
    for (double x : xc) target += x;
    target /= static_cast<double>(xc.size());
    const auto adjusted = opt::lin_adjusted_difference({yc, xc}, {yh, xh}, target, 1, opt::z95);
    const auto plain = opt::difference_of_means(yc, yh, 1);
    REQUIRE(plain.estimate == Approx(0.3 - 0.2).margin(1e-9));
    REQUIRE(adjusted.estimate == Approx(0.3).margin(1e-3));
    REQUIRE(adjusted.low <= 0.3);
    REQUIRE(adjusted.high >= 0.3);
    REQUIRE(adjusted.std_error < 0.05 * plain.std_error);
}

TEST_CASE("a covariate without spread leaves the plain difference of means", "[measure]") {
    const std::vector<double> yc{1, 0, 1, 1, 0}, yh{0, 0, 1, 0};
    const std::vector<double> xc(5, 0.2), xh(4, 0.2);
    const auto adjusted = opt::lin_adjusted_difference({yc, xc}, {yh, xh}, 0.2, 10, opt::z95);
    const auto plain = opt::difference_of_means(yc, yh, 10);
    REQUIRE(adjusted.estimate == Approx(plain.estimate).epsilon(1e-12));
    REQUIRE(adjusted.std_error == Approx(plain.std_error).epsilon(1e-12));
    // A client with leverage 1 (every other covariate alike) would make HC2 0/0: that group keeps its mean too.
    const std::vector<double> xl{0.2, 0.2, 0.2, 0.2, 0.9};
    const auto lever = opt::lin_adjusted_difference({yc, xl}, {yh, xh}, 0.2, 10, opt::z95);
    REQUIRE(std::isfinite(lever.std_error));
    REQUIRE(lever.estimate == Approx(plain.estimate).epsilon(1e-12));
    REQUIRE_THROWS_AS(opt::lin_adjusted_difference({std::vector<double>{1, 0}, std::vector<double>{0.1, 0.2}},
                                                   {yh, xh}, 0.2, 1, opt::z95),
                      uplift::UsageError);
}

TEST_CASE("measure's adjust option takes auto or off", "[measure]") {
    REQUIRE(opt::parse_adjustment("auto") == opt::Adjustment::Auto);
    REQUIRE(opt::parse_adjustment("off") == opt::Adjustment::Off);
    REQUIRE_THROWS_WITH(opt::parse_adjustment("on"), Catch::Contains("--adjust 'on': expected auto or off"));
}
