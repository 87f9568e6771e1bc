#pragma once
/// `upliftctl segments`: client portraits. Reads a features file (and optionally scores joined by client
/// id), clusters the clients with k-means on standardised features, and describes each cluster: size,
/// profile, distinctive features, product mix, mean predicted uplift per offer and the offer to give it.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::segment {

struct SegmentsRequest {
    std::filesystem::path features;  ///< from `upliftctl features` (flat or retail)
    std::filesystem::path scores;    ///< empty: no uplift per cluster
    std::vector<std::string> columns;  ///< --features; empty: the numeric feature columns of the roles
    int k = 0;                         ///< 0: chosen by silhouette from [k_min, k_max]
    int k_min = 2;
    int k_max = 8;
    std::size_t sample = 5000;  ///< rows the silhouette (and the fits that choose k) run on
    int restarts = 4;
    int max_iterations = 100;
    std::uint64_t seed = 42;
    int threads = 0;
    std::map<int, std::string> names;  ///< --names file, then --name flags over it
};

struct SegmentsResult {
    artifacts::Portraits portraits;
    io::Table clusters;  ///< the id column, then `cluster`
};

/// Throws UsageError for a --features column that is missing or not numeric, a bad k or range, a name for a
/// cluster that does not exist; DataError for a features file without rows or numeric features, scores
/// without an id or uplift__<offer> columns, repeated score ids, or scores sharing no id with the features;
/// IoError for a file that cannot be read.
SegmentsResult compute_segments(io::Session& session, const SegmentsRequest& request);

/// Writes the cluster table (`clusters`, .parquet or .csv) and portraits.json (`portraits`), each optional,
/// through atomic outputs committed together: both appear or neither.
void write_segments(io::Session& session, const SegmentsResult& result, const std::filesystem::path& clusters,
                    const std::filesystem::path& portraits, bool overwrite);

/// The readable table `segments` prints: one line per cluster, then each cluster's distinctive features,
/// categories and uplift per offer.
std::string portraits_text(const artifacts::Portraits& p);

}  // namespace uplift::segment
