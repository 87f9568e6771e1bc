#include "uplift/segment/segments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "uplift/artifacts/scores_info.hpp"
#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/segment/choose_k.hpp"
#include "uplift/segment/cluster_names.hpp"
#include "uplift/segment/describe_clusters.hpp"
#include "uplift/segment/feature_matrix.hpp"
#include "uplift/segment/kmeans.hpp"

namespace uplift::segment {

namespace {

constexpr std::string_view uplift_prefix = "uplift__";

/// The columns to cluster on: --features as given, else the roles' features that are numeric (never the id,
/// treatment or outcome), else, for a table without roles, every numeric column.
std::vector<std::string> clustered_columns(const io::Table& table, const std::optional<artifacts::Roles>& roles,
                                           const SegmentsRequest& r) {
    const std::string file = r.features.string();
    if (!r.columns.empty()) {
        for (const auto& name : r.columns) {
            const io::Column* c = table.find(name);
            if (c == nullptr) throw UsageError(fmt::format("--features: '{}' is not a column of '{}'", name, file));
            if (!c->is_numeric()) {
                throw UsageError(fmt::format("--features: column '{}' of '{}' holds text; k-means needs numbers", name, file));
            }
        }
        return r.columns;
    }
    std::vector<std::string> out;
    const auto role_column = [&](const std::string& name) {
        return roles && (name == roles->id || name == roles->treatment || name == roles->outcome);
    };
    if (roles && !roles->features.empty()) {
        for (const auto& name : roles->features) {
            const io::Column* c = table.find(name);
            if (c != nullptr && c->is_numeric() && !role_column(name)) out.push_back(name);
        }
    } else {
        for (const auto& c : table.columns()) {
            if (c.is_numeric() && !role_column(c.name())) out.push_back(c.name());
        }
    }
    if (out.empty()) {
        throw DataError(fmt::format("'{}' has no numeric feature column to cluster on; pass --features a,b,c", file));
    }
    return out;
}

/// The predicted uplift per offer of each features row, joined on the client id.
RowUplift join_scores(io::Session& session, const SegmentsRequest& r, const io::Table& features,
                      const std::vector<std::string>& feature_ids, const std::string& features_id,
                      std::int64_t& matched) {
    RowUplift out;
    if (r.scores.empty()) return out;
    const io::Table scores = io::read_table(session, r.scores);
    const std::string file = r.scores.string();
    const auto roles = artifacts::load_roles(scores.metadata(), file);
    // A cluster's mean uplift over rows the model was fitted on flatters the model (docs/score.md).
    if (const auto info = artifacts::load_scores_info(scores.metadata(), file);
        info && !artifacts::out_of_sample(info->scored_as)) {
        log::warn("scores '{}' are in_sample (rows the model was fitted on): the clusters' mean uplift flatters the "
                  "model; pass the model's out_of_fold.parquet for the campaign's clients",
                  file);
    }
    std::string id = roles && scores.has(roles->id) ? roles->id : features_id;
    if (!scores.has(id)) {
        throw DataError(fmt::format("scores '{}' have no id column '{}' to join with '{}'", file, id, r.features.string()));
    }
    std::vector<const io::Column*> columns;
    for (const auto& c : scores.columns()) {
        if (c.is_numeric() && c.name().rfind(uplift_prefix, 0) == 0) {
            columns.push_back(&c);
            out.offers.push_back(c.name().substr(uplift_prefix.size()));
        }
    }
    if (columns.empty()) {
        throw DataError(fmt::format("scores '{}' have no uplift__<offer> column; pass a file written by `upliftctl score` "
                                    "or train's holdout/out_of_fold",
                                    file));
    }
    const std::vector<std::string> score_ids = scores.column(id).to_texts();
    std::unordered_map<std::string, std::size_t> row_of;
    row_of.reserve(score_ids.size());
    for (std::size_t i = 0; i < score_ids.size(); ++i) {
        if (!row_of.emplace(score_ids[i], i).second) {
            throw DataError(fmt::format("scores '{}': id '{}' appears more than once in column '{}'", file, score_ids[i], id));
        }
    }
    std::vector<std::vector<double>> values;
    for (const io::Column* c : columns) values.push_back(c->to_doubles());
    out.values.assign(columns.size(), std::vector<double>(features.num_rows(), std::numeric_limits<double>::quiet_NaN()));
    matched = 0;
    for (std::size_t i = 0; i < feature_ids.size(); ++i) {
        const auto found = row_of.find(feature_ids[i]);
        if (found == row_of.end()) continue;
        ++matched;
        for (std::size_t o = 0; o < columns.size(); ++o) out.values[o][i] = values[o][found->second];
    }
    if (matched == 0) {
        throw DataError(fmt::format("scores '{}' share no client id ('{}') with '{}': scores of other clients?", file, id,
                                    r.features.string()));
    }
    if (static_cast<std::size_t>(matched) < feature_ids.size()) {
        log::info("{} of {} clients have a score in '{}'; the mean uplift of a cluster is over its scored clients",
                  matched, feature_ids.size(), file);
    }
    return out;
}

std::map<std::string, std::string> parameters(const SegmentsRequest& r, const std::vector<std::string>& columns) {
    std::map<std::string, std::string> p;
    p["k"] = r.k > 0 ? std::to_string(r.k) : fmt::format("{}..{}", r.k_min, r.k_max);
    p["restarts"] = std::to_string(r.restarts);
    p["max_iterations"] = std::to_string(r.max_iterations);
    p["sample"] = std::to_string(r.sample);
    p["seed"] = std::to_string(r.seed);
    p["features"] = fmt::format("{}", fmt::join(columns, ","));
    return p;
}

}  // namespace

SegmentsResult compute_segments(io::Session& session, const SegmentsRequest& r) {
    // The scores are read after the clustering: a missing file fails before the work, not after it.
    if (!r.scores.empty()) io::require_readable(r.scores);
    const io::Table table = io::read_table(session, r.features);
    const std::string file = r.features.string();
    if (table.num_rows() == 0) throw DataError(fmt::format("'{}' has no rows to cluster", file));
    const auto roles = artifacts::load_roles(table.metadata(), file);
    const std::vector<std::string> columns = clustered_columns(table, roles, r);

    std::vector<std::vector<double>> raw;
    raw.reserve(columns.size());
    for (const auto& name : columns) raw.push_back(table.column(name).to_doubles());
    const FeatureMatrix m = standardise(raw, columns);
    raw.clear();

    KMeansOptions options{.k = r.k, .restarts = r.restarts, .max_iterations = r.max_iterations, .seed = r.seed,
                          .threads = r.threads};
    artifacts::Portraits p;
    if (r.k > 0) {
        p.k_chosen_by = artifacts::k_given;
    } else {
        const KChoice choice = choose_k(m.view(), r.k_min, r.k_max, r.sample, options);
        options.k = choice.k;
        p.k_chosen_by = artifacts::k_by_silhouette;
        p.candidates = choice.candidates;
        p.silhouette = choice.silhouette;
        p.silhouette_sample = static_cast<std::int64_t>(choice.sample_rows);
    }
    const KMeansResult fit = kmeans(m.view(), options);

    const bool has_id = roles && table.has(roles->id);
    const std::string id_column = has_id ? roles->id : "row";
    std::vector<std::string> ids;
    if (has_id) {
        ids = table.column(id_column).to_texts();
    } else {
        for (std::size_t i = 0; i < table.num_rows(); ++i) ids.push_back(std::to_string(i));
    }
    std::int64_t matched = 0;
    const RowUplift uplift = join_scores(session, r, table, ids, id_column, matched);

    p.features_file = std::filesystem::path(r.features).filename().string();
    p.scores_file = r.scores.empty() ? "" : std::filesystem::path(r.scores).filename().string();
    p.id_column = id_column;
    p.rows = static_cast<std::int64_t>(table.num_rows());
    p.columns = columns;
    p.imputed_values = m.imputed_values();
    p.constant_columns = m.constant_columns();
    p.k = fit.k;
    p.restarts = r.restarts;
    p.max_iterations = r.max_iterations;
    p.seed = r.seed;
    p.inertia = fit.inertia;
    p.iterations = fit.iterations;
    p.separation = separation(m, fit);
    p.scored = matched;
    p.offers = uplift.offers;
    p.clusters = describe_clusters(table, m, fit, p.separation, uplift);
    apply_names(p.clusters, default_names(m, fit), r.names);
    std::vector<std::filesystem::path> inputs{r.features};
    if (!r.scores.empty()) inputs.push_back(r.scores);
    const auto provenance = artifacts::provenance_of("segments", inputs, parameters(r, columns));
    p.provenance_json = artifacts::to_json(provenance);

    SegmentsResult result;
    std::vector<io::Column> out;
    if (has_id) {
        out.push_back(table.column(id_column));
    } else {
        std::vector<std::int64_t> rows(table.num_rows());
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::int64_t>(i);
        out.push_back(io::Column::int64s(id_column, std::move(rows)));
    }
    std::vector<std::int64_t> labels(fit.labels.begin(), fit.labels.end());
    out.push_back(io::Column::int64s("cluster", std::move(labels)));
    result.clusters = io::Table(std::move(out));
    artifacts::store(result.clusters.metadata(), provenance);
    result.portraits = std::move(p);
    return result;
}

void write_segments(io::Session& session, const SegmentsResult& result, const std::filesystem::path& clusters,
                    const std::filesystem::path& portraits, bool overwrite) {
    std::optional<io::AtomicOutput> table_out;
    std::optional<io::AtomicOutput> json_out;
    if (!clusters.empty()) {
        table_out.emplace(clusters, overwrite, io::OutputShape::File);
        io::write_table(session, result.clusters, *table_out);
    }
    if (!portraits.empty()) {
        json_out.emplace(portraits, overwrite, io::OutputShape::File);
        io::write_file(json_out->temp_path(), artifacts::to_json(result.portraits), portraits);
    }
    // Committed once both are whole: a failure above leaves neither.
    if (table_out) table_out->commit();
    if (json_out) json_out->commit();
}

}  // namespace uplift::segment
