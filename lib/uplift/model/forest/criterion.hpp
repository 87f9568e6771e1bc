#pragma once
/// Split criteria of the uplift forest: how much better a split of a node into two children separates the
/// arms' outcomes than the node itself. Every criterion reads per-arm counts and outcome sums only, so the
/// split search runs on histograms.
///
///   kl, ed, chi – Rzepakowski & Jaroszewicz (2012): the gain in divergence of each treated arm's outcome
///                 distribution from control's, D(split) − D(node), divided by their normalisation
///                 (I for kl, J for ed and chi). Binary outcomes.
///   cts         – Zhao et al. (2017), contextual treatment selection: the gain in the best arm's expected outcome.
///   ddp         – Hansotia & Rukstales (2002): |uplift(left) − uplift(right)|; one treated level only.
///   mse         – the squared uplift, weighted by the children's shares: the adaptive causal-tree criterion of
///                 Athey & Imbens (2016), i.e. the drop in the estimated MSE of the effect. Any outcome.
/// Children's means are shrunk toward the node's with n_reg (see child_mean). docs/forest.md has the formulas.

#include <span>
#include <string>

namespace uplift::model::forest {

enum class Criterion { KL, ED, Chi, CTS, DDP, MSE };

std::string to_string(Criterion criterion);
/// "kl", "ed", "chi", "cts", "ddp" or "mse"; UsageError otherwise.
Criterion criterion_from_string(const std::string& text);
/// kl, ed and chi compare outcome distributions of a 0/1 outcome.
bool needs_binary_outcome(Criterion criterion);

/// Count and outcome sum of one arm's rows in a node.
struct ArmSum {
    double n = 0;
    double sum = 0;
};

/// How children's per-arm means are estimated from few rows.
struct Shrinkage {
    double n_reg = 10;              ///< pseudo-rows of the parent's mean added to a child's arm
    int min_samples_treatment = 10; ///< an arm with this many rows or fewer takes the parent's mean
};

/// An arm's mean in a child: (sum + n_reg · parent_mean) / (n + n_reg) when it has more than
/// min_samples_treatment rows, else the parent's mean (Rzepakowski & Jaroszewicz's regularisation).
double child_mean(ArmSum arm, double parent_mean, const Shrinkage& shrinkage);

/// One candidate split of a node, per arm (0 = control): the node's counts and its own (already shrunk)
/// means, the children's counts and means.
struct SplitCandidate {
    std::span<const ArmSum> node, left, right;
    std::span<const double> node_mean, left_mean, right_mean;
};

/// The criterion's gain of the split; larger is better, and a split is only made when it is positive.
/// `to_beat`: a gain the caller already has; a normalised criterion may return early with a value <= to_beat
/// when the normalisation (always >= 1/2) cannot lift the gain above it.
double split_gain(Criterion criterion, const SplitCandidate& split, double to_beat = 0.0);

/// Binary KL divergence of Bernoulli(p) from Bernoulli(q), q clipped to [1e-6, 1 − 1e-6]; natural log.
double binary_kl(double p, double q);
/// Binary entropy of p in nats.
double binary_entropy(double p);

}  // namespace uplift::model::forest
