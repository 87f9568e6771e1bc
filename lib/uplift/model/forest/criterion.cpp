#include "uplift/model/forest/criterion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::model::forest {

namespace {

constexpr double clip_eps = 1e-6;

double clip(double q) { return std::clamp(q, clip_eps, 1.0 - clip_eps); }

/// Gini impurity of a two-valued distribution (p, 1 − p).
double gini(double p) { return 2.0 * p * (1.0 - p); }

/// Squared (Euclidean) distance of Bernoulli(p) from Bernoulli(q), summed over both outcomes.
double binary_ed(double p, double q) { return 2.0 * (p - q) * (p - q); }

/// Chi-square divergence of Bernoulli(p) from Bernoulli(q), q clipped like the KL's.
double binary_chi(double p, double q) {
    const double c = clip(q);
    const double d = (p - q) * (p - q);
    return d / c + d / (1.0 - c);
}

double divergence(Criterion c, double p, double q) {
    switch (c) {
    case Criterion::KL: return binary_kl(p, q);
    case Criterion::ED: return binary_ed(p, q);
    case Criterion::Chi: return binary_chi(p, q);
    default: return 0.0;
    }
}

/// The node's score for kl, ed, chi (mean divergence of the treated arms from control: the paper's
/// multiple-treatment divergence with α = 1 and equal weights λ = 1/k) and for mse (mean squared uplift).
double node_score(Criterion c, std::span<const double> mean) {
    const std::size_t k = mean.size() - 1;
    double d = 0.0;
    for (std::size_t t = 1; t <= k; ++t) {
        d += c == Criterion::MSE ? (mean[t] - mean[0]) * (mean[t] - mean[0]) : divergence(c, mean[t], mean[0]);
    }
    return d / static_cast<double>(k);
}

double total(std::span<const ArmSum> arms) {
    double n = 0.0;
    for (const auto& a : arms) n += a.n;
    return n;
}

/// Rzepakowski & Jaroszewicz's normalisation of the split (I for kl, J for ed and chi): it penalises splits
/// that send treated and control rows to the children in different shares, and splits with unbalanced
/// children. Always >= 1/2.
double normalisation(Criterion c, const SplitCandidate& s) {
    const std::size_t arms = s.node.size();
    double n = 0.0, n_treated = 0.0, left_treated = 0.0;
    for (std::size_t a = 0; a < arms; ++a) {
        n += s.node[a].n;
        if (a > 0) {
            n_treated += s.node[a].n;
            left_treated += s.left[a].n;
        }
    }
    const auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
    const double left_control = share(s.left[0].n, s.node[0].n);
    const double treated_share = share(n_treated, n);
    const double left_all_treated = share(left_treated, n_treated);
    // The impurity of a two-valued distribution: entropy for kl, Gini for ed and chi.
    const auto impurity = [c](double p) { return c == Criterion::KL ? binary_entropy(p) : gini(p); };
    double norm = impurity(treated_share) * divergence(c, left_all_treated, left_control);
    for (std::size_t a = 1; a < arms; ++a) norm += share(s.node[a].n, n) * impurity(share(s.left[a].n, s.node[a].n));
    norm += share(s.node[0].n, n) * impurity(left_control);
    return norm + 0.5;
}

double max_of(std::span<const double> v) { return *std::max_element(v.begin(), v.end()); }

}  // namespace

std::string to_string(Criterion criterion) {
    switch (criterion) {
    case Criterion::KL: return "kl";
    case Criterion::ED: return "ed";
    case Criterion::Chi: return "chi";
    case Criterion::CTS: return "cts";
    case Criterion::DDP: return "ddp";
    case Criterion::MSE: return "mse";
    }
    return "kl";
}

Criterion criterion_from_string(const std::string& text) {
    for (Criterion c : {Criterion::KL, Criterion::ED, Criterion::Chi, Criterion::CTS, Criterion::DDP, Criterion::MSE}) {
        if (to_string(c) == text) return c;
    }
    throw UsageError(fmt::format("criterion '{}' is unknown; use kl, ed, chi, cts, ddp or mse", text));
}

bool needs_binary_outcome(Criterion criterion) {
    return criterion == Criterion::KL || criterion == Criterion::ED || criterion == Criterion::Chi;
}

double child_mean(ArmSum arm, double parent_mean, const Shrinkage& shrinkage) {
    if (arm.n <= shrinkage.min_samples_treatment) return parent_mean;
    return (arm.sum + shrinkage.n_reg * parent_mean) / (arm.n + shrinkage.n_reg);
}

double binary_kl(double p, double q) {
    const double c = clip(q);
    double d = 0.0;
    if (p > 0.0) d += p * std::log(p / c);
    if (p < 1.0) d += (1.0 - p) * std::log((1.0 - p) / (1.0 - c));
    return d;
}

double binary_entropy(double p) {
    double h = 0.0;
    if (p > 0.0) h -= p * std::log(p);
    if (p < 1.0) h -= (1.0 - p) * std::log(1.0 - p);
    return h;
}

double split_gain(Criterion criterion, const SplitCandidate& s, double to_beat) {
    const double n_left = total(s.left), n_right = total(s.right);
    const double n = n_left + n_right;
    const double w_left = n_left / n, w_right = n_right / n;
    switch (criterion) {
    case Criterion::KL:
    case Criterion::ED:
    case Criterion::Chi: {
        const double raw = w_left * node_score(criterion, s.left_mean) + w_right * node_score(criterion, s.right_mean) -
                           node_score(criterion, s.node_mean);
        if (2.0 * raw <= to_beat) return raw;  // the normalisation is >= 1/2: raw / norm <= 2 · raw
        return raw / normalisation(criterion, s);
    }
    case Criterion::CTS: return w_left * max_of(s.left_mean) + w_right * max_of(s.right_mean) - max_of(s.node_mean);
    case Criterion::DDP:
        return std::abs((s.left_mean[1] - s.left_mean[0]) - (s.right_mean[1] - s.right_mean[0]));
    case Criterion::MSE:
        return w_left * node_score(criterion, s.left_mean) + w_right * node_score(criterion, s.right_mean) -
               node_score(criterion, s.node_mean);
    }
    return 0.0;
}

}  // namespace uplift::model::forest
