#include "uplift/optimize/plan_test_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/log.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

std::optional<PlanTestEstimate> measure_plan(const Instance& instance, std::span<const std::int8_t> choice,
                                             const io::Table& scores, const data::Roles& roles, double level) {
    const io::Column* treatment = roles.treatment.empty() ? nullptr : scores.find(roles.treatment);
    const io::Column* outcome = roles.outcome.empty() ? nullptr : scores.find(roles.outcome);
    if (treatment == nullptr || outcome == nullptr || !outcome->is_numeric()) return std::nullopt;
    // The test's arms: 0 control, j the j-th treated level of the roles; -1 a row outside the test.
    const auto& levels = roles.treatment_levels;
    const auto level_arm = [&](const std::string& text) {
        if (text == roles.control) return 0;
        const auto it = std::find(levels.begin(), levels.end(), text);
        return it == levels.end() ? -1 : static_cast<int>(it - levels.begin()) + 1;
    };
    const auto texts = treatment->to_texts();  // a CSV reader may have typed 0/1 levels as numbers
    const auto y = outcome->to_doubles();
    std::vector<int> arm(instance.clients, -1);
    std::vector<double> count(levels.size() + 1, 0.0);
    double in_test = 0;
    for (std::size_t i = 0; i < instance.clients; ++i) {
        if (!treatment->is_valid(i) || std::isnan(y[i])) continue;
        arm[i] = level_arm(texts[i]);
        if (arm[i] < 0) continue;
        count[static_cast<std::size_t>(arm[i])] += 1;
        in_test += 1;
    }
    if (in_test == 0) return std::nullopt;
    std::vector<double> shares(count.size());
    for (std::size_t j = 0; j < count.size(); ++j) shares[j] = count[j] / in_test;

    PlanTestEstimate out;
    out.level = level;
    out.test_rows = static_cast<std::int64_t>(in_test);
    std::vector<eval::SelectionRow> units, money;
    const std::size_t k_count = instance.num_offers();
    for (std::size_t i = 0; i < instance.clients; ++i) {
        if (choice[i] < 0) continue;
        ++out.planned;
        if (arm[i] < 0) continue;  // not in the test: nothing measured, the model's word is not a measurement
        const auto k = static_cast<std::size_t>(choice[i]);
        const int offer_arm = level_arm(instance.offers[k].level);
        eval::SelectionRow r{y[i], arm[i], offer_arm, instance.p0[i], instance.pt[i * k_count + k], 1.0};
        units.push_back(r);
        r.weight = instance.scale_of(i);
        money.push_back(r);
    }
    if (units.empty()) return std::nullopt;
    out.conversions = eval::selection_effect(units, shares, level);
    out.revenue = eval::selection_effect(money, shares, level);
    return out;
}

namespace {

artifacts::MeasuredFigure measured(const eval::SelectionEffect& e) {
    return {round6(e.estimate), round6(e.range.low), round6(e.range.high), round6(e.std_error),
            round6(e.model_forecast)};
}

}  // namespace

artifacts::PlanTestEstimate test_estimate_record(const PlanTestEstimate& estimate, const std::string& scored_as) {
    artifacts::PlanTestEstimate r;
    r.scored_as = scored_as;
    r.method = "aipw";
    r.level = estimate.level;
    r.planned = estimate.planned;
    r.measured = estimate.conversions.clients;
    r.treated = estimate.conversions.treated;
    r.control = estimate.conversions.control;
    r.test_rows = estimate.test_rows;
    r.incremental_conversions = measured(estimate.conversions);
    r.incremental_revenue = measured(estimate.revenue);
    return r;
}

std::optional<artifacts::PlanTestEstimate> plan_test_estimate(const Instance& instance,
                                                              std::span<const std::int8_t> choice,
                                                              const io::Table& scores, const std::string& file,
                                                              const data::Roles& roles,
                                                              const std::optional<artifacts::ScoresInfo>& info) {
    const auto measured = measure_plan(instance, choice, scores, roles);
    if (!measured) return std::nullopt;
    if (!info || !artifacts::out_of_sample(info->scored_as)) {
        log::warn("'{}' {}: the plan's figures are the model's forecast, not measured on the test; plan on the "
                  "model folder's out_of_fold.parquet (every campaign client, cross-fitted) for figures the test "
                  "confirms",
                  file, info ? "holds in-sample scores (the model was fitted on these rows)"
                             : "does not say how it was scored");
        return std::nullopt;
    }
    return test_estimate_record(*measured, std::string(artifacts::to_string(info->scored_as)));
}

}  // namespace uplift::optimize
