#include "uplift/segment/describe_clusters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace uplift::segment {

namespace {

/// Means of one column per cluster and overall, over the values present, and its standard deviation.
struct ColumnMeans {
    std::vector<std::optional<double>> cluster;
    std::optional<double> overall;
    double sd = 0;
};

ColumnMeans column_means(const io::Column& column, const std::vector<int>& labels, int k) {
    const std::vector<double> v = column.to_doubles();
    std::vector<double> sums(static_cast<std::size_t>(k), 0);
    std::vector<std::int64_t> counts(static_cast<std::size_t>(k), 0);
    double total = 0;
    std::int64_t n = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (std::isnan(v[i])) continue;
        sums[static_cast<std::size_t>(labels[i])] += v[i];
        ++counts[static_cast<std::size_t>(labels[i])];
        total += v[i];
        ++n;
    }
    ColumnMeans out;
    for (std::size_t c = 0; c < sums.size(); ++c) {
        out.cluster.push_back(counts[c] > 0 ? std::optional(sums[c] / static_cast<double>(counts[c])) : std::nullopt);
    }
    if (n == 0) return out;
    out.overall = total / static_cast<double>(n);
    double squares = 0;
    for (const double x : v) {
        if (!std::isnan(x)) squares += (x - *out.overall) * (x - *out.overall);
    }
    out.sd = std::sqrt(squares / static_cast<double>(n));
    return out;
}

artifacts::PortraitFeature feature_of(const std::string& label, const std::string& column, const ColumnMeans& m,
                                      std::size_t cluster) {
    artifacts::PortraitFeature f{.label = label, .column = column, .mean = m.cluster[cluster], .overall_mean = m.overall, .z = 0};
    if (f.mean && f.overall_mean && m.sd > 0) f.z = (*f.mean - *f.overall_mean) / m.sd;
    return f;
}

/// The window in days of a name `prefix<w>d`, or -1.
int window_of(const std::string& name, std::string_view prefix) {
    if (name.size() <= prefix.size() + 1 || name.compare(0, prefix.size(), prefix) != 0 || name.back() != 'd') return -1;
    int w = -1;
    const char* begin = name.data() + prefix.size();
    const char* end = name.data() + name.size() - 1;
    const auto [ptr, ec] = std::from_chars(begin, end, w);
    return ec == std::errc() && ptr == end ? w : -1;
}

std::string longest_window(const io::Table& table, std::string_view prefix) {
    std::string best;
    int best_w = -1;
    for (const auto& c : table.columns()) {
        const int w = c.is_numeric() ? window_of(c.name(), prefix) : -1;
        if (w > best_w) {
            best_w = w;
            best = c.name();
        }
    }
    return best;
}

}  // namespace

std::vector<artifacts::FeatureSeparation> separation(const FeatureMatrix& m, const KMeansResult& fit) {
    const auto k = static_cast<std::size_t>(fit.k);
    const std::vector<double> means = label_means(m, fit);
    std::vector<artifacts::FeatureSeparation> out;
    for (std::size_t j = 0; j < m.cols; ++j) {
        // Standardised columns have mean 0 and variance 1: the between-cluster share is Σ n_c·mean_c² / n.
        double between = 0;
        for (std::size_t c = 0; c < k; ++c) {
            if (fit.sizes[c] == 0) continue;
            const double mean = means[c * m.cols + j];
            between += static_cast<double>(fit.sizes[c]) * mean * mean;
        }
        const double eta = m.sd[j] > 0 && m.rows > 0 ? between / static_cast<double>(m.rows) : 0;
        out.push_back({m.names[j], std::clamp(eta, 0.0, 1.0)});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.eta_squared > b.eta_squared; });
    return out;
}

