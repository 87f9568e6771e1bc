#include "uplift/data/flat_row_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <set>

#include "uplift/core/errors.hpp"

namespace uplift::data {

namespace {

using io::Column;
using io::ColumnType;
using io::Table;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

/// Strict number parsing: the whole (trimmed) text must be a number; true/false count as 1/0. Under a
/// decimal comma, "12,5" is 12.5 (and "12.5" is not a number, as DuckDB reads the features).
std::optional<double> parse_number(const std::string& text, char decimal) {
    std::string t = trim(text);
    if (t == "true" || t == "TRUE" || t == "True") return 1.0;
    if (t == "false" || t == "FALSE" || t == "False") return 0.0;
    if (decimal != '.') {
        if (t.find('.') != std::string::npos) return std::nullopt;
        std::replace(t.begin(), t.end(), decimal, '.');
    }
    double v = 0;
    const char* begin = t.data();
    if (!t.empty() && t[0] == '+') ++begin;
    const auto [end, ec] = std::from_chars(begin, t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
    return v;
}

/// Models read values as 32-bit floats: a larger magnitude would become infinity there.
bool fits_float(double v) { return std::isfinite(v) && std::fabs(v) <= static_cast<double>(FLT_MAX); }

std::string not_fitting(double v) {
    return std::isfinite(v) ? "out of range: beyond +-3.4e38, the float range models compute in"
                            : "not a finite number";
}

std::optional<std::int64_t> parse_int(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

}  // namespace

FlatRowChecks::FlatRowChecks(const FlatIngestOptions& options, std::vector<std::string> features, bool csv)
    : options_(options), features_(std::move(features)), csv_(csv), decimal_(csv ? options.csv.decimal : '.') {}

std::optional<std::int64_t> FlatRowChecks::first_seen(const std::string& id, std::int64_t int_id,
                                                      std::int64_t position) {
    if (options_.id_type == IdType::Integer) {
        const auto [it, inserted] = first_int_id_.emplace(int_id, position);
        return inserted ? std::nullopt : std::optional(it->second);
    }
    const auto [it, inserted] = first_text_id_.emplace(id, position);
    return inserted ? std::nullopt : std::optional(it->second);
}

CheckedChunk FlatRowChecks::check(const Table& raw, std::int64_t first_position) {
    const Column& treatment_col = raw.column(options_.treatment);
    const Column& outcome_col = raw.column(options_.outcome);
    const Column* id_col = options_.id.empty() ? nullptr : &raw.column(options_.id);
    const std::set<std::string> wanted(options_.treatment_levels.begin(), options_.treatment_levels.end());

    // Double features are checked for values a model cannot hold (inf, nan, beyond the float range).
    std::vector<const Column*> double_features;
    for (const auto& f : features_) {
        if (raw.column(f).type() == ColumnType::Double) double_features.push_back(&raw.column(f));
    }

    std::vector<std::size_t> kept;
    std::vector<double> outcome;
    std::vector<std::string> kept_ids;
    std::vector<std::int64_t> kept_int_ids;
    CheckedChunk out;
    for (std::size_t i = 0; i < raw.num_rows(); ++i) {
        const std::int64_t position = first_position + static_cast<std::int64_t>(i);
        const auto reject = [&](const std::string& column, std::string value, std::string reason) {
            pending_.push_back({position, -1, {0, column, std::move(value), std::move(reason), {}}});
        };
        std::string id;
        std::int64_t int_id = 0;
        if (id_col != nullptr) {
            // Ids are kept byte for byte: " A7" and "A7" are two clients unless --trim-ids is asked.
            id = id_col->is_valid(i) ? id_col->text_at(i) : std::string();
            if (options_.trim_ids) id = trim(id);
            if (trim(id).empty()) {
                reject(options_.id, id, "missing id");
                continue;
            }
            if (options_.id_type == IdType::Integer) {
                const auto v = parse_int(id);
                if (!v) {
                    reject(options_.id, id, "not an integer id (--id-type integer)");
                    continue;
                }
                int_id = *v;
            }
            if (const auto first = first_seen(id, int_id, position)) {
                pending_.push_back({position, *first, {0, options_.id, id, "duplicate id", {}}});
                continue;
            }
        }
        const auto bad_feature = std::find_if(double_features.begin(), double_features.end(), [&](const Column* c) {
            return c->is_valid(i) && !fits_float(c->double_values()[i]);
        });
        if (bad_feature != double_features.end()) {
            const double v = (*bad_feature)->double_values()[i];
            reject((*bad_feature)->name(), fmt::format("{}", v), not_fitting(v));
            continue;
        }
        const std::string level = treatment_col.text_at(i);
        if (trim(level).empty()) {
            reject(options_.treatment, level, "missing treatment");
            continue;
        }
        const std::string text = outcome_col.text_at(i);
        if (!outcome_col.is_valid(i) || trim(text).empty()) {
            reject(options_.outcome, "", "missing outcome");
            continue;
        }
        const auto y = parse_number(text, decimal_);
        if (!y) {
            reject(options_.outcome, text, "not a number");
            continue;
        }
        if (!fits_float(*y)) {
            reject(options_.outcome, text, not_fitting(*y));
            continue;
        }
        if (options_.outcome_type == OutcomeType::Binary && *y != 0.0 && *y != 1.0) {
            reject(options_.outcome, text, "not 0 or 1 (--outcome-type binary)");
            continue;
        }
        if (level != options_.control && !wanted.empty() && !wanted.contains(level)) {
            ++excluded_;
            ++excluded_per_level_[level];
            continue;
        }
        kept.push_back(i);
        out.positions.push_back(position);
        if (*y != 0.0 && *y != 1.0) all_binary_ = false;
        outcome.push_back(*y);
        if (id_col != nullptr) {
            if (options_.id_type == IdType::Integer) {
                kept_int_ids.push_back(int_id);
            } else {
                kept_ids.push_back(std::move(id));
            }
        }
        ++kept_per_level_[level];
        outcome_sum_per_level_[level] += *y;
    }
    kept_ += static_cast<std::int64_t>(kept.size());
    if (id_col != nullptr) {
        out.id = options_.id_type == IdType::Integer ? Column::int64s(options_.id, std::move(kept_int_ids))
                                                     : Column::strings(options_.id, std::move(kept_ids));
    }
    out.columns.push_back(treatment_col.take(kept));
    out.columns.push_back(Column::doubles(options_.outcome, std::move(outcome)));
    for (const auto& f : features_) out.columns.push_back(raw.column(f).take(kept));
    return out;
}

std::vector<Reject> FlatRowChecks::rejects(const RowNumbers& row_of) const {
    std::vector<std::int64_t> positions, firsts;
    for (const auto& p : pending_) {
        positions.push_back(p.position);
        if (p.first_seen >= 0) firsts.push_back(p.first_seen);
    }
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    const std::vector<std::int64_t> rows = row_of(positions);
    const std::vector<std::int64_t> first_rows = row_of(firsts);
    const char* const row_word = csv_ ? "line" : "row";
    std::vector<Reject> out;
    out.reserve(pending_.size());
    for (std::size_t k = 0; k < pending_.size(); ++k) {
        Reject r = pending_[k].reject;
        r.row = rows[k];
        if (pending_[k].first_seen >= 0) {
            const auto at = std::lower_bound(firsts.begin(), firsts.end(), pending_[k].first_seen) - firsts.begin();
            r.reason = fmt::format("duplicate id (first seen at {} {})", row_word, first_rows[static_cast<std::size_t>(at)]);
        }
        out.push_back(std::move(r));
    }
    return out;
}

IngestSummary FlatRowChecks::summary() const {
    IngestSummary s;
    s.rows_kept = kept_;
    s.rows_excluded = excluded_;
    s.kept_per_level = kept_per_level_;
    s.excluded_per_level = excluded_per_level_;
    for (const auto& [level, total] : outcome_sum_per_level_) {
        s.outcome_mean_per_level[level] = total / static_cast<double>(kept_per_level_.at(level));
    }
    return s;
}

}  // namespace uplift::data
