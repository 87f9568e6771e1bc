#include "uplift/pipeline/pipeline_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <toml++/toml.h>

#include "uplift/core/errors.hpp"

namespace uplift::pipeline {

namespace {

/// "pipeline.toml:12:5" for a node or key of the file.
std::string where(const std::filesystem::path& source, const toml::source_region& region) {
    return fmt::format("{}:{}:{}", source.string(), region.begin.line, region.begin.column);
}

[[noreturn]] void fail(const std::filesystem::path& source, const toml::source_region& region, const std::string& what) {
    throw UsageError(fmt::format("{}: {}", where(source, region), what));
}

/// A flag's value as one command-line word.
std::string word_of(const toml::node& v, const std::filesystem::path& source, const std::string& key) {
    if (const auto s = v.value_exact<std::string>()) return *s;
    if (const auto i = v.value_exact<std::int64_t>()) return std::to_string(*i);
    if (const auto d = v.value_exact<double>()) return fmt::format("{}", *d);
    fail(source, v.source(), fmt::format("'{}' must be a string, a number, true/false or an array of them", key));
}

/// Flags `run` wires between the stages itself: setting them in the file would break the chain.
const std::map<std::string, std::set<std::string>>& reserved_flags() {
    static const std::map<std::string, std::set<std::string>> reserved = {
        {"ingest", {"input", "out", "clients", "purchases", "products", "campaign", "overwrite", "quiet"}},
        {"features", {"input", "out", "data", "cutoff", "population", "like", "overwrite", "quiet", "list"}},
        {"train", {"input", "out", "seed", "overwrite", "quiet"}},
        {"compare", {"champion", "challenger", "features", "out", "seed", "margin", "overwrite", "quiet"}},
        {"score", {"model", "input", "out", "overwrite", "quiet"}},
        {"optimize", {"scores", "out", "plan_json", "seed", "overwrite", "quiet"}},
        {"report", {"scores", "holdout", "model", "plan", "out", "lang", "compare", "drift", "overwrite", "quiet"}},
    };
    return reserved;
}

std::vector<std::string> stage_flags_of(const toml::table& table, const std::string& stage,
                                        const std::filesystem::path& source,
                                        std::map<std::string, std::string>& flag_sources) {
    std::vector<std::string> words;
    const auto& reserved = reserved_flags().at(stage);
    for (auto&& [key, value] : table) {
        const std::string k(key.str());
        if (reserved.count(k)) {
            fail(source, key.source(),
                 fmt::format("[{}] {} is set by `upliftctl run` itself (it wires the stages' files together)", stage, k));
        }
        std::string flag = "--" + k;
        std::replace(flag.begin(), flag.end(), '_', '-');
        flag_sources[flag] = where(source, key.source());
        if (const auto b = value.value_exact<bool>()) {
            if (*b) words.push_back(flag);
        } else if (const auto* array = value.as_array()) {
            for (const auto& item : *array) {
                words.push_back(flag);
                words.push_back(word_of(item, source, k));
            }
        } else {
            words.push_back(flag);
            words.push_back(word_of(value, source, k));
        }
    }
    return words;
}

/// Reads the keys of one of run's own tables, refusing any other.
class Section {
public:
    Section(const toml::table* table, std::string name, const std::filesystem::path& source)
        : table_(table), name_(std::move(name)), source_(source) {}

    template <class T>
    void read(const char* key, T& out) {
        known_.insert(key);
        if (table_ == nullptr) return;
        const toml::node* node = table_->get(key);
        if (node == nullptr) return;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            const auto* array = node->as_array();
            if (array == nullptr) fail(source_, node->source(), fmt::format("[{}] {} must be an array of strings", name_, key));
            out.clear();
            for (const auto& item : *array) {
                const auto s = item.value_exact<std::string>();
                if (!s) fail(source_, item.source(), fmt::format("[{}] {} must be an array of strings", name_, key));
                out.push_back(*s);
            }
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            const auto v = node->value_exact<std::int64_t>();
            if (!v || *v < 0) fail(source_, node->source(), fmt::format("[{}] {} must be a whole number ≥ 0", name_, key));
            out = static_cast<std::uint64_t>(*v);
        } else if constexpr (std::is_same_v<T, double>) {
            const auto v = node->value<double>();  // an integer is a number too
            if (!v) fail(source_, node->source(), fmt::format("[{}] {} must be a number", name_, key));
            out = *v;
        } else if constexpr (std::is_same_v<T, bool>) {
            const auto v = node->value_exact<bool>();
            if (!v) fail(source_, node->source(), fmt::format("[{}] {} must be true or false", name_, key));
            out = *v;
        } else {
            const auto v = node->value_exact<std::string>();
            if (!v) fail(source_, node->source(), fmt::format("[{}] {} must be a string", name_, key));
            out = *v;
        }
    }

