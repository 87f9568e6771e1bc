#include "uplift/eval/oracle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <unordered_map>

#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"

namespace uplift::eval {

double oracle_capture(std::span<const double> score, std::span<const double> true_uplift, double k) {
    if (score.size() != true_uplift.size()) throw InternalError("oracle_capture: lengths differ");
    if (!(k > 0 && k <= 1)) throw UsageError(fmt::format("k {} must be in (0, 1]", k));
    const auto top = static_cast<std::size_t>(std::floor(k * static_cast<double>(score.size())));
    const auto top_sum = [&](std::span<const double> key) {
        std::vector<std::size_t> order(key.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] > key[b]; });
        long double sum = 0;
        for (std::size_t i = 0; i < top; ++i) sum += true_uplift[order[i]];
        return static_cast<double>(sum);
    };
    const double oracle = top_sum(true_uplift);
    if (!(oracle > 0)) {
        throw DataError(fmt::format("the true uplift of the top {} of {} rows sums to {}; there is nothing to capture",
                                    top, score.size(), oracle));
    }
    return top_sum(score) / oracle;
}

std::vector<double> join_truth(const io::Table& scores, const std::string& scores_file, std::span<const std::size_t> rows,
                               const std::string& id,
                               const io::Table& truth, const std::string& truth_file, const std::string& truth_column) {
    if (!scores.has(id)) {
        throw DataError(fmt::format("'{}' has no id column '{}' to join the truth on (--id)", scores_file, id));
    }
    if (!truth.has(id)) throw DataError(fmt::format("'{}' has no id column '{}'", truth_file, id));
    if (!truth.has(truth_column) || !truth.column(truth_column).is_numeric()) {
        throw DataError(fmt::format("'{}' has no numeric column '{}' (--truth-col)", truth_file, truth_column));
    }
    const io::Column& truth_id = truth.column(id);
    const io::Column& value = truth.column(truth_column);
    std::unordered_map<std::string, double> by_id;
    by_id.reserve(truth.num_rows());
    for (std::size_t i = 0; i < truth.num_rows(); ++i) {
        if (!by_id.emplace(truth_id.text_at(i), value.number_at(i)).second) {
            throw DataError(fmt::format("'{}', row {}: id '{}' appears twice", truth_file, i + 1, truth_id.text_at(i)));
        }
    }
    const io::Column& score_id = scores.column(id);
    std::vector<double> out;
    out.reserve(rows.size());
    for (std::size_t r : rows) {
        const auto it = by_id.find(score_id.text_at(r));
        if (it == by_id.end()) {
            throw DataError(fmt::format("'{}', row {}: id '{}' is not in '{}'", scores_file, r + 1, score_id.text_at(r),
                                        truth_file));
        }
        if (!std::isfinite(it->second)) {
            throw DataError(fmt::format("'{}': the true uplift of id '{}' is not a finite number", truth_file, it->first));
        }
        out.push_back(it->second);
    }
    return out;
}

OracleCheck check_against_truth(const io::Table& scores, const std::string& scores_file, std::span<const std::size_t> rows,
                                std::span<const double> score,
                                std::string id, const io::Table& truth, const std::string& truth_file,
                                const std::string& truth_column, std::span<const double> ks,
                                std::span<const std::string> k_labels) {
    if (id.empty()) {
        const auto roles = data::load_roles(scores.metadata());
        if (!roles || roles->id.empty()) {
            throw UsageError(fmt::format("'{}' records no id column to join --truth on; pass --id", scores_file));
        }
        id = roles->id;
    }
    const auto true_uplift = join_truth(scores, scores_file, rows, id, truth, truth_file, truth_column);
    OracleCheck check{truth_file, truth_column, static_cast<std::int64_t>(rows.size()), {}};
    for (std::size_t i = 0; i < ks.size(); ++i) check.capture.emplace_back(k_labels[i], oracle_capture(score, true_uplift, ks[i]));
    return check;
}

std::string add_oracle_json(const std::string& evaluation_json, const OracleCheck& check) {
    auto doc = nlohmann::ordered_json::parse(evaluation_json);
    doc["oracle"] = nlohmann::ordered_json::parse(oracle_to_json(check));
    return doc.dump(2);
}

std::string oracle_to_json(const OracleCheck& check) {
    nlohmann::ordered_json j;
    j["truth"] = check.truth_file;
    j["column"] = check.truth_column;
    j["matched"] = check.matched;
    j["capture_at_k"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : check.capture) j["capture_at_k"][k] = v;
    return j.dump();
}

}  // namespace uplift::eval
