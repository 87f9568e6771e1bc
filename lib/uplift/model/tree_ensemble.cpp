#include "uplift/model/tree_ensemble.hpp"

#include "uplift/core/parallel.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

namespace uplift::model {

namespace {

using nlohmann::json;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
// A tree is laid out complete to its depth: 4,095 splits and 4,096 leaves (48 KB) at most. XGBoost grows trees of
// depth 6 by default; a deeper one (or one grown leaf by leaf without a depth limit) is XGBoost's to predict.
constexpr std::uint32_t kMaxDepth = 12;
// Rows walked together: their values (48 bytes each at 12 features) stay in the first-level cache while every
// tree passes over them.
constexpr std::size_t kBlockRows = 256;
constexpr std::size_t kPartRows = 16 * kBlockRows;
// Rows walked side by side: one row's steps wait on each other's loads. 16 measured fastest (4: 0.82 s, 8: 0.61 s,
// 12: 0.54 s, 16: 0.53 s, 24: 0.71 s per million rows of 100 trees of depth 6 on one core; bench/bench_predict).
constexpr std::size_t kLanes = 16;
// Enough leaves to check a large model's splits; a larger one is checked on every k-th leaf.
constexpr std::size_t kMaxProbedLeaves = 50'000;

/// XGBoost 1.7's common::Sigmoid, operation for operation, so that the probability has the same bits.
float xgboost_sigmoid(float margin) {
    constexpr float kEps = 1e-16f;
    const float x = std::min(-margin, 88.7f);
    const float denom = ::expf(x) + 1.0f + kEps;
    return 1.0f / denom;
}

/// One step of a walk from split `at`: the child its value sends the row to (XGBoost's GetNextNode for a
/// numerical split). Without missing values in the block, the default direction needs no test: `!(value <
/// split)` is the whole rule.
template <bool kMissing>
inline std::uint32_t next_split(const TreeEnsemble::Split* splits, std::uint32_t at, const float* row) {
    const TreeEnsemble::Split& split = splits[at];
    const float v = row[split.feature & ~TreeEnsemble::kDefaultLeft];
    auto right = static_cast<std::uint32_t>(!(v < split.value));
    if constexpr (kMissing) {
        // Bitwise, not &&: a branch here would be the misprediction the walk avoids.
        right &= ~((split.feature >> 31) & static_cast<std::uint32_t>(std::isnan(v)));
    }
    return 2 * at + 1 + right;
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
            XgbTree t{.left = number_array<std::int32_t>(tree, "left_children"),
                      .feature = number_array<std::uint32_t>(tree, "split_indices"),
                      .split = number_array<float>(tree, "split_conditions"),
                      .default_left = number_array<int>(tree, "default_left")};
            const std::size_t n = t.left.size();
            if (n == 0 || t.feature.size() != n || t.split.size() != n || t.default_left.size() != n) {
                return no("a tree whose node arrays differ in length");
            }
            if (tree.contains("split_type")) {
                for (const auto& type : tree.at("split_type")) {
                    if (type.get<int>() != 0) return no("a categorical split");
                }
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (t.left[i] == -1) continue;
                if (t.left[i] < 0 || static_cast<std::size_t>(t.left[i]) + 1 >= n) return no("a child outside its tree");
                if (t.feature[i] >= num_features) return no(fmt::format("a split on feature {}", t.feature[i]));
                if (std::isnan(t.split[i])) return no("a split at NaN");  // NaN marks our padding
            }
            // The depth, walking every path: also the check that the walk ends (no node is its own ancestor).
            std::uint32_t depth = 0;
            std::vector<std::pair<std::int32_t, std::uint32_t>> stack{{0, 0u}};
            while (!stack.empty()) {
                const auto [node, d] = stack.back();
                stack.pop_back();
                if (d > kMaxDepth) return no(fmt::format("a tree deeper than {} levels, or with a cycle", kMaxDepth));
                if (t.left[node] == -1) {
                    depth = std::max(depth, d);
                    continue;
                }
                stack.emplace_back(t.left[node], d + 1);
                stack.emplace_back(t.left[node] + 1, d + 1);
            }
            if (e.leaves_.size() + (std::size_t{1} << depth) > std::numeric_limits<std::uint32_t>::max()) {
                return no("too many nodes");
            }
            e.add_tree(t, depth);
        }
    } catch (const std::exception& ex) {
        return no(std::string("the model's UBJSON: ") + ex.what());
    }
    if (e.trees_.empty()) return no("no trees");
    return e;
}

