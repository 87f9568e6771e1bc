#include "uplift/model/tree_ensemble.hpp"

#include "uplift/core/parallel.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace uplift::model {

namespace {

using nlohmann::json;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
// Deeper than any tree XGBoost grows by depth (its max_depth is far below); a deeper walk means a cycle.
constexpr std::uint32_t kMaxDepth = 64;
// Rows walked together: their values (48 bytes each at 12 features) stay in the first-level cache while every
// tree passes over them.
constexpr std::size_t kBlockRows = 256;
constexpr std::size_t kPartRows = 16 * kBlockRows;
constexpr std::size_t kLanes = 8;
// Enough leaves to check a large model's splits; a larger one is checked on every k-th leaf.
constexpr std::size_t kMaxProbedLeaves = 50'000;

/// XGBoost 1.7's common::Sigmoid, operation for operation, so that the probability has the same bits.
float xgboost_sigmoid(float margin) {
    constexpr float kEps = 1e-16f;
    const float x = std::min(-margin, 88.7f);
    const float denom = ::expf(x) + 1.0f + kEps;
    return 1.0f / denom;
}

/// One step of a walk: the child a value sends the row to (XGBoost's GetNextNode for a numerical split).
inline std::uint32_t next_node(const TreeEnsemble::Node& node, const float* row) {
    const float v = row[node.feature & ~TreeEnsemble::kDefaultLeft];
    const bool missing_goes_left = (node.feature & TreeEnsemble::kDefaultLeft) != 0 && std::isnan(v);
    const bool right = !(v < node.split) && !missing_goes_left;
    return static_cast<std::uint32_t>(node.left + static_cast<std::int32_t>(right));
}

template <class T>
std::vector<T> number_array(const json& tree, const char* key) {
    std::vector<T> out;
    for (const auto& v : tree.at(key)) out.push_back(v.get<T>());
    return out;
}

}  // namespace

std::optional<TreeEnsemble> TreeEnsemble::from_ubjson(std::span<const std::uint8_t> model, std::size_t num_features,
                                                      std::string* why_not) {
    const auto no = [&](std::string reason) {
        if (why_not != nullptr) *why_not = std::move(reason);
        return std::optional<TreeEnsemble>{};
    };
    if (num_features == 0) return no("a model of no features");
    TreeEnsemble e;
    e.num_features_ = num_features;
    try {
        const json doc = json::from_ubjson(model.begin(), model.end());
        const json& learner = doc.at("learner");
        const auto objective = learner.at("objective").at("name").get<std::string>();
        if (objective != "binary:logistic" && objective != "reg:squarederror") return no("objective " + objective);
        e.logistic_ = objective == "binary:logistic";

        const json& param = learner.at("learner_model_param");
        for (const char* key : {"num_class", "num_target"}) {
            if (param.contains(key) && std::stoi(param.at(key).get<std::string>()) > 1) {
                return no(fmt::format("{} {}", key, param.at(key).get<std::string>()));
            }
        }
        const auto base_text = param.at("base_score").get<std::string>();
        float base_score = 0.0f;
        const auto parsed = std::from_chars(base_text.data(), base_text.data() + base_text.size(), base_score);
        if (parsed.ec != std::errc() || parsed.ptr != base_text.data() + base_text.size()) {
            return no("base_score " + base_text);
        }
        if (e.logistic_) {
            if (!(base_score > 0.0f && base_score < 1.0f)) return no("base_score " + base_text);
            // XGBoost's RegLossObj<LogisticClassification>::ProbToMargin.
            e.base_margin_ = -::logf(1.0f / base_score - 1.0f);
        } else {
            e.base_margin_ = base_score;
        }

        const json& booster = learner.at("gradient_booster");
        if (booster.at("name").get<std::string>() != "gbtree") {
            return no("booster " + booster.at("name").get<std::string>());
        }
        const json& trees = booster.at("model").at("trees");
        for (const auto& group : booster.at("model").at("tree_info")) {
            if (group.get<int>() != 0) return no("trees of several output groups");
        }
        for (const json& tree : trees) {
            const auto left = number_array<std::int32_t>(tree, "left_children");
            const auto feature = number_array<std::uint32_t>(tree, "split_indices");
            const auto split = number_array<float>(tree, "split_conditions");
            const auto default_left = number_array<int>(tree, "default_left");
            const std::size_t n = left.size();
            if (n == 0 || feature.size() != n || split.size() != n || default_left.size() != n) {
                return no("a tree whose node arrays differ in length");
            }
            if (tree.contains("split_type")) {
                for (const auto& type : tree.at("split_type")) {
                    if (type.get<int>() != 0) return no("a categorical split");
                }
            }
            if (e.nodes_.size() + n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
                return no("too many nodes");
            }
            const auto root = static_cast<std::int32_t>(e.nodes_.size());
            for (std::size_t i = 0; i < n; ++i) {
                const auto self = root + static_cast<std::int32_t>(i);
                if (left[i] == -1) {
                    e.nodes_.push_back({.split = kNaN, .feature = 0, .left = self - 1, .leaf = split[i]});
                    continue;
                }
                if (left[i] < 0 || static_cast<std::size_t>(left[i]) + 1 >= n) return no("a child outside its tree");
                if (feature[i] >= num_features) return no(fmt::format("a split on feature {}", feature[i]));
                if (std::isnan(split[i])) return no("a split at NaN");  // NaN marks our leaves
                e.nodes_.push_back({.split = split[i],
                                    .feature = feature[i] | (default_left[i] != 0 ? kDefaultLeft : 0u),
                                    .left = root + left[i],
                                    .leaf = 0.0f});
            }
            // The depth, walking every path: also the check that the walk ends (no node is its own ancestor).
            std::uint32_t depth = 0;
            std::vector<std::pair<std::uint32_t, std::uint32_t>> stack{{static_cast<std::uint32_t>(root), 0u}};
            while (!stack.empty()) {
                const auto [node, d] = stack.back();
                stack.pop_back();
                if (d > kMaxDepth) return no("a tree deeper than 64 or with a cycle");
                if (std::isnan(e.nodes_[node].split)) {
                    depth = std::max(depth, d);
                    continue;
                }
                const auto l = static_cast<std::uint32_t>(e.nodes_[node].left);
                stack.emplace_back(l, d + 1);
                stack.emplace_back(l + 1, d + 1);
            }
            e.trees_.push_back({.root = static_cast<std::uint32_t>(root), .depth = depth});
        }
    } catch (const std::exception& ex) {
        return no(std::string("the model's UBJSON: ") + ex.what());
    }
    if (e.trees_.empty()) return no("no trees");
    return e;
}

