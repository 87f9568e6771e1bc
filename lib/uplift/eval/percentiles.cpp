// Uplift by percentile bins of the ranking, and the weighted average uplift built on it.

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "uplift/eval/metrics.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct GroupSums {
    std::int64_t n_t = 0;
    std::int64_t n_c = 0;
    double y_t = 0.0;
    double y_c = 0.0;
};

// numpy.array_split: bin b spans [bounds[b], bounds[b+1]), the first count % bins bins one longer.
std::vector<std::size_t> split_bounds(std::size_t count, std::size_t bins) {
    std::vector<std::size_t> bounds(bins + 1, 0);
    const std::size_t base = count / bins;
    const std::size_t extra = count % bins;
    for (std::size_t b = 0; b < bins; ++b) bounds[b + 1] = bounds[b] + base + (b < extra ? 1 : 0);
    return bounds;
}

std::vector<GroupSums> overall_bins(const RankedScores& ranked, std::size_t bins) {
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    const auto bounds = split_bounds(ranked.size(), bins);
    std::vector<GroupSums> sums(bins);
    for (std::size_t b = 0; b < bins; ++b) {
        std::int64_t n_t = 0;
        double y_t = 0.0;
        double y_c = 0.0;
        // Branch-free: adding an exact 0.0 for the other group leaves each sum bit-identical.
        for (std::size_t i = bounds[b]; i < bounds[b + 1]; ++i) {
            const double treated = t[i];
            n_t += t[i];
            y_t += treated * y[i];
            y_c += (1.0 - treated) * y[i];
        }
        sums[b] = GroupSums{n_t, static_cast<std::int64_t>(bounds[b + 1] - bounds[b]) - n_t, y_t, y_c};
    }
    return sums;
}

// Each group is split into bins on its own, following the shared ranking. Group-indexed arrays
// instead of a branch on the (random) treatment flag.
std::vector<GroupSums> by_group_bins(const RankedScores& ranked, std::size_t bins) {
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    const std::array<std::vector<std::size_t>, 2> bounds{split_bounds(static_cast<std::size_t>(ranked.n_control()), bins),
                                                         split_bounds(static_cast<std::size_t>(ranked.n_treatment()), bins)};
    std::array<std::vector<double>, 2> sum{std::vector<double>(bins, 0.0), std::vector<double>(bins, 0.0)};
    std::array<std::size_t, 2> seen{};
    std::array<std::size_t, 2> bin{};
    for (std::size_t i = 0; i < y.size(); ++i) {
        const std::size_t g = t[i];
        while (seen[g] >= bounds[g][bin[g] + 1]) ++bin[g];
        sum[g][bin[g]] += y[i];
        ++seen[g];
    }
    std::vector<GroupSums> sums(bins);
    for (std::size_t b = 0; b < bins; ++b) {
        sums[b] = GroupSums{static_cast<std::int64_t>(bounds[1][b + 1] - bounds[1][b]),
                            static_cast<std::int64_t>(bounds[0][b + 1] - bounds[0][b]), sum[1][b], sum[0][b]};
    }
    return sums;
}

std::optional<double> finite_or_none(double value) {
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

PercentileRow make_row(std::string label, const GroupSums& s, bool with_std) {
    const double n_t = static_cast<double>(s.n_t);
    const double n_c = static_cast<double>(s.n_c);
    const double rate_t = s.n_t > 0 ? s.y_t / n_t : nan;
    const double rate_c = s.n_c > 0 ? s.y_c / n_c : nan;
    PercentileRow row;
    row.percentile = std::move(label);
    row.n_treatment = s.n_t;
    row.n_control = s.n_c;
    row.response_rate_treatment = finite_or_none(rate_t);
    row.response_rate_control = finite_or_none(rate_c);
    row.uplift = finite_or_none(rate_t - rate_c);
    row.treatment_share = s.n_t + s.n_c > 0 ? n_t / (n_t + n_c) : nan;
    if (with_std) {
        // scikit-uplift's binomial variance p * ((1 - p) / n), in its operation order.
        const double var_t = rate_t * ((1.0 - rate_t) / n_t);
        const double var_c = rate_c * ((1.0 - rate_c) / n_c);
        row.std_treatment = finite_or_none(std::sqrt(var_t));
        row.std_control = finite_or_none(std::sqrt(var_c));
        row.std_uplift = finite_or_none(std::sqrt(var_t + var_c));
    }
    return row;
}

// Python's round(): halves go to the even neighbour.
long long round_half_even(double v) {
    const double floor_v = std::floor(v);
    const double diff = v - floor_v;
    auto r = static_cast<long long>(floor_v);
    if (diff > 0.5 || (diff == 0.5 && r % 2 != 0)) ++r;
    return r;
}

std::vector<std::string> percentile_labels(int bins) {
    std::vector<std::string> labels;
    labels.reserve(static_cast<std::size_t>(bins));
    long long previous = 0;
    for (int p = 1; p <= bins; ++p) {
        const long long edge = round_half_even(static_cast<double>(p * 100) / static_cast<double>(bins));
        labels.push_back(fmt::format("{}-{}", previous, edge));
        previous = edge;
    }
    return labels;
}

}  // namespace

std::vector<PercentileRow> uplift_by_percentile(const RankedScores& ranked, int bins, Strategy strategy) {
    validate_bins(bins, ranked.size());
    const auto count = static_cast<std::size_t>(bins);
    const auto sums = strategy == Strategy::Overall ? overall_bins(ranked, count) : by_group_bins(ranked, count);
    const auto labels = percentile_labels(bins);

    std::vector<PercentileRow> rows;
    rows.reserve(count + 1);
    GroupSums total;
    for (std::size_t b = 0; b < count; ++b) {
        rows.push_back(make_row(labels[b], sums[b], true));
        total.n_t += sums[b].n_t;
        total.n_c += sums[b].n_c;
    }
    // The total row sums the groups in rank order, like one bin over everything.
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    for (std::size_t i = 0; i < y.size(); ++i) (t[i] != 0 ? total.y_t : total.y_c) += y[i];
    rows.push_back(make_row("total", total, false));
    return rows;
}

std::vector<PercentileRow> uplift_by_percentile(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                                std::span<const double> score, int bins, Strategy strategy) {
    return uplift_by_percentile(RankedScores(y, treatment, score), bins, strategy);
}

std::optional<double> weighted_average_uplift(std::span<const PercentileRow> rows) {
    double weighted = 0.0;
    double weight = 0.0;
    for (const PercentileRow& row : rows) {
        if (row.percentile == "total") continue;
        // One empty group anywhere makes numpy's dot product NaN, even at weight 0.
        if (!row.uplift) return std::nullopt;
        weighted += static_cast<double>(row.n_treatment) * *row.uplift;
        weight += static_cast<double>(row.n_treatment);
    }
    return finite_or_none(weighted / weight);
}

std::optional<double> weighted_average_uplift(const RankedScores& ranked, int bins, Strategy strategy) {
    return weighted_average_uplift(uplift_by_percentile(ranked, bins, strategy));
}

std::optional<double> weighted_average_uplift(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                              std::span<const double> score, int bins, Strategy strategy) {
    return weighted_average_uplift(uplift_by_percentile(y, treatment, score, bins, strategy));
}

}  // namespace uplift::eval
