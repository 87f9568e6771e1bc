#include "uplift/simulate/series.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/core/version.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/temporal.hpp"
#include "uplift/simulate/ordered_blocks.hpp"
#include "uplift/simulate/retail_files.hpp"
#include "uplift/simulate/series_blocks.hpp"

namespace uplift::simulate {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

constexpr int series_format_version = 1;

double persuadable_share(const RetailModelParameters& model) {
    return model.kind_share[static_cast<std::size_t>(ClientKind::Persuadable)];
}

void check_options(const SeriesOptions& o) {
    if (o.clients < 1 || o.clients > max_series_clients) {
        throw UsageError(fmt::format("--clients {} is out of range; expected 1 to {} with --months", o.clients,
                                     max_series_clients));
    }
    if (o.months < 1 || o.months > max_months) {
        throw UsageError(fmt::format("--months {} is out of range; expected 1 to {}", o.months, max_months));
    }
    const std::uint64_t total = o.clients + static_cast<std::uint64_t>(o.months - 1) * o.new_clients;
    if (o.new_clients > max_series_clients || total > max_series_clients) {
        throw UsageError(fmt::format("--clients {} plus --new-clients {} for each of {} more months is over {} clients",
                                     o.clients, o.new_clients, o.months - 1, max_series_clients));
    }
    const SeriesDrift& d = o.drift;
    const bool drifting = d.basket != 1.0 || d.discount_seekers != 0.0;
    if (drifting && d.from_month == 0) throw UsageError("--drift needs --drift-from-month M (the first drifted month)");
    if (!drifting && d.from_month != 0) throw UsageError("--drift-from-month needs a --drift (basket=F or discount-seekers=+D)");
    if (d.from_month < 0 || d.from_month > max_months) {
        throw UsageError(fmt::format("--drift-from-month {} is out of range; expected 1 to {}", d.from_month, max_months));
    }
}

std::int32_t date_of(const Json& j, const char* key, const fs::path& file) {
    std::int32_t days = 0;
    if (!j.contains(key) || !j[key].is_string() || !io::parse_date(j[key].get<std::string>(), days)) {
        throw UsageError(fmt::format("'{}' has no date '{}': not a month of a simulate --months series", file.string(), key));
    }
    return days;
}

Json series_json(const SeriesOptions& o) {
    return {{"format_version", series_format_version},
            {"first_cutoff", io::format_date(o.first_cutoff)},
            {"first_month_clients", o.clients},
            {"new_clients_per_month", o.new_clients},
            {"drift",
             {{"basket", o.drift.basket}, {"discount_seekers", o.drift.discount_seekers}, {"from_month", o.drift.from_month}}}};
}

MonthResult write_month(const SeriesContext& ctx, int month, const fs::path& dir, const fs::path& shown) {
    const SeriesOptions& o = ctx.options;
    io::create_directories(dir, shown);
    write_products(dir, ctx.products, ctx.ids);
    MonthResult r;
    r.month = month;
    r.cutoff = month_cutoff(o.first_cutoff, month);
    r.counts = write_block_tables(dir, SeriesBlockMaker(ctx, month), o.threads, o.progress);
    if (o.format == TableFormat::Parquet) convert_tables_to_parquet(dir, o.threads);
    Json j = summary_fields({.seed = o.seed, .clients = ctx.clients_at(month), .format = o.format, .cutoff = r.cutoff,
                             .history_start = ctx.calendar.history_start(), .model = o.model, .dirty = o.dirty,
                             .counts = r.counts, .products = product_count(o.clients), .stores = store_count(o.clients),
                             .block_size = SeriesBlockMaker::clients_per_block});
    j["month"] = month;
    j["new_clients"] = r.counts.new_clients;
    j["switched_to_discount_seekers"] = r.counts.switched;
    j["series"] = series_json(o);
    r.summary_json = j.dump(2) + "\n";
    write_summary(dir, r.summary_json);
    return r;
}

/// The options a series was written with, from its month-01/simulate.json.
SeriesOptions read_series(const fs::path& dir) {
    const fs::path file = dir / month_folder(1) / "simulate.json";
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw UsageError(fmt::format("--continue '{}': no {}/simulate.json; make a series with --months first",
                                     dir.string(), month_folder(1)));
    }
    const Json j = Json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.contains("series") || !j["series"].is_object()) {
        throw UsageError(fmt::format("'{}' is not the simulate.json of a --months series", file.string()));
    }
    const Json& s = j["series"];
    if (s.value("format_version", 0) != series_format_version) {
        throw UsageError(fmt::format("'{}' has series format {}; this upliftctl reads format {}", file.string(),
                                     s.value("format_version", 0), series_format_version));
    }
    if (j.value("tool_version", std::string()) != version()) {
        throw UsageError(fmt::format("'{}' was written by upliftctl {}; this is {}, whose months could differ: "
                                     "make the series again with --months",
                                     dir.string(), j.value("tool_version", std::string("?")), version()));
    }
    SeriesOptions o;
    o.seed = j.value("seed", std::uint64_t{0});
    o.format = j.value("format", std::string("csv")) == "parquet" ? TableFormat::Parquet : TableFormat::Csv;
    o.first_cutoff = date_of(s, "first_cutoff", file);
    o.clients = s.value("first_month_clients", std::uint64_t{0});
    o.new_clients = s.value("new_clients_per_month", std::uint64_t{0});
    const Json drift = s.value("drift", Json::object());
    o.drift.basket = drift.value("basket", 1.0);
    o.drift.discount_seekers = drift.value("discount_seekers", 0.0);
    o.drift.from_month = drift.value("from_month", 0);
    return o;
}

}  // namespace

