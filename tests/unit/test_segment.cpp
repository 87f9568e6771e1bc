// segment/: k-means, its seeding and determinism, the silhouette, standardisation and names.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/segment/choose_k.hpp"
#include "uplift/segment/cluster_names.hpp"
#include "uplift/segment/describe_clusters.hpp"
#include "uplift/segment/feature_matrix.hpp"
#include "uplift/segment/kmeans.hpp"
#include "uplift/segment/silhouette.hpp"

namespace us = uplift::segment;

namespace {

double normal(uplift::Rng& rng) {  // Box–Muller: enough for test data
    const double u = 1.0 - rng.uniform01();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * rng.uniform01());
}

/// `per_blob` points around each of `centres` (sd 0.5), blob after blob.
std::vector<double> blobs(const std::vector<std::vector<double>>& centres, std::size_t per_blob, std::uint64_t seed) {
    uplift::Rng rng(seed);
    std::vector<double> out;
    for (const auto& c : centres) {
        for (std::size_t i = 0; i < per_blob; ++i) {
            for (const double x : c) out.push_back(x + 0.5 * normal(rng));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("segment: k-means recovers three planted blobs", "[segment]") {
    const std::vector<std::vector<double>> centres = {{0, 0}, {10, 0}, {0, 10}};
    const std::size_t per_blob = 150;
    const auto data = blobs(centres, per_blob, 3);
    const us::MatrixView m{data.data(), 3 * per_blob, 2};
    const auto fit = us::kmeans(m, {.k = 3, .restarts = 3, .max_iterations = 100, .seed = 7, .threads = 1});
    std::set<int> seen;
    for (std::size_t b = 0; b < 3; ++b) {
        const int label = fit.labels[b * per_blob];
        for (std::size_t i = 0; i < per_blob; ++i) REQUIRE(fit.labels[b * per_blob + i] == label);
        seen.insert(label);
    }
    CHECK(seen.size() == 3);
    CHECK(fit.sizes == std::vector<std::int64_t>{150, 150, 150});
    // Each centre lies on a planted one.
    for (int c = 0; c < 3; ++c) {
        double nearest = std::numeric_limits<double>::infinity();
        for (const auto& p : centres) {
            nearest = std::min(nearest, std::hypot(fit.centres[std::size_t(c) * 2] - p[0], fit.centres[std::size_t(c) * 2 + 1] - p[1]));
        }
        CHECK(nearest < 0.2);
    }
}

TEST_CASE("segment: cluster 0 is the largest", "[segment]") {
    const auto small = blobs({{0, 0}}, 20, 1);
    const auto large = blobs({{10, 10}}, 80, 2);
    std::vector<double> data = small;
    data.insert(data.end(), large.begin(), large.end());
    const auto fit = us::kmeans({data.data(), 100, 2}, {.k = 2, .restarts = 2, .max_iterations = 50, .seed = 1, .threads = 1});
    CHECK(fit.sizes == std::vector<std::int64_t>{80, 20});
    CHECK(fit.labels.front() == 1);
    CHECK(fit.labels.back() == 0);
}

TEST_CASE("segment: k-means gives the same clusters at any thread count", "[segment]") {
    // More rows than one part (kmeans_part_rows), overlapping blobs so that many iterations run.
    const auto data = blobs({{0, 0, 0}, {1.5, 0, 1}, {0, 1.5, -1}, {1, 1, 1}}, 5000, 11);
    const us::MatrixView m{data.data(), 20000, 3};
    REQUIRE(m.rows > 2 * us::kmeans_part_rows);
    const auto one = us::kmeans(m, {.k = 4, .restarts = 2, .max_iterations = 100, .seed = 5, .threads = 1});
    const auto four = us::kmeans(m, {.k = 4, .restarts = 2, .max_iterations = 100, .seed = 5, .threads = 4});
    CHECK(one.iterations > 1);
    CHECK(one.labels == four.labels);
    CHECK(one.centres == four.centres);
    CHECK(one.inertia == four.inertia);
    const auto other_seed = us::kmeans(m, {.k = 4, .restarts = 2, .max_iterations = 100, .seed = 6, .threads = 1});
    CHECK(other_seed.labels.size() == one.labels.size());
    const auto s1 = us::silhouette(m, one.labels, 4, 1);
    const auto s3 = us::silhouette(m, one.labels, 4, 3);
    // silhouette on 20,000 rows is 4e8 distances: fine here, and the reason segments samples.
    REQUIRE(s1);
    CHECK(*s1 == *s3);
}

TEST_CASE("segment: bad k, restarts or iterations are usage errors", "[segment]") {
    const std::vector<double> data = {0, 1, 2};
    const us::MatrixView m{data.data(), 3, 1};
    CHECK_THROWS_AS(us::kmeans(m, {.k = 4}), uplift::UsageError);
    CHECK_THROWS_AS(us::kmeans(m, {.k = 0}), uplift::UsageError);
    CHECK_THROWS_AS(us::kmeans(m, {.k = 2, .restarts = 0}), uplift::UsageError);
    CHECK_THROWS_AS(us::kmeans(m, {.k = 2, .restarts = 1, .max_iterations = 0}), uplift::UsageError);
}

TEST_CASE("segment: identical rows do not break the seeding", "[segment]") {
    const std::vector<double> data(10, 3.0);  // ten rows of one value
    const auto fit = us::kmeans({data.data(), 10, 1}, {.k = 3, .restarts = 2, .max_iterations = 10, .seed = 1, .threads = 1});
    CHECK(fit.inertia == 0);
    std::int64_t total = 0;
    for (const auto s : fit.sizes) total += s;
    CHECK(total == 10);
}

TEST_CASE("segment: silhouette matches a hand computation", "[segment]") {
    // 0, 1 | 4, 5: a = 1 for every point; b = 4.5, 3.5, 3.5, 4.5.
    const std::vector<double> x = {0, 1, 4, 5};
    const std::vector<int> labels = {0, 0, 1, 1};
    const auto s = us::silhouette({x.data(), 4, 1}, labels, 2);
    REQUIRE(s);
    CHECK(*s == Approx((3.5 / 4.5 + 2.5 / 3.5) / 2).epsilon(1e-12));
    // A point alone in its cluster counts 0: 0, 1 | 10 gives (0.9 + 8/9 + 0) / 3.
    const std::vector<double> y = {0, 1, 10};
    const auto t = us::silhouette({y.data(), 3, 1}, std::vector<int>{0, 0, 1}, 2);
    REQUIRE(t);
    CHECK(*t == Approx((0.9 + 8.0 / 9.0) / 3).epsilon(1e-12));
    // One cluster only: undefined.
    CHECK_FALSE(us::silhouette({y.data(), 3, 1}, std::vector<int>{0, 0, 0}, 2));
    // Two dimensions: Euclidean distances. (0,0),(3,4) | (0,10): a = 5; b = 10 and sqrt(9+36).
    const std::vector<double> z = {0, 0, 3, 4, 0, 10};
    const auto u = us::silhouette({z.data(), 3, 2}, std::vector<int>{0, 0, 1}, 2);
    REQUIRE(u);
    CHECK(*u == Approx(((10.0 - 5) / 10 + (std::sqrt(45.0) - 5) / std::sqrt(45.0)) / 3).epsilon(1e-12));
}

TEST_CASE("segment: the silhouette sample is seeded, distinct and sorted", "[segment]") {
    const auto a = us::sample_rows(1000, 50, 9);
    const auto b = us::sample_rows(1000, 50, 9);
    CHECK(a == b);
    CHECK(a.size() == 50);
    CHECK(std::set<std::size_t>(a.begin(), a.end()).size() == 50);
    CHECK(std::is_sorted(a.begin(), a.end()));
    CHECK(a.back() < 1000);
    CHECK(us::sample_rows(1000, 50, 10) != a);
    CHECK(us::sample_rows(5, 50, 9) == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("segment: choosing k by silhouette finds the planted three", "[segment]") {
    const auto data = blobs({{0, 0}, {10, 0}, {0, 10}}, 200, 4);
    const auto choice = us::choose_k({data.data(), 600, 2}, 2, 6, 300, {.k = 0, .restarts = 2, .max_iterations = 100, .seed = 3, .threads = 1});
    CHECK(choice.k == 3);
    CHECK(choice.sample_rows == 300);
    REQUIRE(choice.candidates.size() == 5);
    CHECK(choice.candidates.front().k == 2);
    CHECK(*choice.silhouette > 0.8);
    CHECK_THROWS_AS(us::choose_k({data.data(), 600, 2}, 1, 6, 300, {}), uplift::UsageError);
    CHECK_THROWS_AS(us::choose_k({data.data(), 600, 2}, 5, 4, 300, {}), uplift::UsageError);
}

TEST_CASE("segment: standardisation, a constant column and missing values", "[segment]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto m = us::standardise({{1, 2, 3, 4}, {5, 5, 5, 5}, {1, nan, 3, nan}, {nan, nan, nan, nan}}, {"a", "c", "m", "empty"});
    REQUIRE(m.rows == 4);
    REQUIRE(m.cols == 4);
    // a: mean 2.5, population sd sqrt(1.25).
    CHECK(m.mean[0] == 2.5);
    CHECK(m.sd[0] == Approx(std::sqrt(1.25)));
    CHECK(m.values[0 * 4 + 0] == Approx(-1.5 / std::sqrt(1.25)));
    // c: constant, so 0 everywhere and listed.
    CHECK(m.sd[1] == 0);
    for (std::size_t i = 0; i < 4; ++i) CHECK(m.values[i * 4 + 1] == 0);
    // m: the mean of the values present (2) fills the gaps, which standardise to 0; the sd counts them as 2s.
    CHECK(m.mean[2] == 2);
    CHECK(m.missing[2] == 2);
    CHECK(m.sd[2] == Approx(std::sqrt(2.0 / 4)));
    CHECK(m.values[1 * 4 + 2] == 0);
    CHECK(m.values[0 * 4 + 2] == Approx(-1 / std::sqrt(0.5)));
    // empty: no value at all is a constant column too.
    CHECK(m.missing[3] == 4);
    CHECK(m.imputed_values() == 6);
    CHECK(m.constant_columns() == std::vector<std::string>{"c", "empty"});
}

TEST_CASE("segment: names from the features, a file's and the flags'", "[segment]") {
    // Cluster of high x (rows 0-1) and of low x (rows 2-3); y is noise-free and equal.
    const auto m = us::standardise({{10, 11, 0, 1}, {1, 1, 1, 1}}, {"x", "y"});
    us::KMeansResult fit;
    fit.k = 2;
    fit.labels = {0, 0, 1, 1};
    fit.sizes = {2, 2};
    const auto names = us::default_names(m, fit);
    CHECK(names == std::vector<std::string>{"high x", "low x"});
    std::vector<uplift::artifacts::ClusterPortrait> portraits(2);
    us::apply_names(portraits, names, {{1, "pragmatists"}});
    CHECK(portraits[0].name == "high x");
    CHECK_FALSE(portraits[0].named);
    CHECK(portraits[1].name == "pragmatists");
    CHECK(portraits[1].named);
    CHECK_THROWS_AS(us::apply_names(portraits, names, {{2, "nobody"}}), uplift::UsageError);
    CHECK_THROWS_AS(us::apply_names(portraits, names, {{0, ""}}), uplift::UsageError);
    CHECK(us::parse_name_flag("0=pragmatists") == std::pair<int, std::string>{0, "pragmatists"});
    CHECK(us::parse_name_flag("1=a=b") == std::pair<int, std::string>{1, "a=b"});
    CHECK_THROWS_AS(us::parse_name_flag("pragmatists"), uplift::UsageError);
    CHECK_THROWS_AS(us::parse_name_flag("x=pragmatists"), uplift::UsageError);
}

TEST_CASE("segment: separation ranks the feature that splits the clusters first", "[segment]") {
    const auto m = us::standardise({{1, 2, 1, 2}, {0, 0, 10, 10}}, {"noise", "split"});
    us::KMeansResult fit;
    fit.k = 2;
    fit.labels = {0, 0, 1, 1};
    fit.sizes = {2, 2};
    const auto s = us::separation(m, fit);
    REQUIRE(s.size() == 2);
    CHECK(s[0].column == "split");
    CHECK(s[0].eta_squared == Approx(1.0));
    CHECK(s[1].eta_squared == Approx(0.0).margin(1e-12));
}
