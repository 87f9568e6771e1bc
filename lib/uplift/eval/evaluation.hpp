#pragma once
/// Every uplift metric of one scored data set, computed from a single ranking of the rows.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/eval/bootstrap.hpp"
#include "uplift/eval/evaluate_params.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/scored_table.hpp"

namespace uplift::eval {

// The evaluation record and its JSON are an artifact (artifacts/evaluation.hpp); this module computes it.
using artifacts::ByStrategy;
using artifacts::Evaluation;
using artifacts::EvaluationOptions;
using artifacts::UpliftAtK;

/// Points kept per curve in an Evaluation.
inline constexpr std::size_t max_curve_points = 200;

/// Computes every metric. Throws uplift::DataError on bad columns (see validate_inputs) and
/// uplift::UsageError on bad options.
Evaluation evaluate(std::span<const double> y, std::span<const std::uint8_t> treatment, std::span<const double> score,
                    const EvaluationOptions& options = {});

/// evaluate() of the rows select_scored_input took from `file`; a DataError names the file (usage errors
/// name their flag already).
Evaluation evaluate(const ScoredInput& input, const std::string& file, const EvaluationOptions& options);

/// The shortest text that reads back as `k` (0.3 -> "0.3").
std::string format_k(double k);

/// A fixed-width summary for a terminal.
std::string to_text_table(const Evaluation& evaluation);

}  // namespace uplift::eval
