#include "uplift/segment/kmeans.hpp"

#include <fmt/format.h>

#include <Eigen/Core>

#include <algorithm>
#include <limits>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/core/random.hpp"

namespace uplift::segment {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRow = Eigen::Map<const Eigen::RowVectorXd>;

/// Restart r's own stream: the seeds of two restarts (and of two --seed values) never share draws.
std::uint64_t restart_seed(std::uint64_t seed, int restart) {
    return seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(restart + 1);
}

std::size_t part_count(std::size_t rows) { return (rows + kmeans_part_rows - 1) / kmeans_part_rows; }

template <class Body>
void for_each_row_part(std::size_t rows, std::size_t threads, const Body& body) {
    const std::size_t parts = part_count(rows);
    for_each_part(parts, threads, [&](std::size_t part) {
        const std::size_t begin = part * kmeans_part_rows;
        body(part, begin, std::min(rows, begin + kmeans_part_rows));
    });
}

/// The nearest centre of `x` (ties: the lower index) and its squared distance.
std::pair<int, double> nearest(const double* x, std::size_t cols, const RowMatrix& centres) {
    const ConstRow row(x, static_cast<Eigen::Index>(cols));
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (Eigen::Index c = 0; c < centres.rows(); ++c) {
        const double d = (centres.row(c) - row).squaredNorm();
        if (d < best_d) {
            best_d = d;
            best = static_cast<int>(c);
        }
    }
    return {best, best_d};
}

void set_centre(RowMatrix& centres, int c, MatrixView m, std::size_t row) {
    centres.row(c) = ConstRow(m.row(row), static_cast<Eigen::Index>(m.cols));
}

/// k-means++ (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one with probability
/// proportional to the squared distance to the nearest centre chosen so far.
RowMatrix seed_centres(MatrixView m, int k, Rng& rng, std::size_t threads) {
    RowMatrix centres(k, static_cast<Eigen::Index>(m.cols));
    set_centre(centres, 0, m, static_cast<std::size_t>(rng.below(m.rows)));
    std::vector<double> d2(m.rows);
    const auto update = [&](int c) {
        for_each_row_part(m.rows, threads, [&](std::size_t, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const double d = (centres.row(c) - ConstRow(m.row(i), centres.cols())).squaredNorm();
                d2[i] = c == 0 ? d : std::min(d2[i], d);
            }
        });
    };
    update(0);
    for (int c = 1; c < k; ++c) {
        // One serial pass in row order: the total, and the draw's row, are the same at any thread count.
        const double total = std::accumulate(d2.begin(), d2.end(), 0.0);
        std::size_t pick = 0;
        if (!(total > 0)) {
            pick = static_cast<std::size_t>(rng.below(m.rows));  // every row sits on a centre already
        } else {
            const double target = rng.uniform01() * total;
            double cumulative = 0;
            pick = m.rows;
            std::size_t last_positive = 0;
            for (std::size_t i = 0; i < m.rows; ++i) {
                if (d2[i] <= 0) continue;
                last_positive = i;
                cumulative += d2[i];
                if (cumulative > target) {
                    pick = i;
                    break;
                }
            }
            if (pick == m.rows) pick = last_positive;  // rounding left the target past the last sum
        }
        set_centre(centres, c, m, pick);
        update(c);
    }
    return centres;
}

/// One part's share of an assignment step.
struct PartSums {
    RowMatrix sums;
    std::vector<std::int64_t> counts;
    double inertia = 0;
    std::size_t changed = 0;
};

struct Run {
    RowMatrix centres;
    std::vector<int> labels;
    double inertia = 0;
    int iterations = 0;
};

