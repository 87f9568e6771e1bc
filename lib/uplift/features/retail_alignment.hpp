#pragma once
/// Lines up retail features with the columns a model was trained on. Product-mix columns are named after
/// the categories in the catalogue (level_1_share_<key>), so another month or another catalogue gives other
/// columns. The rule, shared by `features --like` and `score`:
///   - a column the model has and the input has is taken as it is;
///   - a category column the input has and the model never saw folds into the model's fold-in column of
///     that family (level_1_share___other__): shares of one family have one denominator, so adding them is
///     exact;
///   - a category column the model has and the input lacks (the category is gone from the catalogue) is 0
///     where the fold-in column is defined (NULL for clients without purchases, as every share);
///   - any other feature of the model the input lacks is missing: the caller fails naming it.
/// Input features the model does not use are left out.

#include <filesystem>
#include <string>
#include <vector>

#include "uplift/features/retail_manifest.hpp"
#include "uplift/io/session.hpp"

namespace uplift::features {

/// The name prefixes of the category families: columns <prefix><key>, fold-in column <prefix>__other__.
inline constexpr const char* category_family_prefixes[] = {"level_1_share_"};

struct AlignedColumn {
    enum class Kind { Copy, Fold, Zero };
    Kind kind = Kind::Copy;
    std::string name;                  ///< the model's feature
    /// Copy: {name}; Fold: the input's fold-in column, then the unseen categories' columns (summed);
    /// Zero: {the input's fold-in column} (0 where it is defined).
    std::vector<std::string> sources;
};

struct FeatureAlignment {
    std::vector<AlignedColumn> columns;  ///< in the model's order; complete when `missing` is empty
    std::vector<std::string> folded;     ///< input category columns the model never saw, folded in
    std::vector<std::string> zeroed;     ///< model category columns the input lacks, zeros
    std::vector<std::string> missing;    ///< model features the input cannot give: an error for the caller
    /// Input category columns the model never saw and cannot fold in (it has no fold-in column: trained by
    /// an older upliftctl); left out, the caller warns.
    std::vector<std::string> unplaced;

    /// Nothing to do: every column is copied.
    bool identity() const { return folded.empty() && zeroed.empty() && unplaced.empty() && missing.empty(); }
};

/// The fold-in column of `name`'s category family, or "" when `name` is no category column.
std::string category_other_column(const std::string& name);

/// Applies the rule above to the model's features (in order) and the input's column names.
FeatureAlignment align_features(const std::vector<std::string>& model_features,
                                const std::vector<std::string>& input_columns);

struct TableAlignment {
    std::vector<RetailFeature> manifest;  ///< the model's features, in its order
    std::vector<std::string> folded;      ///< as FeatureAlignment
    std::vector<std::string> zeroed;
    std::vector<std::string> unplaced;
    std::int64_t folded_rows = 0;         ///< rows with spending on a folded category
};

/// Rewrites the session table `table` — `keys` (id, outcomes), then the features of `built` — to `keys`
/// and exactly `model`'s features in its order, by the rule above. ModelError naming the features it
/// cannot give (`model_dir` names the model).
TableAlignment align_session_table(io::Session& session, const std::string& table, const std::vector<std::string>& keys,
                                   const std::vector<RetailFeature>& built, const std::vector<std::string>& model,
                                   const std::filesystem::path& model_dir);

/// The features a model was trained on, in order: model.json's `features` in `model_dir`. ModelError for a
/// folder without a readable model.json.
std::vector<std::string> model_features(const std::filesystem::path& model_dir);

}  // namespace uplift::features
