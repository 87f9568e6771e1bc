// Parameters declared once: the declaration facility, train's table, and docs/train.md's options table.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "uplift/core/params.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/model/compare.hpp"
#include "uplift/model/train.hpp"
#include "uplift/model/train_params.hpp"
#include "uplift/model/xgb_params.hpp"

namespace um = uplift::model;

TEST_CASE("a declaration states its range and refuses values outside it, naming the flag", "[params]") {
    constexpr uplift::Param<int> depth{.name = "max_depth", .flag = "--max-depth", .default_value = 6, .min = 1, .max = 32,
                                      .off = {}, .help = ""};
    REQUIRE(depth.range_text() == "[1, 32]");
    REQUIRE_FALSE(depth.violation(1));
    REQUIRE_FALSE(depth.violation(32));
    REQUIRE(depth.violation(0) == "--max-depth must be in [1, 32], got 0");
    REQUIRE(depth.violation(33) == "--max-depth must be in [1, 32], got 33");
    REQUIRE_THROWS_AS(depth.check(0), uplift::UsageError);

    constexpr uplift::Param<int> cv{.name = "cv", .flag = "--cv", .default_value = 0, .min = 2, .max = 100, .off = 0, .help = ""};
    REQUIRE(cv.range_text() == "0 or [2, 100]");
    REQUIRE_FALSE(cv.violation(0));
    REQUIRE(cv.violation(1) == "--cv must be 0 (off) or in [2, 100], got 1");

    constexpr uplift::Param<double> share{.name = "share", .flag = "", .default_value = 0.1, .min = 0.0, .max = {},
                                         .off = {}, .help = ""};
    REQUIRE(share.range_text() == ">= 0");
    REQUIRE(share.violation(-0.5) == "share must be >= 0, got -0.5");
    REQUIRE(share.violation(std::nan("")).has_value());
}

TEST_CASE("TrainOptions' defaults are the declared defaults", "[params]") {
    REQUIRE(um::train_param_table().not_at_default(um::TrainOptions{}).empty());
    um::TrainOptions changed;
    changed.gbm.max_depth = 5;
    REQUIRE(um::train_param_table().not_at_default(changed) == std::vector<std::string>{"max_depth"});
}

TEST_CASE("the model.json parameters record comes from the declarations, as before", "[params]") {
    um::TrainOptions o;
    // The record model.json has always carried for the defaults, and oof_folds since the out-of-fold scores.
    const std::map<std::string, std::string> expected = {
        {"holdout", "0.3"},      {"cv", "0"},           {"oof_folds", "5"}, {"propensity", "share"},
        {"validation_fraction", "0.1"}, {"num_rounds", "100"}, {"learning_rate", "0.1"},
        {"max_depth", "3"},      {"early_stopping_rounds", "20"}, {"permutation_repeats", "1"}};
    REQUIRE(um::train_param_table().record(o) == expected);

    o.learner = um::LearnerKind::DR;
    o.dr_folds = 3;
    o.outcome_type = uplift::data::OutcomeType::Continuous;
    o.propensity = um::PropensitySource::Column;
    o.propensity_column = "p";
    o.gbm.learning_rate = 0.05;
    const auto r = um::train_param_table().record(o);
    REQUIRE(r.at("dr_folds") == "3");
    REQUIRE(r.at("outcome_type") == "continuous");
    REQUIRE(r.at("propensity") == "column");
    REQUIRE(r.at("propensity_column") == "p");
    REQUIRE(r.at("learning_rate") == "0.05");
    REQUIRE(r.size() == expected.size() + 3);
}

namespace {

std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            cell.push_back('|');
            ++i;
        } else if (line[i] == '|') {
            const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
            cell.clear();
        } else {
            cell.push_back(line[i]);
        }
    }
    return cells;
}

std::string unquote(const std::string& cell) {
    return cell.size() >= 2 && cell.front() == '`' && cell.back() == '`' ? cell.substr(1, cell.size() - 2) : cell;
}