Run lloyd(MatrixView m, int k, Rng& rng, int max_iterations, std::size_t threads) {
    Run run;
    run.centres = seed_centres(m, k, rng, threads);
    run.labels.assign(m.rows, -1);
    std::vector<double> dist(m.rows, 0);
    std::vector<PartSums> parts(part_count(m.rows));
    const auto cols = static_cast<Eigen::Index>(m.cols);
    for (int iteration = 0;; ++iteration) {
        for_each_row_part(m.rows, threads, [&](std::size_t part, std::size_t begin, std::size_t end) {
            PartSums& p = parts[part];
            p.sums.setZero(k, cols);
            p.counts.assign(static_cast<std::size_t>(k), 0);
            // Scalars summed in locals: neighbouring parts' PartSums share cache lines.
            double inertia = 0;
            std::size_t changed = 0;
            for (std::size_t i = begin; i < end; ++i) {
                const auto [c, d] = nearest(m.row(i), m.cols, run.centres);
                if (run.labels[i] != c) ++changed;
                run.labels[i] = c;
                dist[i] = d;
                inertia += d;
                p.sums.row(c) += ConstRow(m.row(i), cols);
                ++p.counts[static_cast<std::size_t>(c)];
            }
            p.inertia = inertia;
            p.changed = changed;
        });
        RowMatrix sums = RowMatrix::Zero(k, cols);
        std::vector<std::int64_t> counts(static_cast<std::size_t>(k), 0);
        double inertia = 0;
        std::size_t changed = 0;
        for (const PartSums& p : parts) {  // in part order
            sums += p.sums;
            for (int c = 0; c < k; ++c) counts[static_cast<std::size_t>(c)] += p.counts[static_cast<std::size_t>(c)];
            inertia += p.inertia;
            changed += p.changed;
        }
        run.inertia = inertia;
        run.iterations = iteration;
        // Converged when (almost) no row moves: the last moves of a large k on overlapping groups shuffle a
        // handful of border rows back and forth and change no portrait.
        if (static_cast<double>(changed) <= kmeans_converged_share * static_cast<double>(m.rows) ||
            iteration >= max_iterations) {
            break;
        }
        for (int c = 0; c < k; ++c) {
            const auto n = counts[static_cast<std::size_t>(c)];
            if (n > 0) {
                run.centres.row(c) = sums.row(c) / static_cast<double>(n);
                continue;
            }
            // An empty cluster takes the row worst served by its centre (ties: the first such row).
            const auto far = static_cast<std::size_t>(std::max_element(dist.begin(), dist.end()) - dist.begin());
            set_centre(run.centres, c, m, far);
            dist[far] = -1;
        }
    }
    return run;
}

/// Cluster ids by size, largest first (ties: the cluster whose first row comes first), so that id 0 is the
/// largest and reruns that find the same clusters number them alike.
void order_by_size(KMeansResult& r, const RowMatrix& centres) {
    const auto k = static_cast<std::size_t>(r.k);
    std::vector<std::int64_t> sizes(k, 0);
    std::vector<std::size_t> first(k, r.labels.size());
    for (std::size_t i = 0; i < r.labels.size(); ++i) {
        const auto c = static_cast<std::size_t>(r.labels[i]);
        ++sizes[c];
        first[c] = std::min(first[c], i);
    }
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sizes[a] != sizes[b] ? sizes[a] > sizes[b] : first[a] < first[b];
    });
    std::vector<int> new_id(k);
    for (std::size_t pos = 0; pos < k; ++pos) new_id[order[pos]] = static_cast<int>(pos);
    for (auto& label : r.labels) label = new_id[static_cast<std::size_t>(label)];
    const std::size_t cols = static_cast<std::size_t>(centres.cols());
    r.centres.assign(k * cols, 0);
    r.sizes.assign(k, 0);
    for (std::size_t old = 0; old < k; ++old) {
        const auto pos = static_cast<std::size_t>(new_id[old]);
        r.sizes[pos] = sizes[old];
        for (std::size_t j = 0; j < cols; ++j) {
            r.centres[pos * cols + j] = centres(static_cast<Eigen::Index>(old), static_cast<Eigen::Index>(j));
        }
    }
}

}  // namespace

KMeansResult kmeans(MatrixView m, const KMeansOptions& o) {
    if (o.k < 1) throw UsageError(fmt::format("k-means: k must be at least 1, not {}", o.k));
    if (static_cast<std::size_t>(o.k) > m.rows) {
        throw UsageError(fmt::format("k-means: k = {} clusters need at least {} rows; there are {}", o.k, o.k, m.rows));
    }
    if (o.restarts < 1) throw UsageError(fmt::format("--restarts must be at least 1, not {}", o.restarts));
    if (o.max_iterations < 1) throw UsageError(fmt::format("--max-iter must be at least 1, not {}", o.max_iterations));
    const std::size_t threads = thread_limit(o.threads);
    Run best;
    for (int r = 0; r < o.restarts; ++r) {
        Rng rng(restart_seed(o.seed, r));
        Run run = lloyd(m, o.k, rng, o.max_iterations, threads);
        if (r == 0 || run.inertia < best.inertia) best = std::move(run);  // ties: the earlier restart
    }
    KMeansResult result;
    result.k = o.k;
    result.labels = std::move(best.labels);
    result.inertia = best.inertia;
    result.iterations = best.iterations;
    order_by_size(result, best.centres);
    return result;
}

std::vector<double> label_means(const FeatureMatrix& m, const KMeansResult& fit) {
    const auto k = static_cast<std::size_t>(fit.k);
    std::vector<double> means(k * m.cols, 0);
    for (std::size_t i = 0; i < m.rows; ++i) {
        const auto c = static_cast<std::size_t>(fit.labels[i]);
        for (std::size_t j = 0; j < m.cols; ++j) means[c * m.cols + j] += m.values[i * m.cols + j];
    }
    for (std::size_t c = 0; c < k; ++c) {
        if (fit.sizes[c] == 0) continue;
        for (std::size_t j = 0; j < m.cols; ++j) means[c * m.cols + j] /= static_cast<double>(fit.sizes[c]);
    }
    return means;
}

}  // namespace uplift::segment
