#pragma once
/// The row-by-row checks of flat ingest, applied to the typed rows chunk by chunk in file order: a row
/// with a missing or repeated id, a value a model cannot hold, a missing treatment or an outcome that is
/// not a number (or not 0/1 under --outcome-type binary) is rejected with its reason; a row of an arm not
/// selected is excluded; the others are kept. Rows are known by their position in the read (from 0) until
/// the reader knows which lines it skipped; `rejects` then turns positions into lines.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/table.hpp"

namespace uplift::data {

/// A chunk's kept rows: the id column (when --id is given), then treatment, outcome and the features.
struct CheckedChunk {
    std::optional<io::Column> id;
    std::vector<io::Column> columns;
    std::vector<std::int64_t> positions;  ///< of the kept rows in the whole read
};

class FlatRowChecks {
public:
    FlatRowChecks(const FlatIngestOptions& options, std::vector<std::string> features, bool csv);

    /// Checks the rows of `raw` (the read's rows from position `first_position` on).
    CheckedChunk check(const io::Table& raw, std::int64_t first_position);

    /// Positions (ascending) to row numbers: CSV lines or 1-based Parquet rows.
    using RowNumbers = std::function<std::vector<std::int64_t>(const std::vector<std::int64_t>&)>;
    /// The rejects so far, in read order, numbered by `row_of`.
    std::vector<Reject> rejects(const RowNumbers& row_of) const;
    /// Kept and excluded rows per level and the kept rows' mean outcome per level.
    IngestSummary summary() const;
    bool all_outcomes_binary() const noexcept { return all_binary_; }

private:
    struct Pending {
        std::int64_t position;
        std::int64_t first_seen = -1;  ///< for a repeated id: the position of its first row
        Reject reject;                 ///< row unset; the reason of a repeated id is completed by `rejects`
    };
    /// The position of the first row with this id, or nothing when `position` is its first.
    std::optional<std::int64_t> first_seen(const std::string& id, std::int64_t int_id, std::int64_t position);

    const FlatIngestOptions& options_;
    std::vector<std::string> features_;
    bool csv_;
    char decimal_;
    std::unordered_map<std::string, std::int64_t> first_text_id_;
    std::unordered_map<std::int64_t, std::int64_t> first_int_id_;
    std::vector<Pending> pending_;
    std::map<std::string, std::int64_t> kept_per_level_, excluded_per_level_;
    std::map<std::string, double> outcome_sum_per_level_;
    std::int64_t kept_ = 0, excluded_ = 0;
    bool all_binary_ = true;
};

}  // namespace uplift::data
