#include "uplift/model/gender_imputation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/gbm.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

namespace {

constexpr const char* gender_columns[] = {"gender_m", "gender_f", "gender_u"};
constexpr const char* imputed_column = "gender_imputed";

/// Small, shallow and unstopped: a few hundred to a few hundred thousand rows of a dozen-odd shares and
/// rates. No validation set, so every fit has the same rounds and the folds measure that very model.
GbmParams classifier_params(const GenderImputationOptions& o) {
    GbmParams p;
    p.objective = Objective::Binary;
    p.num_rounds = 120;
    p.learning_rate = 0.08;
    p.max_depth = 4;
    p.min_child_weight = 2;
    p.early_stopping_rounds = 0;
    p.threads = o.threads;
    p.seed = o.seed;
    return p;
}

/// The classifier's inputs: every feature but the profile family's (gender itself, age, card dates).
std::vector<std::string> behaviour_features(const std::vector<features::RetailFeature>& manifest) {
    std::vector<std::string> out;
    for (const auto& f : manifest) {
        if (f.family != "profile") out.push_back(f.name);
    }
    return out;
}

void require_gender_columns(const std::vector<features::RetailFeature>& manifest) {
    for (const char* name : gender_columns) {
        if (std::none_of(manifest.begin(), manifest.end(), [&](const auto& f) { return f.name == name; })) {
            throw InternalError(fmt::format("gender imputation: the staged features lack {}", name));
        }
    }
}

std::vector<float> as_floats(const std::vector<int>& v) { return {v.begin(), v.end()}; }

/// 1 (F) where the probability of F is at least one half.
std::vector<int> classes(const std::vector<double>& p_female) {
    std::vector<int> out;
    out.reserve(p_female.size());
    for (double p : p_female) out.push_back(p >= 0.5 ? 1 : 0);
    return out;
}

/// Rewrites the staged table with the predictions of `predicted` (client_id, female 0/1) filled in.
void write_back(features::StagedTable& staged, const io::Table& predicted) {
    io::Session& session = staged.session;
    session.register_table("upl_gender_predicted", predicted);
    const auto columns = session.query(fmt::format("DESCRIBE {}", staged.name)).column("column_name").string_values();
    std::string select;
    for (const auto& c : columns) {
        std::string item;
        if (c == "gender_m") {
            item = "CASE WHEN p.client_id IS NULL THEN f.gender_m ELSE CAST(p.female = 0 AS BIGINT) END AS gender_m";
        } else if (c == "gender_f") {
            item = "CASE WHEN p.client_id IS NULL THEN f.gender_f ELSE CAST(p.female = 1 AS BIGINT) END AS gender_f";
        } else if (c == "gender_u") {
            item = "CASE WHEN p.client_id IS NULL THEN f.gender_u ELSE CAST(0 AS BIGINT) END AS gender_u, "
                   "CAST(p.client_id IS NOT NULL AS BIGINT) AS gender_imputed";
        } else {
            item = "f." + io::quote_identifier(c);
        }
        select += (select.empty() ? "" : ", ") + item;
    }
    session.execute(fmt::format(
        "CREATE OR REPLACE TEMP TABLE upl_gender_imputed AS SELECT {} FROM {} f LEFT JOIN upl_gender_predicted p "
        "ON p.client_id = f.client_id ORDER BY f.client_id; DROP TABLE {}; DROP TABLE upl_gender_predicted; "
        "ALTER TABLE upl_gender_imputed RENAME TO {}",
        select, staged.name, staged.name, staged.name));
}

/// The manifest as the rewritten table has it: the gender columns say what they now mean, and the flag
/// follows gender_u.
void update_manifest(std::vector<features::RetailFeature>& manifest) {
    for (auto it = manifest.begin(); it != manifest.end(); ++it) {
        if (it->name == "gender_m") it->description = "1 when gender is M, recorded or predicted (gender_imputed), else 0";
        if (it->name == "gender_f") it->description = "1 when gender is F, recorded or predicted (gender_imputed), else 0";
        if (it->name == "gender_u") {
            it->description = "1 when gender is U, missing or another value and could not be predicted, else 0";
            manifest.insert(it + 1, {imputed_column, "profile", "static",
                                     "1 when gender was missing or U and gender_m / gender_f hold a prediction from "
                                     "the client's purchases, else 0"});
            return;
        }
    }
}

}  // namespace

double macro_f1(const std::vector<int>& actual, const std::vector<int>& predicted) {
    double sum = 0;
    for (int positive : {1, 0}) {
        double tp = 0, fp = 0, fn = 0;
        for (std::size_t i = 0; i < actual.size(); ++i) {
            const bool a = actual[i] == positive;
            const bool p = predicted[i] == positive;
            tp += a && p;
            fp += !a && p;
            fn += a && !p;
        }
        sum += tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
    }
    return sum / 2;
}