void parse_drift(const std::string& text, SeriesDrift& drift) {
    const auto eq = text.find('=');
    const std::string name = text.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
    const std::string expected = "expected basket=F (F > 0, e.g. 1.3) or discount-seekers=+D (0 < D <= 0.7)";
    if (!value.empty() && value.front() == '+') value.erase(0, 1);
    double v = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !std::isfinite(v)) {
        throw UsageError(fmt::format("--drift '{}': {}", text, expected));
    }
    const double room = 1.0 - persuadable_share(RetailModelParameters{});
    if (name == "basket" && v > 0 && v <= 100) {
        drift.basket = v;
    } else if (name == "discount-seekers" && v > 0 && v <= room + 1e-12) {
        drift.discount_seekers = std::min(v, room);
    } else {
        throw UsageError(fmt::format("--drift '{}': {}", text, expected));
    }
}

std::int32_t month_cutoff(std::int32_t first_cutoff, int month) {
    using namespace std::chrono;
    const year_month_day first{sys_days{days{first_cutoff}}};
    const year_month ym = year_month{first.year(), first.month()} + months{month - 1};
    const day last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
    const year_month_day d{ym.year(), ym.month(), std::min(first.day(), last)};
    return static_cast<std::int32_t>(sys_days{d}.time_since_epoch().count());
}

std::string month_folder(int month) { return fmt::format("month-{:02d}", month); }

std::vector<MonthResult> simulate_series(const SeriesOptions& o) {
    check_options(o);
    io::AtomicOutput out(o.out, o.overwrite, io::OutputShape::Folder);
    io::create_directories(out.temp_path(), o.out);
    const SeriesContext ctx(o);
    std::vector<MonthResult> results;
    for (int month = 1; month <= o.months; ++month) {
        results.push_back(write_month(ctx, month, out.temp_path() / month_folder(month), o.out / month_folder(month)));
    }
    out.commit();
    return results;
}

MonthResult continue_series(const fs::path& dir, int threads,
                            const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    SeriesOptions o = read_series(dir);
    int months = 0;
    while (months < max_months && fs::is_directory(dir / month_folder(months + 1))) ++months;
    for (int later = months + 1; later <= max_months; ++later) {
        if (fs::exists(dir / month_folder(later))) {
            throw UsageError(fmt::format("--continue '{}': {} is missing but {} exists; the months must follow each other",
                                         dir.string(), month_folder(months + 1), month_folder(later)));
        }
    }
    if (months >= max_months) {
        throw UsageError(fmt::format("--continue '{}': the series already has {} months, the most there can be",
                                     dir.string(), max_months));
    }
    o.months = months + 1;
    o.threads = threads;
    o.progress = progress;
    check_options(o);
    const fs::path target = dir / month_folder(o.months);
    io::AtomicOutput out(target, false, io::OutputShape::Folder);
    const SeriesContext ctx(o);
    MonthResult r = write_month(ctx, o.months, out.temp_path(), target);
    out.commit();
    return r;
}

}  // namespace uplift::simulate
