#include "uplift/features/retail_alignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "uplift/artifacts/model_manifest.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/features/retail_template.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

std::string category_other_column(const std::string& name) {
    for (const std::string prefix : category_family_prefixes) {
        if (name.size() > prefix.size() && name.starts_with(prefix)) return prefix + category_other_key;
    }
    return {};
}

FeatureAlignment align_features(const std::vector<std::string>& model_features,
                                const std::vector<std::string>& input_columns) {
    const std::set<std::string> model(model_features.begin(), model_features.end());
    const std::set<std::string> input(input_columns.begin(), input_columns.end());
    FeatureAlignment out;
    // The input's category columns the model never saw, by fold-in column; in the input's order.
    std::vector<std::pair<std::string, std::string>> unseen;
    for (const auto& c : input_columns) {
        const std::string other = category_other_column(c);
        if (other.empty() || c == other || model.contains(c)) continue;
        if (model.contains(other) && input.contains(other)) {
            unseen.emplace_back(other, c);
            out.folded.push_back(c);
        } else {
            out.unplaced.push_back(c);
        }
    }
    for (const auto& f : model_features) {
        const std::string other = category_other_column(f);
        AlignedColumn column{AlignedColumn::Kind::Copy, f, {f}};
        if (f == other && !unseen.empty() && input.contains(f)) {
            column.kind = AlignedColumn::Kind::Fold;
            for (const auto& [family, c] : unseen) {
                if (family == f) column.sources.push_back(c);
            }
            if (column.sources.size() == 1) column.kind = AlignedColumn::Kind::Copy;
        } else if (!input.contains(f)) {
            if (other.empty() || f == other || !input.contains(other)) {
                out.missing.push_back(f);
                continue;
            }
            column = {AlignedColumn::Kind::Zero, f, {other}};
            out.zeroed.push_back(f);
        }
        out.columns.push_back(std::move(column));
    }
    return out;
}

TableAlignment align_session_table(io::Session& session, const std::string& table, const std::vector<std::string>& keys,
                                   const std::vector<RetailFeature>& built, const std::vector<std::string>& model,
                                   const fs::path& model_dir) {
    std::vector<std::string> names;
    for (const auto& f : built) names.push_back(f.name);
    const FeatureAlignment plan = align_features(model, names);
    if (!plan.missing.empty()) {
        const auto shown = std::min<std::size_t>(plan.missing.size(), 8);
        throw ModelError(fmt::format(
            "these tables cannot give {} of the {} feature(s) model '{}' was trained on: {}{}; were its features "
            "built with other --windows, or with products.parquet?",
            plan.missing.size(), model.size(), model_dir.string(),
            fmt::join(plan.missing.begin(), plan.missing.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
            plan.missing.size() > shown ? ", …" : ""));
    }
    const auto q = [](const std::string& name) { return io::quote_identifier(name); };
    std::string select;
    for (const auto& k : keys) select += (select.empty() ? "" : ", ") + q(k);
    TableAlignment out{{}, plan.folded, plan.zeroed, plan.unplaced, 0};
    for (const auto& c : plan.columns) {
        const auto it = std::find_if(built.begin(), built.end(), [&](const RetailFeature& f) { return f.name == c.sources[0]; });
        RetailFeature entry = *it;
        entry.name = c.name;
        std::string expression = q(c.sources[0]);
        if (c.kind == AlignedColumn::Kind::Fold) {
            for (std::size_t i = 1; i < c.sources.size(); ++i) expression += " + " + q(c.sources[i]);
            expression = "(" + expression + ")";
            entry.description += fmt::format("; with {} categor{} the model never saw", c.sources.size() - 1,
                                             c.sources.size() == 2 ? "y" : "ies");
        } else if (c.kind == AlignedColumn::Kind::Zero) {
            // 0 where the family's shares are defined, NULL where they are not (no purchases), as in training.
            expression = "0 * " + expression;
            entry.description = "share of spending on a product category the model knew and this catalogue lacks: 0; "
                                "NULL without purchases";
        }
        select += fmt::format(", {} AS {}", expression, q(c.name));
        out.manifest.push_back(std::move(entry));
    }
    if (!plan.folded.empty()) {
        std::string any;
        for (const auto& f : plan.folded) any += fmt::format("{}coalesce({}, 0) > 0", any.empty() ? "" : " OR ", q(f));
        out.folded_rows = session.query(fmt::format("SELECT count(*) FILTER (WHERE {}) AS n FROM {}", any, q(table)))
                              .column("n")
                              .int64_values()[0];
    }
    const std::string built_table = table + "_built";
    session.execute(fmt::format("DROP TABLE IF EXISTS {}; ALTER TABLE {} RENAME TO {}", q(built_table), q(table),
                                q(built_table)));
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT {} FROM {} ORDER BY {}", q(table), select,
                                q(built_table), q(keys.front())));
    session.execute("DROP TABLE " + q(built_table));
    // The count and order of the columns are the model's: anything else would score columns under wrong names.
    std::vector<std::string> expected = keys;
    expected.insert(expected.end(), model.begin(), model.end());
    if (session.query("DESCRIBE " + q(table)).column("column_name").string_values() != expected) {
        throw InternalError(fmt::format("features aligned with '{}' do not have the model's columns in its order",
                                        model_dir.string()));
    }
    return out;
}

std::vector<std::string> model_features(const fs::path& model_dir) {
    const fs::path manifest = model_dir / "model.json";
    std::error_code ec;
    if (!fs::is_directory(model_dir, ec)) {
        throw ModelError(fmt::format("'{}' is not a model folder (written by `upliftctl train`)", model_dir.string()));
    }
    std::ifstream in(manifest, std::ios::binary);
    if (!in || fs::is_directory(manifest, ec)) {
        throw ModelError(fmt::format("cannot read '{}': a model folder holds model.json", manifest.string()));
    }
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    return artifacts::model_manifest_from_json(text, manifest.string()).features;
}

}  // namespace uplift::features
