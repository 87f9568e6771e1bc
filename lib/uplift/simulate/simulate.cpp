#include "uplift/simulate/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/ordered_blocks.hpp"
#include "uplift/simulate/retail_files.hpp"

namespace uplift::simulate {

namespace fs = std::filesystem;


// X5 proportions: ~43k products and a store per ~60 clients; small runs get smaller catalogues.
std::int64_t product_count(std::uint64_t clients) {
    return static_cast<std::int64_t>(std::clamp<std::uint64_t>(clients / 8, 200, 43038));
}

std::int64_t store_count(std::uint64_t clients) {
    return static_cast<std::int64_t>(std::clamp<std::uint64_t>(clients / 60, 10, 7000));
}

std::int32_t parse_cutoff(const std::string& text, const std::string& flag) {
    std::int32_t days = 0;
    if (!io::parse_date(text, days)) {
        throw UsageError(fmt::format("{} '{}' is not a date; expected YYYY-MM-DD, e.g. 2019-03-19", flag, text));
    }
    return days;
}

SimulateResult simulate_retail(const SimulateOptions& o) {
    if (o.clients < 1 || o.clients > max_clients) {
        throw UsageError(fmt::format("--clients {} is out of range; expected 1 to {}", o.clients, max_clients));
    }
    io::AtomicOutput out(o.out, o.overwrite, io::OutputShape::Folder);
    const fs::path tmp = out.temp_path();
    io::create_directories(tmp, o.out);

    SimulateResult result;
    result.products = product_count(o.clients);
    result.stores = store_count(o.clients);

    const IdCoder ids(o.seed);
    const RetailCalendar calendar(o.cutoff, o.history_days, 595);  // cards issued from 2017-04-04 in X5
    const ProductCatalogue products(static_cast<std::size_t>(result.products), o.seed);
    const RetailModel model(o.model, calendar, products, static_cast<std::uint32_t>(result.stores));
    const BlockMaker maker(model, calendar, ids, o.seed, o.clients, o.dirty);

    write_products(tmp, products, ids);
    result.counts = write_block_tables(tmp, maker, o.threads, o.progress);

    if (o.format == TableFormat::Parquet) convert_tables_to_parquet(tmp, o.threads);
    result.summary_json = summary_json(o, result);
    write_summary(tmp, result.summary_json);
    out.commit();
    return result;
}

}  // namespace uplift::simulate
