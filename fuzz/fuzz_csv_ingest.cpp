// Fuzz target: the flat CSV ingest path (ingest_flat: DuckDB's sniffing and strict parse, typing, rejects,
// roles) and writing its dataset and rejects as `upliftctl ingest` does.
// The roles are fixed (treatment column t, control level 0, outcome y); the id column is "id" when the
// header starts with it. Besides the clean-error rule, the counts must add up, and the streamed ingest
// (`upliftctl ingest`'s path, read here two rows at a time) must give the same rows, rejects and summary, as
// must the ingest that counts every value to type the columns instead of guessing on the first rows.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"

namespace {

/// Every cell as text, in column order then row order, over the chunks.
std::vector<std::string> cells(const std::vector<uplift::io::Table>& chunks) {
    std::vector<std::vector<std::string>> columns;
    for (const auto& chunk : chunks) {
        if (columns.empty()) columns.resize(chunk.num_columns());
        if (chunk.num_columns() != columns.size()) fuzz_support::bug("streamed chunks with different column counts");
        for (std::size_t j = 0; j < chunk.num_columns(); ++j) {
            const auto& c = chunk.columns()[j];
            for (std::size_t i = 0; i < c.size(); ++i) {
                columns[j].push_back(c.name() + "=" + (c.is_valid(i) ? c.text_at(i) : std::string("NULL")));
            }
        }
    }
    std::vector<std::string> out;
    for (auto& c : columns) out.insert(out.end(), c.begin(), c.end());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One session for the process: opening DuckDB costs more than most inputs. One thread keeps runs
    // reproducible.
    static uplift::io::Session session({.threads = 1, .memory_limit = "512MB"});
    const auto dir = fuzz_support::scratch_dir();
    const auto input = dir / "in.csv";
    fuzz_support::write_bytes(input, data, size);

    const std::string_view text(reinterpret_cast<const char*>(data), size);
    uplift::data::FlatIngestOptions options;
    options.input = input;
    options.treatment = "t";
    options.control = "0";
    options.outcome = "y";
    if (text.starts_with("id,")) options.id = "id";
    options.max_reject_rate = 0.5;

    fuzz_support::expect_clean([&] {
        // Types guessed on the first rows and confirmed by the read are those counting every value gives:
        // the same rows, rejects and summary, or an error of the same kind.
        auto counted_options = options;
        counted_options.guess_csv_types = false;
        std::optional<uplift::data::IngestResult> counted;
        std::optional<uplift::ErrorKind> counted_error;
        try {
            counted = uplift::data::ingest_flat(session, counted_options);
        } catch (const uplift::Error& e) {
            counted_error = e.kind();
        }
        std::optional<uplift::data::IngestResult> guessed;
        try {
            guessed = uplift::data::ingest_flat(session, options);
        } catch (const uplift::Error& e) {
            if (counted_error != e.kind()) {
                fuzz_support::bug(fmt::format("with the types guessed the ingest fails ({}) where counted ones {}",
                                              e.what(), counted_error ? "fail otherwise" : "do not"));
            }
            throw;
        }
        if (!counted) fuzz_support::bug("with the types guessed the ingest succeeds where counted ones fail");
        if (!(counted->summary == guessed->summary) || cells({counted->dataset}) != cells({guessed->dataset}) ||
            cells({counted->rejects}) != cells({guessed->rejects}) ||
            counted->dataset.metadata() != guessed->dataset.metadata()) {
            fuzz_support::bug("the ingest with types guessed differs from the one with every value counted");
        }
        const auto& result = *guessed;
        const auto& s = result.summary;
        if (s.rows_in != s.rows_kept + s.rows_rejected + s.rows_excluded) {
            fuzz_support::bug(fmt::format("rows in {} != kept {} + rejected {} + excluded {}", s.rows_in, s.rows_kept,
                                          s.rows_rejected, s.rows_excluded));
        }
        if (static_cast<std::int64_t>(result.dataset.num_rows()) != s.rows_kept ||
            static_cast<std::int64_t>(result.rejects.num_rows()) != s.rows_rejected) {
            fuzz_support::bug(fmt::format("tables hold {} kept and {} rejected rows, the summary says {} and {}",
                                          result.dataset.num_rows(), result.rejects.num_rows(), s.rows_kept,
                                          s.rows_rejected));
        }
        std::vector<uplift::io::Table> chunks;
        uplift::data::FlatIngestStream streamed;
        try {
            streamed = uplift::data::ingest_flat_streamed(
                session, options, [&](uplift::io::Table&& c) { chunks.push_back(std::move(c)); },
                [&] { chunks.clear(); }, 2);
        } catch (const std::exception& e) {
            fuzz_support::bug(fmt::format("the streamed ingest fails where the one-table ingest does not: {}", e.what()));
        }
        if (!(streamed.summary == s) || cells(chunks) != cells({result.dataset}) ||
            cells({streamed.rejects}) != cells({result.rejects}) ||
            streamed.dataset_metadata != result.dataset.metadata()) {
            fuzz_support::bug("the streamed ingest differs from the one-table ingest");
        }
        uplift::io::write_table(session, result.dataset, dir / "out.parquet", {.overwrite = true});
        uplift::io::write_table(session, result.rejects, dir / "out.rejects.csv", {.overwrite = true});
    });
    return 0;
}
