#include "uplift/artifacts/scores_info.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::artifacts {

namespace {

constexpr ScoredAs all_kinds[] = {ScoredAs::Holdout, ScoredAs::OutOfFold, ScoredAs::InSample, ScoredAs::New};

}  // namespace

std::string_view to_string(ScoredAs scored_as) noexcept {
    switch (scored_as) {
    case ScoredAs::Holdout: return "holdout";
    case ScoredAs::OutOfFold: return "out_of_fold";
    case ScoredAs::InSample: return "in_sample";
    case ScoredAs::New: return "new";
    }
    return "new";
}

std::string to_json(const ScoresInfo& info) {
    nlohmann::ordered_json j;
    j["format_version"] = scores_info_format_version;
    j["scored_as"] = to_string(info.scored_as);
    j["folds"] = info.folds;
    j["segment_uplift_threshold"] = info.segment_uplift;
    j["segment_buy_threshold"] = info.segment_buy;
    if (info.checked_rows > 0) {
        j["checked_rows"] = info.checked_rows;
        j["fitted_rows"] = info.fitted_rows;
    }
    return j.dump();
}

ScoresInfo scores_info_from_json(std::string_view text, const std::string& source) {
    ScoresInfo info;
    try {
        const auto j = nlohmann::json::parse(text);
        const int version = j.at("format_version").get<int>();
        if (version != scores_info_format_version) {
            throw DataError(fmt::format("'{}': scores metadata of format version {}; this upliftctl reads version {} "
                                        "(score again with this upliftctl)",
                                        source, version, scores_info_format_version));
        }
        const auto name = j.at("scored_as").get<std::string>();
        bool known = false;
        for (const ScoredAs s : all_kinds) {
            if (name == to_string(s)) {
                info.scored_as = s;
                known = true;
            }
        }
        if (!known) throw DataError(fmt::format("'{}': scores metadata names an unknown origin '{}'", source, name));
        info.folds = j.at("folds").get<int>();
        info.segment_uplift = j.at("segment_uplift_threshold").get<double>();
        info.segment_buy = j.at("segment_buy_threshold").get<double>();
        info.checked_rows = j.value("checked_rows", std::int64_t{0});
        info.fitted_rows = j.value("fitted_rows", std::int64_t{0});
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("'{}': unreadable scores metadata ({})", source, e.what()));
    }
    return info;
}

void store_scores_info(std::map<std::string, std::string>& metadata, const ScoresInfo& info) {
    metadata[scores_info_key] = to_json(info);
}

std::optional<ScoresInfo> load_scores_info(const std::map<std::string, std::string>& metadata,
                                           const std::string& source) {
    const auto it = metadata.find(scores_info_key);
    if (it == metadata.end()) return std::nullopt;
    return scores_info_from_json(it->second, source);
}

}  // namespace uplift::artifacts
