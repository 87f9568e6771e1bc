#pragma once
/// The random control kept inside a plan (optimize --control-share): a seeded share of the planned clients
/// of each offer stays uncontacted, so next month's outcomes can measure what the contacted part delivered
/// (see measure.hpp).

#include <cstdint>
#include <filesystem>
#include <string>
#include <span>
#include <vector>

#include "uplift/artifacts/plan.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/optimize.hpp"

namespace uplift::optimize {

/// How many of an offer's `planned` clients are held out: share·planned rounded to the nearest integer.
std::size_t hold_out_count(std::size_t planned, double share) noexcept;

/// 1 for the held-out clients, 0 for every other client (planned or not); empty when `share` is 0.
/// Stratified by offer: of the clients planned for offer k, exactly hold_out_count of them, a uniform draw
/// without replacement. One generator seeded with `seed` serves the offers in order, in one thread, so the
/// draw is the same at any thread count.
std::vector<std::uint8_t> draw_hold_out(const Instance& instance, std::span<const std::int8_t> choice, double share,
                                        std::uint64_t seed);

/// plan.json's "control" section for a result with a hold-out: the rule, counts per offer, and the forecast for
/// the contacted clients alone (money rounded to 6 decimals). The caller adds the list's file name and the
/// column names, which only it knows.
/// The list's path as plan.json records it: relative to plan.json's folder, so the pair can move together.
std::string plan_file_from(const std::filesystem::path& plan_json, const std::filesystem::path& plan_list);

/// `choice` is the offer of each client in the CRM list (the plan's, or the priority list's) and `held_out` its
/// draw_hold_out over that choice.
artifacts::PlanControl control_record(const Instance& instance, std::span<const std::int8_t> choice,
                                      std::span<const std::uint8_t> held_out, const OptimizeOptions& options);

}  // namespace uplift::optimize