    /// After every read: a key nobody read is a typo.
    void refuse_unknown() const {
        if (table_ == nullptr) return;
        for (auto&& [key, value] : *table_) {
            if (!known_.count(std::string(key.str()))) {
                fail(source_, key.source(),
                     fmt::format("[{}] has no key '{}'; it takes {}", name_, key.str(), fmt::join(known_, ", ")));
            }
        }
    }

private:
    const toml::table* table_;
    std::string name_;
    const std::filesystem::path& source_;
    std::set<std::string> known_;
};

const toml::table* table_of(const toml::table& root, const char* name, const std::filesystem::path& source) {
    const toml::node* node = root.get(name);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) fail(source, node->source(), fmt::format("'{}' must be a table ([{}])", name, name));
    return node->as_table();
}

}  // namespace

PipelineConfig parse_pipeline(const std::string& text, const std::filesystem::path& source,
                              const std::filesystem::path& base) {
    toml::table root;
    try {
        root = toml::parse(text, source.string());
    } catch (const toml::parse_error& e) {
        throw UsageError(fmt::format("{}: {}", where(source, e.source()), e.description()));
    }
    PipelineConfig c;
    c.file = source;
    c.base = base;

    std::string runs = c.runs.string(), kind = "retail";
    Section run(table_of(root, "run", source), "run", source);
    run.read("folder", runs);
    run.read("name", c.name);
    run.read("seed", c.seed);
    run.refuse_unknown();
    c.runs = base / runs;

    const toml::table* data_table = table_of(root, "data", source);
    if (data_table == nullptr) throw UsageError(fmt::format("{}: has no [data] table: where is the month's data?", source.string()));
    Section data(data_table, "data", source);
    data.read("kind", kind);
    data.read("folder", c.folder);
    data.read("clients", c.clients);
    data.read("purchases", c.purchases);
    data.read("products", c.products);
    data.read("campaign", c.campaign);
    data.read("file", c.file_template);
    data.read("base", c.base_template);
    data.read("train_cutoff", c.train_cutoff);
    data.read("score_cutoff", c.score_cutoff);
    data.refuse_unknown();
    const auto at = [&](const char* key) { return data_table->get(key)->source(); };
    if (kind == "retail") {
        c.kind = DataKind::Retail;
        if (c.folder.empty()) fail(source, data_table->source(), "[data] kind = \"retail\" needs folder = \"...\"");
    } else if (kind == "flat") {
        c.kind = DataKind::Flat;
        if (c.file_template.empty()) fail(source, data_table->source(), "[data] kind = \"flat\" needs file = \"...\"");
    } else {
        fail(source, at("kind"), fmt::format("[data] kind '{}' is not retail or flat", kind));
    }

    Section champion(table_of(root, "champion", source), "champion", source);
    champion.read("margin", c.margin);
    champion.read("compare", c.compare);
    champion.refuse_unknown();
    if (c.margin < 0) throw UsageError(fmt::format("{}: [champion] margin must be ≥ 0", source.string()));

    for (const auto& stage : configurable_stages()) {
        const toml::table* t = table_of(root, stage.c_str(), source);
        if (t == nullptr) continue;
        toml::table flags = *t;
        if (stage == "report") {
            // languages is run's own key: one report per language.
            if (const toml::node* langs = flags.get("languages")) {
                toml::table only;
                only.insert("languages", *langs);
                Section s(&only, "report", source);
                s.read("languages", c.languages);
                flags.erase("languages");
            }
        }
        c.stage_flags[stage] = stage_flags_of(flags, stage, source, c.flag_sources[stage]);
    }
    for (auto&& [key, value] : root) {
        const std::string k(key.str());
        const bool known = k == "run" || k == "data" || k == "champion" ||
                           std::find(configurable_stages().begin(), configurable_stages().end(), k) !=
                               configurable_stages().end();
        if (!known) {
            fail(source, key.source(),
                 fmt::format("unknown table [{}]; the file takes [run], [data], [champion] and [{}]", k,
                             fmt::join(configurable_stages(), "], [")));
        }
    }
    if (c.languages.empty()) throw UsageError(fmt::format("{}: [report] languages is empty", source.string()));
    return c;
}

PipelineConfig load_pipeline(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(file, ec)) {
        throw IoError(fmt::format("cannot read the pipeline file '{}'", file.string()));
    }
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    return parse_pipeline(text, file, std::filesystem::absolute(file).parent_path());
}

std::string expand(const std::string& templ, const std::string& as_of) {
    std::string out;
    for (std::size_t i = 0; i < templ.size(); ++i) {
        if (templ[i] != '{') {
            out += templ[i];
            continue;
        }
        const std::size_t close = templ.find('}', i);
        if (close == std::string::npos) throw UsageError(fmt::format("'{}': an unclosed '{{'", templ));
        const std::string name = templ.substr(i + 1, close - i - 1);
        if (name == "as_of") {
            out += as_of;
        } else if (name == "month") {
            out += as_of.substr(0, 7);
        } else if (name == "year") {
            out += as_of.substr(0, 4);
        } else {
            throw UsageError(fmt::format("'{}': unknown placeholder {{{}}}; use {{as_of}}, {{month}} or {{year}}", templ, name));
        }
        i = close;
    }
    return out;
}

}  // namespace uplift::pipeline
