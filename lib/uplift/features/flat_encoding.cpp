#include "uplift/features/flat_encoding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"

namespace uplift::features {

using io::Column;
using io::ColumnType;

namespace {

std::string indicator_name(const std::string& column, const std::string& level) { return column + "=" + level; }

}  // namespace

FeatureSpec fit_flat_features(const io::Table& dataset, const data::Roles& roles, const FlatFeatureOptions& options,
                              std::vector<std::string>* dropped) {
    FeatureSpec spec;
    const double rows = static_cast<double>(dataset.num_rows());
    for (const auto& name : roles.features) {
        const Column& c = dataset.column(name);
        if (c.type() != ColumnType::String) {
            spec.numeric.push_back(name);
            spec.manifest.push_back({name, "numeric", name, fmt::format("{} as a number", name)});
            continue;
        }
        std::unordered_map<std::string, std::int64_t> counts;
        const auto& values = c.string_values();
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (c.is_valid(i)) ++counts[values[i]];
        }
        const bool id_like = static_cast<double>(counts.size()) > options.max_distinct_share * rows &&
                             counts.size() > static_cast<std::size_t>(options.max_levels);
        if (counts.empty() || id_like) {
            log::warn("column '{}' is not used as a feature: {}", name,
                      counts.empty() ? "it has no values" : "nearly every row has its own value (an identifier?)");
            if (dropped != nullptr) dropped->push_back(name);
            continue;
        }
        std::vector<std::pair<std::string, std::int64_t>> ranked(counts.begin(), counts.end());
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        CategoricalEncoding enc{name, {}, false};
        for (std::size_t k = 0; k < ranked.size(); ++k) {
            if (k < static_cast<std::size_t>(options.max_levels)) {
                enc.levels.push_back(ranked[k].first);
                spec.manifest.push_back({indicator_name(name, ranked[k].first), "one_hot", name,
                                         fmt::format("1 when {} is '{}'", name, ranked[k].first)});
            } else {
                enc.other = true;
            }
        }
        if (enc.other) {
            spec.manifest.push_back({indicator_name(name, other_level), "one_hot", name,
                                     fmt::format("1 when {} is one of its {} rarer levels", name,
                                                 ranked.size() - enc.levels.size())});
        }
        spec.categorical.push_back(std::move(enc));
    }
    // Output order follows the manifest: numeric and one-hot columns interleaved as in the source.
    return spec;
}

std::vector<Column> encode_features(const io::Table& input, const FeatureSpec& spec, EncodeStats* stats) {
    const auto source = [&](const std::string& name) -> const Column& {
        const Column* c = input.find(name);
        if (c == nullptr) {
            throw ModelError(fmt::format("the input has no column '{}', which the model was trained on", name));
        }
        return *c;
    };
    std::map<std::string, std::vector<double>> encoded;
    for (const auto& name : spec.numeric) {
        const Column& c = source(name);
        if (c.type() == ColumnType::String) {
            throw ModelError(fmt::format("column '{}' holds text here but numbers in training", name));
        }
        encoded[name] = c.to_doubles();
    }
    const std::size_t n = input.num_rows();
    for (const auto& enc : spec.categorical) {
        const Column& c = source(enc.column);
        std::unordered_map<std::string, std::size_t> slot;
        for (std::size_t k = 0; k < enc.levels.size(); ++k) slot.emplace(enc.levels[k], k);
        std::vector<std::vector<double>> indicators(enc.levels.size() + (enc.other ? 1 : 0), std::vector<double>(n, 0.0));
        std::int64_t unseen = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!c.is_valid(i)) continue;  // missing: all indicators 0
            const std::string value = c.text_at(i);
            if (const auto it = slot.find(value); it != slot.end()) {
                indicators[it->second][i] = 1.0;
            } else if (enc.other) {
                indicators.back()[i] = 1.0;
            } else {
                ++unseen;
            }
        }
        if (unseen > 0 && stats != nullptr) stats->unseen_levels[enc.column] += unseen;
        for (std::size_t k = 0; k < enc.levels.size(); ++k) {
            encoded[indicator_name(enc.column, enc.levels[k])] = std::move(indicators[k]);
        }
        if (enc.other) encoded[indicator_name(enc.column, other_level)] = std::move(indicators.back());
    }
    std::vector<Column> out;
    for (const auto& f : spec.manifest) {
        auto& values = encoded.at(f.name);
        std::vector<std::uint8_t> validity;
        if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
            validity.resize(values.size());
            for (std::size_t i = 0; i < values.size(); ++i) validity[i] = std::isnan(values[i]) ? 0 : 1;
        }
        out.push_back(Column::doubles(f.name, std::move(values), std::move(validity)));
    }
    return out;
}

io::Table build_flat_features(const io::Table& dataset, const data::Roles& roles, const FeatureSpec& spec) {
    io::Table out;
    out.add_column(dataset.column(roles.id));
    out.add_column(dataset.column(roles.treatment));
    out.add_column(dataset.column(roles.outcome));
    for (auto& c : encode_features(dataset, spec, nullptr)) out.add_column(std::move(c));
    out.metadata() = flat_features_metadata(dataset.metadata(), roles, spec);
    return out;
}

io::Metadata flat_features_metadata(const io::Metadata& dataset, const data::Roles& roles, const FeatureSpec& spec) {
    io::Metadata out = dataset;
    data::Roles encoded = roles;
    encoded.features = spec.names();
    data::store_roles(out, encoded);
    artifacts::store(out, spec);
    return out;
}

}  // namespace uplift::features
