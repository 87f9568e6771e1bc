#include "uplift/eval/scored_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "uplift/core/errors.hpp"
#include "uplift/data/roles.hpp"

namespace uplift::eval {

std::vector<std::string> recorded_levels(const io::Table& scores) {
    const auto roles = data::load_roles(scores.metadata());
    return roles ? roles->treatment_levels : std::vector<std::string>{};
}

ScoredInput select_scored_input(const io::Table& scores, const std::string& file, const ScoredColumns& wanted) {
    const auto roles = data::load_roles(scores.metadata());
    ScoredColumns c = wanted;
    const auto need = [&](std::string& value, const std::string& recorded, const char* flag) {
        if (!value.empty()) return;
        if (!roles) throw UsageError(fmt::format("'{}' records no column roles; pass {}", file, flag));
        value = recorded;
    };
    need(c.treatment, roles ? roles->treatment : "", "--treatment");
    need(c.outcome, roles ? roles->outcome : "", "--outcome");
    need(c.control, roles ? roles->control : "", "--control");
    if (c.treatment_level.empty()) {
        auto levels = recorded_levels(scores);
        // A plain file (no roles recorded, e.g. y,treatment,score from elsewhere): its own levels besides control.
        if (!roles) {
            const io::Column* t = scores.find(c.treatment);
            if (t == nullptr) throw DataError(fmt::format("'{}' has no treatment column '{}'", file, c.treatment));
            std::set<std::string> seen;
            for (std::size_t i = 0; i < t->size(); ++i) {
                if (t->is_valid(i) && t->text_at(i) != c.control) seen.insert(t->text_at(i));
            }
            levels.assign(seen.begin(), seen.end());
        }
        if (levels.empty()) {
            // A header-only file, or one whose rows are all control: nothing to choose from, and nothing to measure.
            throw DataError(fmt::format("'{}': no treated rows ({} rows, none with '{}' other than the control '{}'); "
                                        "uplift needs treated and control rows",
                                        file, scores.num_rows(), c.treatment, c.control));
        }
        if (levels.size() != 1) {
            throw UsageError(fmt::format("'{}' has {} treated levels ({}); choose one with --treatment-level", file,
                                         levels.size(), fmt::join(levels, ", ")));
        }
        c.treatment_level = levels.front();
    }
    if (c.score.empty()) {
        c.score = scores.has("uplift__" + c.treatment_level) ? "uplift__" + c.treatment_level : "uplift";
    }
    const io::Column& t = scores.column(c.treatment);
    const io::Column& y = scores.column(c.outcome);
    const io::Column& s = scores.column(c.score);
    if (!y.is_numeric()) {
        throw DataError(fmt::format("'{}': outcome column '{}' holds text; it must be numeric", file, c.outcome));
    }
    if (!s.is_numeric()) throw DataError(fmt::format("'{}': score column '{}' holds text; it must be numeric", file, c.score));

    ScoredInput out;
    out.resolved = c;
    for (std::size_t i = 0; i < scores.num_rows(); ++i) {
        const std::string level = t.text_at(i);
        if (level != c.control && level != c.treatment_level) {
            ++out.rows_excluded;
            continue;
        }
        const double yi = y.number_at(i);
        const double si = s.number_at(i);
        if (!std::isfinite(yi)) {
            throw DataError(fmt::format("'{}', row {}, column '{}': outcome '{}' is not a finite number", file, i + 1,
                                        c.outcome, y.text_at(i)));
        }
        if (!std::isfinite(si)) {
            throw DataError(fmt::format("'{}', row {}, column '{}': score '{}' is not a finite number", file, i + 1,
                                        c.score, s.text_at(i)));
        }
        out.y.push_back(yi);
        out.score.push_back(si);
        out.treatment.push_back(level == c.treatment_level ? 1 : 0);
        out.rows.push_back(i);
    }
    const auto treated = std::count(out.treatment.begin(), out.treatment.end(), std::uint8_t{1});
    if (treated == 0 || treated == static_cast<std::ptrdiff_t>(out.treatment.size())) {
        throw DataError(fmt::format("'{}': no {} rows (level '{}' in column '{}'); uplift needs treated and control rows",
                                    file, treated == 0 ? "treated" : "control",
                                    treated == 0 ? c.treatment_level : c.control, c.treatment));
    }
    return out;
}

}  // namespace uplift::eval
