#pragma once
/// What each cluster looks like: its size, the means of the profile columns (age, average check, frequency,
/// discount affinity: the retail features of docs/features.md, when present), the means of the features that
/// separate the clusters most, its top product categories, and the mean predicted uplift of each offer with
/// the offer to give it.

#include <string>
#include <vector>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/io/table.hpp"
#include "uplift/segment/feature_matrix.hpp"
#include "uplift/segment/kmeans.hpp"

namespace uplift::segment {

/// Predicted uplift per offer for each row of the features table (NaN where the row has no score).
struct RowUplift {
    std::vector<std::string> offers;
    std::vector<std::vector<double>> values;  ///< per offer, one value per features row
};

/// How many separating features each portrait lists, and how many categories.
inline constexpr std::size_t distinctive_shown = 5;
inline constexpr std::size_t categories_shown = 3;

/// The product-mix columns of the retail features and the prefix of their names.
inline constexpr std::string_view category_prefix = "level_1_share_";
inline constexpr std::string_view other_category_column = "level_1_share___other__";

/// Eta squared of every clustered column (the share of its standardised variance between the clusters),
/// largest first; ties keep the column order. Constant columns have 0.
std::vector<artifacts::FeatureSeparation> separation(const FeatureMatrix& m, const KMeansResult& fit);

/// The profile columns of `table` in profile order, as {label, column}: "age" (age), "average_check"
/// (avg_check_<w>d of the longest window), "frequency" (frequency_all, else the longest frequency_<w>d),
/// "discount_affinity" (points_spent_share_<w>d of the longest window). Only those present and numeric.
std::vector<std::pair<std::string, std::string>> profile_columns(const io::Table& table);

/// One portrait per cluster, by id, without names (cluster_names.hpp gives them). `uplift` may hold no offers.
std::vector<artifacts::ClusterPortrait> describe_clusters(const io::Table& table, const FeatureMatrix& m,
                                                          const KMeansResult& fit,
                                                          const std::vector<artifacts::FeatureSeparation>& separation,
                                                          const RowUplift& uplift);

}  // namespace uplift::segment
