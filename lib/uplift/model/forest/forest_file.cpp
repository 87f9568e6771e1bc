#include "uplift/model/forest/forest_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::model::forest {

namespace {

using Json = nlohmann::json;

/// `"key":[v,v,...]` with each value in fmt's shortest round-trip form.
template <class T>
void write_array(fmt::memory_buffer& out, std::string_view key, const std::vector<T>& values) {
    fmt::format_to(std::back_inserter(out), "\"{}\":[{}]", key, fmt::join(values, ","));
}

/// Reads the forest's members with messages that name the file and the place.
class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw ModelError(fmt::format("'{}': {}{}{}; the forest file is damaged, retrain the model", source_, where,
                                     where.empty() ? "" : ": ", what));
    }

    const Json& member(const Json& j, const char* key, const std::string& where) const {
        if (!j.is_object()) fail(where, "expected an object");
        const auto it = j.find(key);
        if (it == j.end()) fail(where, fmt::format("'{}' is missing", key));
        return *it;
    }

    template <class T>
    std::vector<T> array(const Json& j, const char* key, const std::string& where, std::size_t size) const {
        const Json& a = member(j, key, where);
        if (!a.is_array()) fail(where, fmt::format("'{}' must be an array", key));
        if (a.size() != size) fail(where, fmt::format("'{}' has {} values, {} expected", key, a.size(), size));
        std::vector<T> out;
        out.reserve(size);
        for (const auto& v : a) {
            if (!v.is_number()) fail(where, fmt::format("'{}' holds a non-number", key));
            const double d = v.get<double>();
            if (!std::isfinite(d)) fail(where, fmt::format("'{}' holds a non-finite number", key));
            if constexpr (std::is_integral_v<T>) {
                if (d != std::floor(d)) fail(where, fmt::format("'{}' holds {} where a whole number is expected", key, d));
            }
            out.push_back(static_cast<T>(d));
        }
        return out;
    }

    int integer(const Json& j, const char* key, const std::string& where) const {
        const Json& v = member(j, key, where);
        if (!v.is_number_integer()) fail(where, fmt::format("'{}' must be a whole number", key));
        return v.get<int>();
    }

private:
    std::string source_;
};

/// Node arrays of one tree checked for a walk that always ends: children after their parent, inside the tree.
void check_tree(const Tree& t, int features, const Reader& r, const std::string& where) {
    const std::size_t n = t.nodes();
    if (n == 0) r.fail(where, "a tree has no nodes");
    for (std::size_t i = 0; i < n; ++i) {
        if (t.feature[i] < -1) r.fail(where, fmt::format("node {} has feature {} (-1 marks a leaf)", i, t.feature[i]));
        if (t.feature[i] < 0) continue;
        if (t.feature[i] >= features) r.fail(where, fmt::format("node {} splits on feature {} of {}", i, t.feature[i], features));
        if (t.left[i] != static_cast<std::int32_t>(i + 1)) {
            r.fail(where, fmt::format("node {} has left child {}; in preorder it is the next node", i, t.left[i]));
        }
        for (const std::int32_t child : {t.left[i], t.right[i]}) {
            if (child <= static_cast<std::int32_t>(i) || child >= static_cast<std::int32_t>(n)) {
                r.fail(where, fmt::format("node {} has child {} (nodes are in preorder: a child follows its parent)", i, child));
            }
        }
    }
}

}  // namespace

std::string forest_to_json(const Forest& f) {
    fmt::memory_buffer out;
    const auto put = [&out](std::string_view text) { out.append(text.data(), text.data() + text.size()); };
    fmt::format_to(std::back_inserter(out), "{{\"format\":\"{}\",\"version\":{},\"criterion\":\"{}\",\"arms\":{},\"features\":{},",
                   forest_format_name, forest_format_version, to_string(f.criterion), f.arms, f.features);
    write_array(out, "gain", f.gain);
    put(",\"trees\":[");
    for (std::size_t t = 0; t < f.trees.size(); ++t) {
        const Tree& tree = f.trees[t];
        if (t > 0) put(",");
        put("{");
        write_array(out, "feature", tree.feature);
        put(",");
        write_array(out, "threshold", tree.threshold);
        put(",");
        std::vector<int> missing(tree.missing_left.begin(), tree.missing_left.end());
        write_array(out, "missing_left", missing);
        put(",");
        write_array(out, "left", tree.left);
        put(",");
        write_array(out, "right", tree.right);
        put(",");
        write_array(out, "count", tree.count);
        put(",");
        write_array(out, "mean", tree.mean);
        put("}");
    }
    put("]}\n");
    return fmt::to_string(out);
}

Forest forest_from_json(std::string_view text, const std::string& source) {
    const Reader r(source);
    Json j;
    try {
        j = Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        r.fail("", fmt::format("not valid JSON ({})", e.what()));
    }
    const Json& format = r.member(j, "format", "");
    if (!format.is_string() || format.get<std::string>() != forest_format_name) {
        r.fail("", fmt::format("'format' must be \"{}\"", forest_format_name));
    }
    const int version = r.integer(j, "version", "");
    if (version != forest_format_version) {
        throw ModelError(fmt::format("'{}' is forest format version {}; this build reads version {}: retrain the model "
                                     "or use the upliftctl that wrote it",
                                     source, version, forest_format_version));
    }
    Forest f;
    const Json& criterion = r.member(j, "criterion", "");
    if (!criterion.is_string()) r.fail("", "'criterion' must be a string");
    try {
        f.criterion = criterion_from_string(criterion.get<std::string>());
    } catch (const UsageError& e) {
        r.fail("", e.what());
    }
    f.arms = r.integer(j, "arms", "");
    f.features = r.integer(j, "features", "");
    if (f.arms < 2 || f.arms > 255) r.fail("", fmt::format("'arms' is {}, expected 2 to 255", f.arms));
    if (f.features < 0) r.fail("", "'features' is negative");
    const auto n_features = static_cast<std::size_t>(f.features);
    f.gain = r.array<double>(j, "gain", "", n_features);
    const Json& trees = r.member(j, "trees", "");
    if (!trees.is_array() || trees.empty()) r.fail("", "'trees' must be a non-empty array");
    const auto arms = static_cast<std::size_t>(f.arms);
    for (std::size_t t = 0; t < trees.size(); ++t) {
        const std::string where = fmt::format("tree {}", t);
        const Json& node = r.member(trees[t], "feature", where);
        if (!node.is_array()) r.fail(where, "'feature' must be an array");
        const std::size_t n = node.size();
        Tree tree;
        tree.arms = f.arms;
        tree.feature = r.array<std::int32_t>(trees[t], "feature", where, n);
        tree.threshold = r.array<float>(trees[t], "threshold", where, n);
        for (const std::int32_t m : r.array<std::int32_t>(trees[t], "missing_left", where, n)) {
            if (m != 0 && m != 1) r.fail(where, "'missing_left' must hold 0 or 1");
            tree.missing_left.push_back(static_cast<std::uint8_t>(m));
        }
        tree.left = r.array<std::int32_t>(trees[t], "left", where, n);
        tree.right = r.array<std::int32_t>(trees[t], "right", where, n);
        tree.count = r.array<double>(trees[t], "count", where, n * arms);
        tree.mean = r.array<double>(trees[t], "mean", where, n * arms);
        check_tree(tree, f.features, r, where);
        f.trees.push_back(std::move(tree));
    }
    return f;
}

}  // namespace uplift::model::forest