void TreeEnsemble::predict_block(const float* x, std::size_t rows, float* out) const {
    const std::size_t cols = num_features_;
    std::fill(out, out + rows, base_margin_);
    const Node* nodes = nodes_.data();
    for (const Tree& tree : trees_) {
        std::size_t r = 0;
        for (; r + kLanes <= rows; r += kLanes) {
            std::uint32_t at[kLanes];
            for (std::size_t j = 0; j < kLanes; ++j) at[j] = tree.root;
            for (std::uint32_t d = 0; d < tree.depth; ++d) {
                for (std::size_t j = 0; j < kLanes; ++j) at[j] = next_node(nodes[at[j]], x + (r + j) * cols);
            }
            for (std::size_t j = 0; j < kLanes; ++j) out[r + j] += nodes[at[j]].leaf;
        }
        for (; r < rows; ++r) {
            std::uint32_t at = tree.root;
            for (std::uint32_t d = 0; d < tree.depth; ++d) at = next_node(nodes[at], x + r * cols);
            out[r] += nodes[at].leaf;
        }
    }
    if (logistic_) {
        for (std::size_t r = 0; r < rows; ++r) out[r] = xgboost_sigmoid(out[r]);
    }
}

void TreeEnsemble::predict(const float* x, std::size_t rows, float* out, int threads) const {
    const std::size_t parts = (rows + kPartRows - 1) / kPartRows;
    for_each_part(parts, thread_limit(threads), [&](std::size_t part) {
        const std::size_t end = std::min(rows, (part + 1) * kPartRows);
        for (std::size_t r = part * kPartRows; r < end; r += kBlockRows) {
            predict_block(x + r * num_features_, std::min(kBlockRows, end - r), out + r);
        }
    });
}

std::vector<float> TreeEnsemble::probe_rows() const {
    std::size_t leaves = 0;
    for (const Node& node : nodes_) leaves += std::isnan(node.split) ? 1 : 0;
    const std::size_t stride = std::max<std::size_t>(1, (leaves + kMaxProbedLeaves - 1) / kMaxProbedLeaves);

    // The bounds a path puts on each feature: lo <= value < hi, and whether every split on it on the path sent
    // the row its default way (so that a missing value takes the same path).
    struct Bounds {
        float lo = -kInf, hi = kInf;
        bool split_on = false, all_default = true;
    };
    std::vector<float> rows;
    std::size_t leaf_number = 0;
    const auto emit = [&](const std::vector<Bounds>& bounds, bool leave_out_defaults) {
        std::vector<float> row(num_features_, kNaN);
        for (std::size_t f = 0; f < num_features_; ++f) {
            const Bounds& b = bounds[f];
            if (!b.split_on || (leave_out_defaults && b.all_default)) continue;
            if (!(b.lo < b.hi)) return;  // no value takes this path: the leaf is reached only through missing values
            row[f] = b.lo > -kInf ? b.lo : std::nextafter(b.hi, -kInf);
        }
        rows.insert(rows.end(), row.begin(), row.end());
    };
    const auto walk = [&](auto&& self, std::uint32_t at, std::vector<Bounds>& bounds) -> void {
        const Node& node = nodes_[at];
        if (std::isnan(node.split)) {
            if (leaf_number++ % stride != 0) return;
            emit(bounds, false);
            emit(bounds, true);
            return;
        }
        const std::size_t f = node.feature & ~kDefaultLeft;
        const bool default_left = (node.feature & kDefaultLeft) != 0;
        const Bounds saved = bounds[f];
        for (const bool right : {false, true}) {
            Bounds& b = bounds[f];
            b.split_on = true;
            b.all_default = saved.all_default && (right != default_left);
            if (right) {
                b.lo = std::max(saved.lo, node.split);
                b.hi = saved.hi;
            } else {
                b.lo = saved.lo;
                b.hi = std::min(saved.hi, node.split);
            }
            self(self, static_cast<std::uint32_t>(node.left + (right ? 1 : 0)), bounds);
        }
        bounds[f] = saved;
    };
    for (const Tree& tree : trees_) {
        std::vector<Bounds> bounds(num_features_);
        walk(walk, tree.root, bounds);
    }
    return rows;
}

}  // namespace uplift::model
