#pragma once
/// `upliftctl compare`: champion and challenger. The newly trained model (challenger) and the production
/// model (champion) score the same rows, the challenger's holdout, and the challenger replaces the champion
/// unless it is credibly worse by more than a margin (docs/compare.md, "Decision rule"). compare only decides
/// and reports; the pipeline that calls it swaps the models.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/io/session.hpp"
#include "uplift/model/compare_params.hpp"

namespace uplift::model {

struct CompareOptions {
    double margin = compare_params::margin.default_value;
    int bootstrap = compare_params::bootstrap.default_value;
    std::string metric{compare_params::metric.default_value};
    std::vector<double> ks{0.1, 0.3};
    std::vector<std::string> k_labels{"0.1", "0.3"};  ///< how each k is keyed in compare.json
    std::uint64_t seed = 42;
    int threads = 0;  ///< 0: all cores (scoring and the bootstrap); results do not depend on it
};

struct CompareRequest {
    std::filesystem::path champion;  ///< empty: no champion (a first run), the challenger is promoted
    /// A champion folder that does not exist counts as no champion (the first run of a pipeline that always
    /// names its production folder); otherwise it is an IoError.
    bool first_run_ok = false;
    std::filesystem::path challenger;
    std::filesystem::path features;  ///< the rows, with treatment and outcome (the challenger's training file)
    CompareOptions options;
    std::string provenance_json;
};

/// The confidence level of the intervals the decision reads.
inline constexpr double compare_level = 0.95;

/// Loads both bundles, takes the challenger's holdout rows (ids in <challenger>/holdout.parquet) from the
/// features file, scores them with both models and compares them per treated level. uplift@0.3 is added to
/// the ks when --metric uplift_at_30 needs it. Throws ModelError for a bundle that cannot be read, a
/// challenger without a holdout, or a champion that lacks a feature or treated level of the challenger;
/// DataError for holdout ids missing from the features file or a duplicated id there; UsageError for a
/// parameter out of range.
artifacts::Comparison compare_models(io::Session& session, const CompareRequest& request);

/// The decision rule alone (docs/compare.md): Reject when, on some treated level, the upper end of the 95%
/// interval of challenger − champion on `metric` is below −margin; otherwise Promote. Sets decision and reason.
void decide(artifacts::Comparison& c);

/// The short table `compare` prints: per level, both models' metrics and the difference with its interval,
/// then the decision and its reason.
std::string comparison_text(const artifacts::Comparison& c);

}  // namespace uplift::model
