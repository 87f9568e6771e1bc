#include "uplift/features/retail_history_checks.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"

namespace uplift::features {

namespace {

constexpr const char* allow_flag = "--allow-outside-history";

}  // namespace

HistoryRange check_cutoff(io::Session& session, const std::string& cutoff, int max_days_after, bool allow,
                          const std::string& data_dir) {
    const auto r = session.query(fmt::format(
        "SELECT CAST(CAST(min(trn_time) AS DATE) AS VARCHAR) AS first_day, "
        "CAST(CAST(max(trn_time) AS DATE) AS VARCHAR) AS last_day, "
        "date_diff('day', CAST(max(trn_time) AS DATE), DATE '{0}') AS after_last, "
        "date_diff('day', DATE '{0}', CAST(min(trn_time) AS DATE)) AS to_first FROM upl_transactions",
        cutoff));
    HistoryRange out;
    if (!r.column("first_day").is_valid(0)) return out;  // no purchase at all: the coverage check says so
    out.first = r.column("first_day").text_at(0);
    out.last = r.column("last_day").text_at(0);
    out.days_after_last = r.column("after_last").int64_values()[0];
    out.days_to_first = r.column("to_first").int64_values()[0];
    if (out.days_after_last > max_days_after && !allow) {
        throw DataError(fmt::format("--cutoff {} is {} days after the last purchase in '{}' ({}; history from {}): "
                                    "every client would look lapsed; check the cutoff and the purchase export, or "
                                    "pass {}",
                                    cutoff, out.days_after_last, data_dir, out.last, out.first, allow_flag));
    }
    if (out.days_after_last > 1) {
        log::warn("--cutoff {} is {} days after the last purchase ({}): the last {} days before it hold no purchase, "
                  "so recency and the windows see every client as lapsed by as much; is the purchase export complete?",
                  cutoff, out.days_after_last, out.last, out.days_after_last - 1);
    }
    if (out.days_to_first >= 0) {
        log::warn("--cutoff {} is on or before the first purchase ({}): no purchase is history", cutoff, out.first);
    }
    return out;
}

void check_history_coverage(std::int64_t rows, std::int64_t without_purchases, const HistoryRange& range,
                            const std::string& cutoff, bool allow) {
    if (rows == 0) return;
    const std::string history = range.first.empty() ? std::string("no purchases")
                                                    : fmt::format("history {} to {}", range.first, range.last);
    if (without_purchases == rows && !allow) {
        throw DataError(fmt::format("none of the {} client(s) of the population has a purchase before --cutoff {} "
                                    "({}): their features would be only zeros and NULLs; check the cutoff and the "
                                    "population, or pass {}",
                                    rows, cutoff, history, allow_flag));
    }
    // A campaign often holds some clients without purchases; most of a population without any is a sign.
    if (2 * without_purchases > rows) {
        log::warn("{} of {} client(s) of the population ({:.1f}%) have no purchase before --cutoff {} ({}): their "
                  "features are zeros and NULLs",
                  without_purchases, rows, 100.0 * static_cast<double>(without_purchases) / static_cast<double>(rows),
                  cutoff, history);
    }
}

}  // namespace uplift::features
