// Fuzz target: the flat CSV ingest path (ingest_flat: DuckDB's sniffing and strict parse, typing, rejects,
// roles) and writing its dataset and rejects as `upliftctl ingest` does.
// The roles are fixed (treatment column t, control level 0, outcome y); the id column is "id" when the
// header starts with it. Besides the clean-error rule, the counts must add up.

#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"

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
        const auto result = uplift::data::ingest_flat(session, options);
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
        uplift::io::write_table(session, result.dataset, dir / "out.parquet", {.overwrite = true});
        uplift::io::write_table(session, result.rejects, dir / "out.rejects.csv", {.overwrite = true});
    });
    return 0;
}
