#pragma once
/// The training rows' distribution of each model input and of the uplift score, stored in model.json under
/// "drift_reference" so that `score` can tell how far this month's clients are from the ones the model learnt
/// on (population stability index per feature, share outside the training range; eval/drift.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

/// One input's reference distribution.
struct DistributionReference {
    std::string name;            ///< the feature column, or "uplift" for the score
    /// "bins": numeric, `cuts` are the inner quantile cut points (ascending; a value v falls in the first bin
    /// whose cut is >= v, the last bin past the last cut). "values": few distinct values (0/1 indicators, small
    /// counts), `cuts` are the values themselves and anything else counts as outside the training range.
    std::string kind = "bins";
    std::vector<double> cuts;
    std::vector<double> shares;  ///< of the non-missing rows per bin or value; sums to 1
    double missing_share = 0;    ///< of all rows
    double min = 0, max = 0;     ///< training range of the non-missing values

    bool operator==(const DistributionReference&) const = default;
};

struct DriftReference {
    std::int64_t rows = 0;                        ///< training rows the features were measured on
    std::string score_rows;                       ///< which rows the score's reference comes from ("holdout", ...)
    std::vector<DistributionReference> features;  ///< in the model's feature order
    std::vector<DistributionReference> score;     ///< empty or one: the "uplift" column

    bool operator==(const DriftReference&) const = default;
};

/// How one input drifted, at score time.
struct InputDrift {
    std::string name;
    double psi = 0;
    double outside_share = 0;            ///< of the non-missing rows: below the training minimum, above its
                                         ///< maximum, or (for "values") a value never seen
    double missing_share = 0;            ///< of the scored rows
    double reference_missing_share = 0;  ///< of the training rows

    bool operator==(const InputDrift&) const = default;
};

/// The drift of a scored file against its model's reference: stored with the scores as "upliftctl.drift".
struct DriftReport {
    std::int64_t rows = 0;               ///< rows scored
    std::int64_t reference_rows = 0;     ///< training rows of the reference
    std::vector<InputDrift> features;    ///< largest PSI first
    std::optional<InputDrift> score;     ///< the uplift score's

    bool operator==(const DriftReport&) const = default;
};

/// The metadata key of a scores file's drift report.
inline constexpr const char* drift_metadata_key = "upliftctl.drift";

json_fields::Json to_json_value(const DriftReference& reference);
std::string to_json(const DriftReport& report);
/// Throws DataError naming `source` for text that is not a drift report.
DriftReport drift_report_from_json(std::string_view text, const std::string& source);
/// Throws DataError naming `source` and the key for a malformed record.
DriftReference drift_reference_from(const json_fields::Reader& r);

}  // namespace uplift::artifacts
