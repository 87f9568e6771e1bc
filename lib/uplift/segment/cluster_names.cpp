#include "uplift/segment/cluster_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::segment {

namespace {

std::optional<int> cluster_id(std::string_view text) {
    int id = -1;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return id;
}

}  // namespace

std::vector<std::string> default_names(const FeatureMatrix& m, const KMeansResult& fit) {
    const auto k = static_cast<std::size_t>(fit.k);
    const std::vector<double> means = label_means(m, fit);
    std::vector<std::string> names;
    for (std::size_t c = 0; c < k; ++c) {
        // The columns are standardised, so a cluster's mean is its distance from everyone's in sd.
        const std::vector<double> z(means.begin() + static_cast<std::ptrdiff_t>(c * m.cols),
                                    means.begin() + static_cast<std::ptrdiff_t>((c + 1) * m.cols));
        std::vector<std::size_t> order(m.cols);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::abs(z[a]) > std::abs(z[b]); });
        std::string name;
        for (std::size_t r = 0; r < order.size() && r < 2; ++r) {
            const double v = z[order[r]];
            if (std::abs(v) < name_min_z) break;
            if (!name.empty()) name += ", ";
            name += (v > 0 ? "high " : "low ") + m.names[order[r]];
        }
        if (name.empty()) name = "typical";
        const std::string base = name;
        for (int n = 2; std::find(names.begin(), names.end(), name) != names.end(); ++n) name = fmt::format("{} ({})", base, n);
        names.push_back(name);
    }
    return names;
}

std::map<int, std::string> read_names_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError(fmt::format("--names file '{}' does not exist or is not a file", path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    if (!in && !in.eof()) throw IoError(fmt::format("cannot read --names file '{}'", path.string()));
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("--names '{}' is not valid JSON: {}", path.string(), e.what()));
    }
    if (!doc.is_object()) {
        throw DataError(fmt::format("--names '{}': expected an object of cluster id to name, e.g. {{\"0\": \"pragmatists\"}}",
                                    path.string()));
    }
    std::map<int, std::string> out;
    for (const auto& [key, value] : doc.items()) {
        const auto id = cluster_id(key);
        if (!id || !value.is_string()) {
            throw DataError(fmt::format("--names '{}': key '{}': expected a cluster id (0, 1, …) with a text name",
                                        path.string(), key));
        }
        out[*id] = value.get<std::string>();
    }
    return out;
}

std::pair<int, std::string> parse_name_flag(const std::string& text) {
    const auto eq = text.find('=');
    const auto id = eq == std::string::npos ? std::nullopt : cluster_id(std::string_view(text).substr(0, eq));
    if (!id) throw UsageError(fmt::format("--name '{}': expected ID=NAME, e.g. --name 0=pragmatists", text));
    return {*id, text.substr(eq + 1)};
}

void apply_names(std::vector<artifacts::ClusterPortrait>& portraits, const std::vector<std::string>& defaults,
                 const std::map<int, std::string>& given) {
    for (const auto& [id, name] : given) {
        if (id < 0 || static_cast<std::size_t>(id) >= portraits.size()) {
            throw UsageError(fmt::format("a name is given for cluster {}, but the clusters are 0..{}", id,
                                         portraits.size() - 1));
        }
        if (name.empty()) throw UsageError(fmt::format("the name given for cluster {} is empty", id));
    }
    for (std::size_t c = 0; c < portraits.size(); ++c) {
        const auto found = given.find(static_cast<int>(c));
        portraits[c].named = found != given.end();
        portraits[c].name = portraits[c].named ? found->second : defaults[c];
    }
}

}  // namespace uplift::segment
