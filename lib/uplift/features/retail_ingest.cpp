#include "uplift/features/retail_ingest.hpp"

#include <fmt/format.h>

#include <chrono>

#include "uplift/artifacts/ingest_summary.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/features/retail_derived.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::features {

data::RetailIngestSummary ingest_retail(io::Session& session, const data::RetailIngestOptions& options) {
    // Replacing a folder that holds an input would delete it (`--out .` beside the CSVs).
    io::check_distinct_outputs({options.out}, {options.clients, options.purchases, options.products, options.campaign});
    // Headers are checked before the output is claimed, so a bad input fails before anything is created.
    data::RetailSources sources = data::open_retail_sources(session, options);
    io::AtomicOutput out(options.out, options.overwrite);
    const std::filesystem::path& dir = out.temp_path();
    data::RetailIngestSummary summary = data::write_retail_tables(session, sources, dir);
    {
        const auto start = std::chrono::steady_clock::now();
        const auto derived = write_retail_derived(session, dir);
        summary.derived_transactions = derived.transactions;
        summary.derived_product_firsts = derived.product_firsts;
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        log::info("transactions and product_firsts derived in {:.1f} s", took.count());
    }
    io::write_file(dir / "ingest.json", artifacts::to_json(summary), options.out / "ingest.json");
    out.commit();
    return summary;
}

}  // namespace uplift::features
