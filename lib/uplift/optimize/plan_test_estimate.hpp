#pragma once
/// What the plan brings, measured on the randomised test its clients took part in rather than promised by the
/// model: for the planned clients, the AIPW sum of their effects (eval/selection_effect.hpp) in outcome units
/// (extra conversions, or extra outcome for a continuous one) and in money (each client's outcome worth, the
/// basket or the value). Spend stays as planned, so profit = money · margin − spend.
///
/// This is honest only for scores that were not fitted on these clients (out-of-fold or holdout scores):
/// with in-sample scores the residuals are too small and the range too narrow, so callers check how the scores
/// were made first.

#include <cstdint>
#include <optional>
#include <span>

#include "uplift/artifacts/plan.hpp"
#include "uplift/artifacts/scores_info.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/eval/selection_effect.hpp"
#include "uplift/io/table.hpp"
#include "uplift/optimize/instance.hpp"

namespace uplift::optimize {

struct PlanTestEstimate {
    std::int64_t planned = 0;   ///< clients in the plan
    std::int64_t test_rows = 0; ///< scored rows in one of the test's arms (the shares come from them)
    eval::SelectionEffect conversions;  ///< of the planned clients in the test
    eval::SelectionEffect revenue;      ///< the same rows weighted by each client's outcome worth
    double level = 0.95;
};

/// The planned clients' effect measured on the test recorded in `scores` (treatment and outcome columns named
/// by `roles`). Empty when the scores carry no treatment or outcome (clients outside any test), or when no
/// planned client took part in it.
std::optional<PlanTestEstimate> measure_plan(const Instance& instance, std::span<const std::int8_t> choice,
                                             const io::Table& scores, const data::Roles& roles, double level = 0.95);

/// The estimate as plan.json records it; `scored_as` says how the scores were made.
artifacts::PlanTestEstimate test_estimate_record(const PlanTestEstimate& estimate, const std::string& scored_as);

/// The plan's test estimate for plan.json, when the scores allow an honest one: they carry the test's treatment
/// and outcome and say they are out of sample (holdout, out_of_fold or new). In-sample scores, or scores that
/// do not say how they were made, get none, with a warning naming the file to plan on instead. `info` is the
/// scores' origin record (artifacts::load_scores_info), read once by the caller.
std::optional<artifacts::PlanTestEstimate> plan_test_estimate(const Instance& instance,
                                                              std::span<const std::int8_t> choice,
                                                              const io::Table& scores, const std::string& file,
                                                              const data::Roles& roles,
                                                              const std::optional<artifacts::ScoresInfo>& info);

}  // namespace uplift::optimize