namespace {

/// Adds every tree's leaf to `out` for the block's rows (row-major, `cols` floats each).
template <bool kMissing>
void walk_trees(const TreeEnsemble::Split* splits, const float* leaves, std::span<const TreeEnsemble::Tree> trees,
                const float* x, std::size_t cols, std::size_t rows, float* out) {
    for (const TreeEnsemble::Tree& tree : trees) {
        const TreeEnsemble::Split* s = splits + tree.splits;
        const float* leaf = leaves + tree.leaves;
        const std::uint32_t inner = (1u << tree.depth) - 1;  // the walk ends at inner + leaf
        std::size_t r = 0;
        for (; r + kLanes <= rows; r += kLanes) {
            const float* row[kLanes];
            std::uint32_t at[kLanes] = {};
            for (std::size_t j = 0; j < kLanes; ++j) row[j] = x + (r + j) * cols;
            for (std::uint32_t d = 0; d < tree.depth; ++d) {
                for (std::size_t j = 0; j < kLanes; ++j) at[j] = next_split<kMissing>(s, at[j], row[j]);
            }
            for (std::size_t j = 0; j < kLanes; ++j) out[r + j] += leaf[at[j] - inner];
        }
        for (; r < rows; ++r) {
            std::uint32_t at = 0;
            for (std::uint32_t d = 0; d < tree.depth; ++d) at = next_split<kMissing>(s, at, x + r * cols);
            out[r] += leaf[at - inner];
        }
    }
}

}  // namespace

void TreeEnsemble::add_tree(const XgbTree& tree, std::uint32_t depth) {
    const std::size_t inner = (std::size_t{1} << depth) - 1;
    const Tree laid{.splits = static_cast<std::uint32_t>(splits_.size()),
                    .leaves = static_cast<std::uint32_t>(leaves_.size()),
                    .depth = depth};
    splits_.resize(splits_.size() + inner, Split{.value = kNaN, .feature = 0});
    leaves_.resize(leaves_.size() + inner + 1, 0.0f);
    Split* s = splits_.data() + laid.splits;
    float* leaf = leaves_.data() + laid.leaves;
    // (XGBoost node, heap slot, level); a leaf above the last level goes on down through padding, always right.
    std::vector<std::tuple<std::int32_t, std::size_t, std::uint32_t>> stack{{0, 0, 0}};
    while (!stack.empty()) {
        const auto [node, slot, level] = stack.back();
        stack.pop_back();
        if (level == depth) {
            leaf[slot - inner] = tree.split[node];
        } else if (tree.left[node] == -1) {
            stack.emplace_back(node, 2 * slot + 2, level + 1);  // the slot keeps its padding (NaN: right)
        } else {
            s[slot] = {.value = tree.split[node],
                       .feature = tree.feature[node] | (tree.default_left[node] != 0 ? kDefaultLeft : 0u)};
            stack.emplace_back(tree.left[node], 2 * slot + 1, level + 1);
            stack.emplace_back(tree.left[node] + 1, 2 * slot + 2, level + 1);
        }
    }
    trees_.push_back(laid);
}

void TreeEnsemble::predict_block(const float* x, std::size_t rows, float* out) const {
    const std::size_t cols = num_features_;
    std::fill(out, out + rows, base_margin_);
    const bool missing = std::any_of(x, x + rows * cols, [](float v) { return std::isnan(v); });
    if (missing) {
        walk_trees<true>(splits_.data(), leaves_.data(), trees_, x, cols, rows, out);
    } else {
        walk_trees<false>(splits_.data(), leaves_.data(), trees_, x, cols, rows, out);
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
    // Leaf slots, reached or not (padding leaves some empty): a bound on the leaves.
    const std::size_t leaves = leaves_.size();
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
    const auto walk = [&](auto&& self, const Tree& tree, std::size_t slot, std::uint32_t level,
                          std::vector<Bounds>& bounds) -> void {
        if (level == tree.depth) {
            if (leaf_number++ % stride != 0) return;
            emit(bounds, false);
            emit(bounds, true);
            return;
        }
        const Split& split = splits_[tree.splits + slot];
        if (std::isnan(split.value)) return self(self, tree, 2 * slot + 2, level + 1, bounds);  // padding
        const std::size_t f = split.feature & ~kDefaultLeft;
        const bool default_left = (split.feature & kDefaultLeft) != 0;
        const Bounds saved = bounds[f];
        for (const bool right : {false, true}) {
            Bounds& b = bounds[f];
            b.split_on = true;
            b.all_default = saved.all_default && (right != default_left);
            if (right) {
                b.lo = std::max(saved.lo, split.value);
                b.hi = saved.hi;
            } else {
                b.lo = saved.lo;
                b.hi = std::min(saved.hi, split.value);
            }
            self(self, tree, 2 * slot + 1 + (right ? 1 : 0), level + 1, bounds);
        }
        bounds[f] = saved;
    };
    for (const Tree& tree : trees_) {
        std::vector<Bounds> bounds(num_features_);
        walk(walk, tree, 0, 0, bounds);
    }
    return rows;
}

}  // namespace uplift::model
