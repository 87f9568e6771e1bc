#include "uplift/pipeline/date_rule.hpp"

#include <fmt/format.h>

#include <chrono>
#include <regex>

#include "uplift/core/errors.hpp"

namespace uplift::pipeline {

namespace chr = std::chrono;

namespace {

chr::year_month_day parse_ymd(const std::string& text, const std::string& what) {
    static const std::regex form(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (std::regex_match(text, m, form)) {
        const chr::year_month_day d{chr::year(std::stoi(m[1])), chr::month(static_cast<unsigned>(std::stoi(m[2]))),
                                    chr::day(static_cast<unsigned>(std::stoi(m[3])))};
        if (d.ok()) return d;
    }
    throw UsageError(fmt::format("{} '{}' is not a date (YYYY-MM-DD)", what, text));
}

std::string format_ymd(const chr::year_month_day& d) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
}

}  // namespace

std::string checked_date(const std::string& text, const std::string& what) { return format_ymd(parse_ymd(text, what)); }

std::string today_utc() {
    return format_ymd(chr::year_month_day{chr::floor<chr::days>(chr::system_clock::now())});
}

std::string apply_date_rule(const std::string& rule, const std::string& as_of, const std::string& what) {
    static const std::regex relative(R"(\s*as_of\s*(?:-\s*(\d{1,4})\s*(day|days|month|months))?\s*)");
    std::smatch m;
    if (!std::regex_match(rule, m, relative)) return checked_date(rule, what);
    const chr::year_month_day day = parse_ymd(as_of, "--as-of");
    if (!m[1].matched) return format_ymd(day);
    const int n = std::stoi(m[1]);
    if (m[2].str().rfind("day", 0) == 0) return format_ymd(chr::year_month_day{chr::sys_days(day) - chr::days(n)});
    const chr::year_month ym = chr::year_month(day.year(), day.month()) - chr::months(n);
    const chr::day last = chr::year_month_day_last(ym.year(), chr::month_day_last(ym.month())).day();
    return format_ymd(chr::year_month_day(ym.year(), ym.month(), std::min(day.day(), last)));
}

}  // namespace uplift::pipeline
