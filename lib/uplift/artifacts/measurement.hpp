#pragma once
/// measure.json: what `upliftctl measure` writes (docs/measure.md lists its keys). This file and
/// measurement.cpp are the only places that spell its keys.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

inline constexpr int measurement_format_version = 1;

/// A realised increment of the contacted clients: (mean outcome of the contacted − mean of the held-out)
/// × contacted, its standard error and range, beside what the plan promised for the same clients.
struct RealisedFigure {
    double estimate = 0;
    double low = 0;
    double high = 0;
    double std_error = 0;
    std::optional<double> promised;  ///< the plan's forecast for its contacted clients

    bool operator==(const RealisedFigure&) const = default;
};

/// One offer's (or the whole plan's) measurement.
struct MeasuredGroup {
    std::string offer;  ///< empty for the whole plan
    std::int64_t contacted = 0;          ///< contacted planned clients (what the mean difference is scaled by)
    std::int64_t held_out = 0;
    std::int64_t measured_contacted = 0;  ///< of them, with an outcome
    std::int64_t measured_held_out = 0;
    double mean_contacted = 0;  ///< mean outcome of the measured contacted clients
    double mean_held_out = 0;
    /// The headline: covariate_adjusted when there is one, otherwise difference_of_means (or incremental
    /// outcome for a continuous plan).
    RealisedFigure incremental_conversions;
    std::optional<RealisedFigure> incremental_revenue;  ///< the headline × the plan's value per conversion
    RealisedFigure difference_of_means;                 ///< the plain estimate, always (files before it: the headline)
    std::optional<RealisedFigure> covariate_adjusted;   ///< Lin's regression adjustment, when a covariate was used
    std::optional<double> variance_reduction;           ///< 1 − se²(adjusted) / se²(difference of means)
    std::optional<double> mean_covariate_contacted;     ///< the covariate's mean over the measured contacted clients
    std::optional<double> mean_covariate_held_out;

    bool operator==(const MeasuredGroup&) const = default;
};

struct Measurement {
    int format_version = measurement_format_version;
    std::string method;  ///< the headline's: "covariate_adjusted_lin_hc2" or "difference_of_means_normal"
    std::string adjustment = "off";  ///< measure --adjust: "auto" or "off"
    std::string covariate;           ///< the plan list's column the headline is adjusted for; empty: none
    std::string adjustment_note;     ///< why there is no adjustment (auto without the column); empty otherwise
    double level = 0.95;
    std::string plan;      ///< plan.json as given
    std::string plan_file; ///< the CRM list read
    std::string outcomes;  ///< the outcomes file
    std::string id_column;
    std::string outcome_column;
    std::string outcome_type;  ///< "binary" or "continuous"
    std::optional<double> value_per_conversion;  ///< the plan's flat basket or --value (binary outcomes)
    std::int64_t outcome_rows = 0;
    std::int64_t unknown_ids = 0;         ///< outcome rows whose id is not in the plan's list
    std::int64_t missing_contacted = 0;   ///< contacted planned clients without an outcome
    std::int64_t missing_held_out = 0;    ///< held-out planned clients without an outcome
    MeasuredGroup total;
    std::vector<MeasuredGroup> per_offer;  ///< offers with planned clients, in the plan's order
    /// The plan's own estimate on last campaign's test (plan.json's test_estimate), when it had one: for all
    /// its planned clients, contacted or not.
    std::optional<RealisedFigure> test_estimate_conversions;
    std::string provenance_json;  ///< core's Provenance::to_json, embedded as an object

    bool operator==(const Measurement&) const = default;
};

/// measure.json's text (two-space indent, final newline). Numbers are written as they are in the struct.
std::string to_json(const Measurement& m);

/// Parses measure.json; DataError naming `source` for text that is not one.
Measurement measurement_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
