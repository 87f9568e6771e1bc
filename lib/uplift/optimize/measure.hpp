#pragma once
/// `upliftctl measure`: what a plan with a hold-out (hold_out.hpp) delivered, from the realised outcomes of its
/// clients. Planned clients were split at random, per offer, into contacted and held out, so within an offer
/// the difference of their mean outcomes estimates the offer's mean effect on the contacted clients; times the
/// number contacted, it is the plan's realised incremental conversions.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "uplift/artifacts/measurement.hpp"
#include "uplift/io/session.hpp"

namespace uplift::optimize {

/// Fewer measured clients than this in a group (contacted or held out) of an offer is a DataError: a range
/// from a handful of outcomes would be noise dressed as a number.
inline constexpr std::int64_t min_measured_per_group = 10;

/// Two-sided normal quantile of the 95% range.
inline constexpr double z95 = 1.959963984540054;

/// (mean(contacted) − mean(held_out)) × scale, with the standard error scale·√(s²_c/n_c + s²_h/n_h) of Welch
/// (sample variances with n − 1) and the normal range estimate ± z·se. Needs at least 2 values in each group
/// (UsageError otherwise: the caller checks first).
artifacts::RealisedFigure difference_of_means(std::span<const double> contacted, std::span<const double> held_out,
                                              double scale, double z = z95);

/// `measure --adjust`: auto adjusts for the plan list's baseline_outcome column when it has one; off keeps the
/// plain difference of means as the headline.
enum class Adjustment { Auto, Off };

/// "auto" or "off"; UsageError naming --adjust otherwise.
Adjustment parse_adjustment(std::string_view text);

struct MeasureRequest {
    std::filesystem::path plan_json;
    std::filesystem::path outcomes;
    std::filesystem::path plan_list;  ///< empty: the list plan.json names (control.plan_file, beside it)
    std::string id_column;            ///< in the outcomes; empty: the plan's id column
    std::string outcome_column;       ///< in the outcomes; empty: the plan's recorded outcome role
    Adjustment adjustment = Adjustment::Auto;
    std::string provenance_json;
};

/// Reads the plan, its list and the outcomes and measures the plan: the difference of means per offer and, with
/// a covariate (Adjustment::Auto and a list with baseline_outcome), Lin's adjusted difference as the headline
/// (covariate_adjustment.hpp). Throws DataError for a plan without a
/// hold-out, a missing column, an outcome that is null, not a number or (binary plans) not 0 or 1, a duplicated
/// id, or an offer with fewer than min_measured_per_group measured clients in a group; IoError for an
/// unreadable file.
artifacts::Measurement measure_plan(io::Session& session, const MeasureRequest& request);

/// The short summary `measure` prints: realised vs promised, in total and per offer, and the id counts.
std::string measure_text(const artifacts::Measurement& m);

/// What the headline is, in words, for the summary's first line.
std::string method_text(const artifacts::Measurement& m);

}  // namespace uplift::optimize