artifacts::GenderImputation impute_gender(features::StagedTable& staged, const GenderImputationOptions& options) {
    if (options.folds < 2) throw UsageError(fmt::format("gender imputation: {} folds; at least 2 are needed", options.folds));
    if (!(options.min_f1 >= 0 && options.min_f1 <= 1)) {
        throw UsageError(fmt::format("--impute-gender-min-f1 {} must be an F1 between 0 and 1", options.min_f1));
    }
    require_gender_columns(staged.manifest);
    artifacts::GenderImputation record;
    record.folds = options.folds;
    record.seed = options.seed;
    record.min_f1 = options.min_f1;
    record.inputs = behaviour_features(staged.manifest);

    std::string select = "SELECT client_id, gender_m, gender_f";
    for (const auto& name : record.inputs) select += ", " + io::quote_identifier(name);
    const io::Table rows = staged.session.query(fmt::format("{} FROM {} ORDER BY client_id", select, staged.name));
    const auto male = rows.column("gender_m").int64_values();
    const auto female = rows.column("gender_f").int64_values();
    std::vector<std::size_t> known, unknown;
    std::vector<int> y;  // 1 = F, over the known rows
    for (std::size_t r = 0; r < rows.num_rows(); ++r) {
        if (male[r] == 1 || female[r] == 1) {
            known.push_back(r);
            y.push_back(female[r] == 1 ? 1 : 0);
        } else {
            unknown.push_back(r);
        }
    }
    record.known = static_cast<std::int64_t>(known.size());
    const auto known_female = std::count(y.begin(), y.end(), 1);
    const auto known_male = static_cast<std::int64_t>(y.size()) - known_female;

    std::vector<std::string> predicted_ids;
    std::vector<std::int64_t> predicted_female;
    if (known_female < min_known_per_gender || known_male < min_known_per_gender || record.inputs.empty()) {
        record.applied = false;
        record.reason = fmt::format("{} known F and {} known M clients (at least {} of each are needed)",
                                    known_female, known_male, min_known_per_gender);
        log::warn("gender imputation: {}: the {} missing or U genders are left as recorded", record.reason,
                  unknown.size());
    } else {
        std::vector<const io::Column*> inputs;
        for (const auto& name : record.inputs) inputs.push_back(&rows.column(name));
        const DenseMatrix x = make_matrix(inputs, known);
        const GbmParams params = classifier_params(options);
        const std::vector<int> fold = stratified_folds(y, options.folds, options.seed);
        std::vector<int> out_of_fold(y.size(), 0);
        for (int k = 0; k < options.folds; ++k) {
            std::vector<std::size_t> fit_rows, held_rows;
            for (std::size_t i = 0; i < y.size(); ++i) (fold[i] == k ? held_rows : fit_rows).push_back(i);
            if (held_rows.empty()) continue;
            std::vector<float> fit_y;
            for (std::size_t i : fit_rows) fit_y.push_back(static_cast<float>(y[i]));
            const Gbm model = Gbm::train(take_rows(x, fit_rows), fit_y, {}, nullptr, {}, params);
            const auto held = classes(model.predict(take_rows(x, held_rows)));
            for (std::size_t j = 0; j < held_rows.size(); ++j) out_of_fold[held_rows[j]] = held[j];
        }
        record.cv_f1 = macro_f1(y, out_of_fold);
        // The gate: a classifier that cannot tell the known genders apart would only write noise into the
        // features (and into every portrait and report that counts genders).
        if (*record.cv_f1 < options.min_f1) {
            record.applied = false;
            record.reason = fmt::format("cross-validated F1 {:.3f} over {} known clients is below "
                                        "--impute-gender-min-f1 {}: purchases do not tell the genders apart",
                                        *record.cv_f1, record.known, options.min_f1);
            log::warn("gender imputation: {}; the {} missing or U genders are left as recorded", record.reason,
                      unknown.size());
        } else if (!unknown.empty()) {
            const Gbm model = Gbm::train(x, as_floats(y), {}, nullptr, {}, params);
            const auto predicted = classes(model.predict(make_matrix(inputs, unknown)));
            const auto& ids = rows.column("client_id").string_values();
            for (std::size_t j = 0; j < unknown.size(); ++j) {
                predicted_ids.push_back(ids[unknown[j]]);
                predicted_female.push_back(predicted[j]);
            }
        }
        record.imputed = static_cast<std::int64_t>(predicted_ids.size());
        if (record.applied) {
            log::info("gender imputation: {} known clients ({} F, {} M), cross-validated F1 {:.3f} over {} folds; "
                      "{} genders predicted",
                      record.known, known_female, known_male, *record.cv_f1, options.folds, record.imputed);
        }
    }
    io::Table predicted({io::Column::strings("client_id", std::move(predicted_ids)),
                         io::Column::int64s("female", std::move(predicted_female))});
    write_back(staged, predicted);
    update_manifest(staged.manifest);
    artifacts::store(staged.metadata, record);
    return record;
}

features::RefineStaged gender_imputation_step(const GenderImputationOptions& options,
                                              artifacts::GenderImputation& record) {
    return [options, &record](features::StagedTable& staged) { record = impute_gender(staged, options); };
}

}  // namespace uplift::model
