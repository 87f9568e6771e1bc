#include "uplift/io/temporal.hpp"

#include <chrono>
#include <cstdio>
#include <fmt/format.h>

namespace uplift::io {

std::string format_date(std::int32_t days) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
    return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::string format_timestamp(std::int64_t micros) {
    using namespace std::chrono;
    const auto tp = sys_time<microseconds>{microseconds{micros}};
    const auto day = floor<days>(tp);
    const hh_mm_ss hms{tp - day};
    std::string out = fmt::format("{} {:02d}:{:02d}:{:02d}", format_date(static_cast<std::int32_t>(
                                                                 day.time_since_epoch().count())),
                                  hms.hours().count(), hms.minutes().count(), hms.seconds().count());
    if (const auto frac = hms.subseconds().count(); frac != 0) out += fmt::format(".{:06d}", frac);
    return out;
}

bool parse_date(const std::string& text, std::int32_t& days) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%n", &y, &m, &d, &consumed) != 3 ||
        static_cast<std::size_t>(consumed) != text.size()) {
        return false;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) return false;
    days = static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
    return true;
}

}  // namespace uplift::io
