#pragma once
/// Names for the clusters: the user's (a small JSON file {"0": "pragmatists", …} and --name 0=pragmatists
/// flags, the flags winning), else one made from the cluster's most distinctive features ("high
/// frequency_all, low recency_days"): the two clustered features whose cluster mean lies furthest from the
/// overall mean, in standard deviations.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/segment/feature_matrix.hpp"
#include "uplift/segment/kmeans.hpp"

namespace uplift::segment {

/// A feature counts towards a default name only when its cluster mean is at least this many standard
/// deviations from the overall mean; a cluster with none is "typical".
inline constexpr double name_min_z = 0.25;

/// Generated names, one per cluster by id; a name another cluster already has gets " (2)", " (3)", ….
std::vector<std::string> default_names(const FeatureMatrix& m, const KMeansResult& fit);

/// The names of a names file: {"0": "pragmatists", ...}. IoError when it cannot be read, DataError when it
/// is not an object of text values keyed by cluster ids.
std::map<int, std::string> read_names_file(const std::filesystem::path& path);

/// "0=pragmatists" → {0, "pragmatists"}; UsageError naming --name otherwise.
std::pair<int, std::string> parse_name_flag(const std::string& text);

/// Gives each portrait its name: `given` where it names the cluster, else `defaults`. UsageError for a given
/// id that is not a cluster (0..k-1) or an empty name.
void apply_names(std::vector<artifacts::ClusterPortrait>& portraits, const std::vector<std::string>& defaults,
                 const std::map<int, std::string>& given);

}  // namespace uplift::segment
