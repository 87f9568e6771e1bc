#pragma once
/// portraits.json: what `upliftctl segments` writes and `upliftctl report --portraits` reads (docs/segments.md
/// lists its keys). This file and portraits.cpp are the only places that spell its keys.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

inline constexpr int portraits_format_version = 1;

/// How k was decided: given by --k, or the best silhouette of --k-range.
inline constexpr const char* k_given = "given";
inline constexpr const char* k_by_silhouette = "silhouette";

/// One feature's mean in a cluster beside its mean over every client. `z` is the difference in standard
/// deviations of the whole population (missing values imputed with the mean, as the clustering saw them).
struct PortraitFeature {
    std::string label;  ///< what the profile calls it ("age", "average_check", …); empty for a distinctive feature
    std::string column;
    std::optional<double> mean;  ///< over the cluster's clients with a value; null when none has one
    std::optional<double> overall_mean;
    double z = 0;

    bool operator==(const PortraitFeature&) const = default;
};

/// A product category's mean share of spending in a cluster (a `level_1_share_<key>` column).
struct CategoryShare {
    std::string category;  ///< the <key>
    std::string column;
    double share = 0;

    bool operator==(const CategoryShare&) const = default;
};

/// The mean predicted uplift of an offer over the cluster's clients that have a score.
struct OfferUplift {
    std::string offer;
    std::optional<double> mean_uplift;  ///< null when no client of the cluster has a score

    bool operator==(const OfferUplift&) const = default;
};

struct ClusterPortrait {
    int id = 0;
    std::string name;
    bool named = false;  ///< the name came from --names / --name rather than from the features
    std::int64_t size = 0;
    double share = 0;
    std::vector<PortraitFeature> profile;      ///< age, average check, frequency, discount affinity (those present)
    std::vector<PortraitFeature> distinctive;  ///< the features that separate the clusters most, same order in each
    std::vector<CategoryShare> top_categories;  ///< largest mean share first; empty without product-mix columns
    std::int64_t scored = 0;                    ///< clients of the cluster found in the scores
    std::vector<OfferUplift> uplift;            ///< per offer, in the scores' order; empty without scores
    std::optional<std::string> recommended_offer;  ///< highest mean uplift; none when every mean is <= 0

    bool operator==(const ClusterPortrait&) const = default;
};

/// The silhouette of one k of --k-range, on the sample.
struct KCandidate {
    int k = 0;
    std::optional<double> silhouette;

    bool operator==(const KCandidate&) const = default;
};

/// How much of a clustered feature's variance lies between the clusters (eta squared, 0..1).
struct FeatureSeparation {
    std::string column;
    double eta_squared = 0;

    bool operator==(const FeatureSeparation&) const = default;
};

struct Portraits {
    int format_version = portraits_format_version;
    std::string features_file;
    std::string scores_file;  ///< empty: no scores
    std::string id_column;
    std::int64_t rows = 0;
    std::vector<std::string> columns;  ///< clustered on, standardised
    std::int64_t imputed_values = 0;   ///< missing values replaced by their column's mean
    std::vector<std::string> constant_columns;  ///< no spread: standardised to 0, they carry no weight
    std::string k_chosen_by;           ///< k_given or k_by_silhouette
    int k = 0;
    std::vector<KCandidate> candidates;  ///< empty when k was given
    std::int64_t silhouette_sample = 0;  ///< rows the silhouette was computed on (0 when k was given)
    std::optional<double> silhouette;    ///< of the chosen k on the sample; null when k was given
    int restarts = 0;
    int max_iterations = 0;
    std::uint64_t seed = 0;
    double inertia = 0;  ///< sum of squared distances to the centres, standardised units
    int iterations = 0;  ///< of the best restart
    std::vector<FeatureSeparation> separation;  ///< every clustered column, most separating first
    std::int64_t scored = 0;                    ///< clients found in the scores
    std::vector<std::string> offers;            ///< the scores' offers
    std::vector<ClusterPortrait> clusters;      ///< by id; id 0 is the largest cluster
    std::string provenance_json;                ///< core's Provenance::to_json, embedded as an object

    bool operator==(const Portraits&) const = default;
};

/// portraits.json's text (two-space indent, final newline).
std::string to_json(const Portraits& p);

/// Parses portraits.json; DataError naming `source` for text that is not one.
Portraits portraits_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
