#pragma once
/// Reads what a report is made from: the scores, the holdout to evaluate on, plan.json and the model bundle.

#include <filesystem>
#include <string>

#include "uplift/eval/scored_table.hpp"
#include "uplift/report/report_model.hpp"

namespace uplift::report {

struct ReportPaths {
    std::filesystem::path scores;   ///< required
    std::filesystem::path holdout;  ///< empty: evaluate the scores, or <model>/holdout.parquet when they lack outcomes
    std::filesystem::path model;    ///< empty: none
    std::filesystem::path plan;     ///< empty: none
    std::filesystem::path compare;  ///< compare.json; empty: none
    std::filesystem::path drift;    ///< a scores file with score's drift record; empty: none
    std::filesystem::path measure;  ///< measure.json; empty: none
    std::filesystem::path portraits;  ///< portraits.json from `upliftctl segments`; empty: none
    eval::ScoredColumns columns;
    std::string check_column;       ///< --check-col: purchase amounts for the A/B readout's average check
    int threads = 0;
};

/// Loads every input. Throws IoError for a missing or unreadable file, DataError for a malformed plan,
/// compare.json, measure.json or drift record,
/// ModelError for a broken model bundle.
ReportSources load_report_sources(const ReportPaths& paths);

}  // namespace uplift::report
