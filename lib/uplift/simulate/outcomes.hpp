#pragma once
/// `upliftctl simulate --outcomes-for PLAN --truth TRUTH`: what a simulated month's clients did after a plan
/// was carried out. Each client of truth.csv buys with its true probability: p_treatment when the plan
/// contacted it (action `contact`, or every planned row of a plan without a hold-out), p_control otherwise
/// (held out, or not planned). The file is the outcomes table `upliftctl measure --outcomes` reads.

#include <cstdint>
#include <filesystem>
#include <string>

namespace uplift::simulate {

struct OutcomesRequest {
    std::filesystem::path plan;   ///< plan.csv or plan.parquet from `optimize` (its first column is the id)
    std::filesystem::path truth;  ///< a month's truth.csv
    std::filesystem::path out;    ///< .csv: <id column>,target
    std::uint64_t seed = 42;
    bool overwrite = false;
};

struct OutcomesResult {
    std::string id_column;
    std::int64_t clients = 0;    ///< rows written (every client of truth.csv)
    std::int64_t contacted = 0;
    std::int64_t held_out = 0;
    std::int64_t targets = 0;
};

/// Writes the outcomes (atomically). DataError: truth.csv without client_id, p_control or p_treatment, a
/// probability that is not a number in [0, 1], a plan without rows, an unknown action, or a planned client
/// that truth.csv does not know (the plan is of another month or series). UsageError: an existing output
/// without overwrite, an output that is not .csv.
OutcomesResult draw_outcomes(const OutcomesRequest& request);

}  // namespace uplift::simulate