/// A docs page's options table: flag → {default, accepted}, as written.
std::map<std::string, std::pair<std::string, std::string>> docs_options_table(const std::string& page) {
    std::ifstream in(std::string(UPLIFT_TEST_DATA_DIR) + "/../../docs/" + page);
    REQUIRE(in);
    std::map<std::string, std::pair<std::string, std::string>> out;
    std::string line;
    bool in_table = false;
    while (std::getline(in, line)) {
        if (line.rfind("| option | default | accepted |", 0) == 0) {
            in_table = true;
            continue;
        }
        if (!in_table || line.rfind("|---", 0) == 0) continue;
        if (line.empty() || line.front() != '|') break;
        const auto cells = cells_of(line);
        REQUIRE(cells.size() == 4);
        // "`--treatment-level L`" names the flag "--treatment-level".
        std::string flag = unquote(cells[0]);
        flag = flag.substr(0, flag.find(' '));
        out[flag] = {unquote(cells[1]), unquote(cells[2])};
    }
    return out;
}

}  // namespace

/// Every declared parameter with a flag has a row in the page's table with the declared default and range.
template <class Options>
void require_docs_agree(const std::string& page, const uplift::ParamTable<Options>& table, int expected_flags) {
    const auto docs = docs_options_table(page);
    REQUIRE(docs.size() >= static_cast<std::size_t>(expected_flags));
    int declared_with_flag = 0;
    for (const auto& row : table.rows()) {
        if (row.flag.empty()) continue;  // library only: not an option
        ++declared_with_flag;
        INFO(page << " " << row.flag);
        const auto it = docs.find(row.flag);
        REQUIRE(it != docs.end());
        REQUIRE(it->second.first == row.default_text);
        REQUIRE(it->second.second == row.range_text);
    }
    REQUIRE(declared_with_flag == expected_flags);
}

TEST_CASE("docs/train.md's options table agrees with the declarations", "[params][docs]") {
    require_docs_agree("train.md", um::train_param_table(), 25);
}

TEST_CASE("docs/evaluate.md's options table agrees with the declarations", "[params][docs]") {
    require_docs_agree("evaluate.md", uplift::eval::evaluate_param_table(), 2);
    REQUIRE(uplift::eval::evaluate_param_table().not_at_default(uplift::eval::EvaluationOptions{}).empty());
}

TEST_CASE("docs/compare.md's options table agrees with the declarations", "[params][docs]") {
    require_docs_agree("compare.md", um::compare_param_table(), 3);
    REQUIRE(um::compare_param_table().not_at_default(um::CompareOptions{}).empty());
}

TEST_CASE("docs/optimize.md's options table agrees with the declarations", "[params][docs]") {
    require_docs_agree("optimize.md", uplift::optimize::optimize_param_table(), 2);
    REQUIRE(uplift::optimize::optimize_param_table().not_at_default(uplift::optimize::OptimizeOptions{}).empty());
    uplift::optimize::OptimizeOptions bad;
    bad.random_repeats = 0;
    REQUIRE_THROWS_WITH(uplift::optimize::optimize_param_table().check(bad),
                        "--random-repeats must be in [1, 100000], got 0");
}

TEST_CASE("a booster refuses train's parameters with train's bounds and message", "[params]") {
    uplift::model::DenseMatrix x{.rows = 4, .cols = 1, .values = {0, 1, 2, 3}};
    const std::vector<float> y{0, 1, 0, 1};
    uplift::model::GbmParams p;
    p.max_depth = 0;
    REQUIRE_THROWS_WITH(uplift::model::Gbm::train(x, y, {}, nullptr, {}, p),
                        Catch::Contains(*um::train_params::max_depth.violation(0)));
    p = {};
    p.learning_rate = 1.5;
    REQUIRE_THROWS_WITH(uplift::model::Gbm::train(x, y, {}, nullptr, {}, p),
                        Catch::Contains("--learning-rate must be in [1e-06, 1], got 1.5"));
}

TEST_CASE("docs/train.md lists exactly the --xgb keys train takes", "[params]") {
    std::ifstream in(std::string(UPLIFT_TEST_DATA_DIR) + "/../../docs/train.md");
    REQUIRE(in);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string intro = "The keys (`model/xgb_params.cpp`): ";
    const auto start = text.find(intro);
    REQUIRE(start != std::string::npos);
    const std::string list = text.substr(start + intro.size(), text.find(".\n", start) - start - intro.size());
    std::vector<std::string> documented;
    for (std::size_t at = list.find('`'); at != std::string::npos; at = list.find('`', list.find('`', at + 1) + 1)) {
        documented.push_back(list.substr(at + 1, list.find('`', at + 1) - at - 1));
    }
    CHECK(documented == uplift::model::known_xgb_params());
}
