#pragma once
/// `ingest` for a flat experiment table (one row per client: features, treatment, outcome), e.g. an
/// A/B-test export or Hillstrom. Checks the roles, types the columns, and splits rows into kept,
/// rejected (with the reason, written to a rejects file) and excluded (other arms) so counts add up.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/csv_dialect.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::data {

/// How ids are read: text keeps every byte ("01", "1" and "001" are three clients); integer reads a
/// whole number, so those three are one id and all but the first are duplicates.
enum class IdType { Text, Integer };

IdType id_type_from_string(const std::string& text);  ///< "text" or "integer"; throws UsageError

struct FlatIngestOptions {
    std::filesystem::path input;
    std::string treatment;
    std::string control;
    std::string outcome;
    std::string id;                                ///< empty: a stable row id is added
    std::vector<std::string> treatment_levels;     ///< empty: every level other than control
    std::vector<std::string> features;             ///< empty: every other column is a feature
    std::vector<std::string> drop;                 ///< columns that must not be features (e.g. other outcomes)
    std::optional<OutcomeType> outcome_type;       ///< empty: detected (0/1 only → binary)
    double max_reject_rate = 0.01;
    IdType id_type = IdType::Text;
    bool trim_ids = false;                         ///< strip spaces and tabs around ids (never by default)
    io::CsvDialect csv;                            ///< how a CSV input is written (ignored for Parquet)
    /// A CSV whose first rows are all numbers is read as numbers at once, the read confirming it
    /// (FlatCsvReader). Off: every value is counted first. The same result either way; off is for checking that.
    bool guess_csv_types = true;
};

/// One unusable source row. `row` is the line number in a CSV file (the header is line 1), the
/// 1-based row number in a Parquet file.
struct Reject {
    std::int64_t row = 0;
    std::string column;
    std::string value;
    std::string reason;
    std::string raw;  ///< the source line, when the row could not even be split into columns
};

/// What the ingest kept, excluded and rejected: the typed record of `<out>.ingest.json`
/// (artifacts/ingest_summary.hpp writes it); outcome_type is data::to_string of the detected OutcomeType.
using IngestSummary = artifacts::FlatIngestSummary;

/// The summary printed on stdout.
std::string to_text(const IngestSummary& summary);

struct IngestResult {
    io::Table dataset;  ///< kept rows; roles and provenance in its metadata
    io::Table rejects;  ///< columns row, column, value, reason, raw
    IngestSummary summary;
};

/// Throws DataError (file, row, column, value, expectation in one line) when the roles do not hold or
/// rejects exceed `max_reject_rate`; nothing is written by this function.
IngestResult ingest_flat(io::Session& session, const FlatIngestOptions& options);

/// Where the kept rows of a streamed ingest go, chunk by chunk in file order. Every chunk has the dataset's
/// columns (id, treatment, outcome, the features), possibly no rows. It is called on a thread of its own while
/// DuckDB reads the next chunk (core/chunk_pipeline.hpp), one call at a time: it must not use the session the
/// ingest reads with. An error it throws ends the ingest as thrown.
using DatasetChunkSink = std::function<void(io::Table&&)>;
/// Drops every chunk the sink has had: the ingest reads the file again from its first row. It happens for a
/// CSV whose first rows are all numbers but whose later rows are not (FlatCsvReader::types_confirmed).
using DatasetSinkRestart = std::function<void()>;

struct FlatIngestStream {
    io::Metadata dataset_metadata;  ///< roles and provenance, for the dataset file
    io::Table rejects;              ///< columns row, column, value, reason, raw
    IngestSummary summary;
};

/// ingest_flat with bounded memory: the rows are read and checked `chunk_rows` at a time and the kept ones
/// handed to `sink` as they come, so a caller can write them to a file without holding the table. The same
/// rows, values and errors as ingest_flat. A CSV read without --id is one chunk: its ids are the rows' line
/// numbers, known only once DuckDB has read every line. When it throws, the sink may have had some chunks:
/// the caller discards them (nothing of the run may be kept).
/// The chunk size of `ingest`'s streamed read: a few tens of MB of typed rows at a time.
inline constexpr std::size_t ingest_chunk_rows = 200'000;

FlatIngestStream ingest_flat_streamed(io::Session& session, const FlatIngestOptions& options,
                                      const DatasetChunkSink& sink, const DatasetSinkRestart& restart,
                                      std::size_t chunk_rows);

/// The rejects table for a list of rejects (also used for an empty list: the file always exists).
io::Table rejects_table(const std::vector<Reject>& rejects);

}  // namespace uplift::data