std::vector<std::pair<std::string, std::string>> profile_columns(const io::Table& table) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto numeric = [&](const std::string& name) {
        const io::Column* c = table.find(name);
        return c != nullptr && c->is_numeric();
    };
    if (numeric("age")) out.emplace_back("age", "age");
    if (auto c = longest_window(table, "avg_check_"); !c.empty()) out.emplace_back("average_check", c);
    if (numeric("frequency_all")) {
        out.emplace_back("frequency", "frequency_all");
    } else if (auto f = longest_window(table, "frequency_"); !f.empty()) {
        out.emplace_back("frequency", f);
    }
    if (auto c = longest_window(table, "points_spent_share_"); !c.empty()) out.emplace_back("discount_affinity", c);
    return out;
}

std::vector<artifacts::ClusterPortrait> describe_clusters(const io::Table& table, const FeatureMatrix& m,
                                                          const KMeansResult& fit,
                                                          const std::vector<artifacts::FeatureSeparation>& sep,
                                                          const RowUplift& uplift) {
    const auto k = static_cast<std::size_t>(fit.k);
    std::vector<artifacts::ClusterPortrait> out(k);
    for (std::size_t c = 0; c < k; ++c) {
        out[c].id = static_cast<int>(c);
        out[c].size = fit.sizes[c];
        out[c].share = m.rows > 0 ? static_cast<double>(fit.sizes[c]) / static_cast<double>(m.rows) : 0;
    }
    for (const auto& [label, column] : profile_columns(table)) {
        const ColumnMeans means = column_means(table.column(column), fit.labels, fit.k);
        for (std::size_t c = 0; c < k; ++c) out[c].profile.push_back(feature_of(label, column, means, c));
    }
    for (std::size_t s = 0; s < sep.size() && s < distinctive_shown; ++s) {
        if (!(sep[s].eta_squared > 0)) break;
        const ColumnMeans means = column_means(table.column(sep[s].column), fit.labels, fit.k);
        for (std::size_t c = 0; c < k; ++c) out[c].distinctive.push_back(feature_of("", sep[s].column, means, c));
    }
    // Product mix: every category column but the catch-all, ranked per cluster by its mean share.
    std::vector<std::pair<std::string, ColumnMeans>> categories;
    for (const auto& col : table.columns()) {
        const std::string& name = col.name();
        if (!col.is_numeric() || name == other_category_column || name.rfind(category_prefix, 0) != 0) continue;
        categories.emplace_back(name, column_means(col, fit.labels, fit.k));
    }
    for (std::size_t c = 0; c < k; ++c) {
        std::vector<artifacts::CategoryShare> shares;
        for (const auto& [name, means] : categories) {
            if (means.cluster[c]) shares.push_back({name.substr(category_prefix.size()), name, *means.cluster[c]});
        }
        std::stable_sort(shares.begin(), shares.end(), [](const auto& a, const auto& b) { return a.share > b.share; });
        if (shares.size() > categories_shown) shares.resize(categories_shown);
        out[c].top_categories = std::move(shares);
    }
    // Mean predicted uplift per offer over the cluster's scored rows; the offer with the highest positive one.
    for (std::size_t o = 0; o < uplift.offers.size(); ++o) {
        std::vector<double> sums(k, 0);
        std::vector<std::int64_t> counts(k, 0);
        const auto& v = uplift.values[o];
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (std::isnan(v[i])) continue;
            sums[static_cast<std::size_t>(fit.labels[i])] += v[i];
            ++counts[static_cast<std::size_t>(fit.labels[i])];
        }
        for (std::size_t c = 0; c < k; ++c) {
            if (o == 0) out[c].scored = counts[c];
            out[c].uplift.push_back(
                {uplift.offers[o], counts[c] > 0 ? std::optional(sums[c] / static_cast<double>(counts[c])) : std::nullopt});
        }
    }
    for (auto& p : out) {
        std::optional<double> best;
        for (const auto& u : p.uplift) {
            if (u.mean_uplift && *u.mean_uplift > 0 && (!best || *u.mean_uplift > *best)) {
                best = u.mean_uplift;
                p.recommended_offer = u.offer;
            }
        }
    }
    return out;
}

}  // namespace uplift::segment
