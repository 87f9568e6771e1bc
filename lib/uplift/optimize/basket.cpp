#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "uplift/core/errors.hpp"
#include "uplift/optimize/instance.hpp"

namespace uplift::optimize {

namespace {

const io::Column& require(const io::Table& t, const std::string& file, const std::string& name, const char* flag) {
    const io::Column* c = t.find(name);
    if (c == nullptr) throw DataError(fmt::format("'{}' has no column '{}' (named by {})", file, name, flag));
    return *c;
}

double checked_basket(const io::Column& c, std::size_t row, const std::string& file) {
    if (!c.is_numeric()) {
        throw DataError(fmt::format("'{}': basket column '{}' is {}, expected numbers", file, c.name(),
                                    io::type_name(c.type())));
    }
    const double v = c.number_at(row);
    if (!std::isfinite(v) || v < 0) {
        throw DataError(fmt::format("'{}' row {}, column '{}': basket value {} must be a number >= 0", file, row + 1,
                                    c.name(), c.is_valid(row) ? fmt::format("{}", v) : "null"));
    }
    return v;
}

}  // namespace

std::vector<double> basket_values(const io::Table& scores, const std::string& scores_file, const std::string& column,
                                  const std::string& id_column, const io::Table* source,
                                  const std::string& source_file) {
    std::vector<double> out(scores.num_rows());
    if (source == nullptr) {
        const io::Column& c = require(scores, scores_file, column, "--basket-col");
        for (std::size_t r = 0; r < out.size(); ++r) out[r] = checked_basket(c, r, scores_file);
        return out;
    }
    // Ids are matched as text so an int64 id in one file meets the same id read as text from a CSV.
    const io::Column& ids = require(*source, source_file, id_column, "the scores' id role");
    const io::Column& values = require(*source, source_file, column, "--basket-col");
    std::unordered_map<std::string, std::size_t> row_of;
    row_of.reserve(source->num_rows());
    for (std::size_t r = 0; r < source->num_rows(); ++r) {
        if (!row_of.emplace(ids.text_at(r), r).second) {
            throw DataError(fmt::format("'{}' row {}: id '{}' appears twice in column '{}'", source_file, r + 1,
                                        ids.text_at(r), id_column));
        }
    }
    const io::Column& score_ids = require(scores, scores_file, id_column, "the scores' id role");
    for (std::size_t r = 0; r < out.size(); ++r) {
        const auto it = row_of.find(score_ids.text_at(r));
        if (it == row_of.end()) {
            throw DataError(fmt::format("'{}' has no basket for client '{}' (row {} of '{}')", source_file,
                                        score_ids.text_at(r), r + 1, scores_file));
        }
        out[r] = checked_basket(values, it->second, source_file);
    }
    return out;
}

}  // namespace uplift::optimize
