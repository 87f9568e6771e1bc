#include "uplift/simulate/retail_calendar.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "uplift/io/temporal.hpp"

namespace uplift::simulate {

namespace {

// Relative visits by weekday, Monday first: the weekend shop dominates grocery retail.
constexpr std::array<double, 7> weekday_weight = {0.90, 0.88, 0.92, 0.96, 1.12, 1.22, 1.00};
// Relative visits by hour: closed at night, a lunch bump and the after-work peak.
constexpr std::array<double, 24> hour_weight = {0.02, 0.01, 0.0, 0.0, 0.0, 0.0, 0.05, 0.3, 0.7, 0.9, 1.0, 1.1,
                                                1.3,  1.3,  1.2, 1.2, 1.4, 1.7, 2.0,  2.1, 1.8, 1.3, 0.7, 0.2};

/// Pre-holiday rushes (month, day, factor): New Year, Defender's Day, Women's Day.
struct Rush {
    unsigned month, day;
    double factor;
};
constexpr std::array<Rush, 7> rushes = {{{12, 28, 1.3}, {12, 29, 1.5}, {12, 30, 1.7}, {12, 31, 1.6},
                                         {2, 22, 1.2},  {3, 6, 1.3},   {3, 7, 1.5}}};

}  // namespace

RetailCalendar::RetailCalendar(std::int32_t cutoff, std::int32_t history_days, std::int32_t issue_days,
                               std::int32_t extra_days)
    : cutoff_(cutoff), history_days_(history_days), issue_days_(issue_days), extra_days_(extra_days),
      first_day_(cutoff - history_days - issue_days) {
    for (std::int32_t d = first_day_; d <= cutoff_ + extra_days_; ++d) day_text_ += io::format_date(d);
    std::vector<double> raw;
    for (std::int32_t d = history_start(); d < cutoff_ + extra_days_; ++d) {
        const int weekday = static_cast<int>(((d + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
        double w = weekday_weight[static_cast<std::size_t>(weekday)];
        const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
        for (const Rush& r : rushes) {
            if (static_cast<unsigned>(ymd.month()) == r.month && static_cast<unsigned>(ymd.day()) == r.day) w *= r.factor;
        }
        raw.push_back(w);
    }
    double top = *std::max_element(raw.begin(), raw.end());
    if (extra_days_ > 0) {
        double rush_top = 1;
        for (const Rush& r : rushes) rush_top = std::max(rush_top, r.factor);
        top = *std::max_element(weekday_weight.begin(), weekday_weight.end()) * rush_top;
    }
    for (double w : raw) day_weight_.push_back(w / top);
    double total = 0;
    for (double w : hour_weight) total += w;
    double acc = 0;
    for (double w : hour_weight) {
        acc += w / total;
        hour_cdf_.push_back(acc);
    }
    hour_cdf_.back() = 1.0;
}

std::int32_t RetailCalendar::draw_history_day(Rng& rng, std::int32_t from, std::int32_t to) const {
    const auto span = static_cast<std::uint64_t>(std::max(to - from, 1));
    // Rejection against the day weights: the mean acceptance is about 0.7, so two or three tries.
    for (int attempt = 0; attempt < 64; ++attempt) {
        const auto day = from + static_cast<std::int32_t>(rng.below(span));
        if (rng.uniform01() < day_weight_[static_cast<std::size_t>(day)]) return day;
    }
    return from + static_cast<std::int32_t>(rng.below(span));
}

std::int32_t RetailCalendar::draw_time_of_day(Rng& rng) const {
    const double u = rng.uniform01();
    const auto hour = static_cast<std::int32_t>(std::upper_bound(hour_cdf_.begin(), hour_cdf_.end(), u) - hour_cdf_.begin());
    return std::min(hour, 23) * 3600 + static_cast<std::int32_t>(rng.below(3600));
}

void RetailCalendar::append_datetime(std::string& out, std::int32_t day, std::int32_t seconds) const {
    const auto offset = static_cast<std::size_t>(day - first_day_) * 10;
    out.append(day_text_, offset, 10);
    const int h = seconds / 3600;
    const int m = seconds / 60 % 60;
    const int s = seconds % 60;
    const char t[9] = {' ', static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                       static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), ':',
                       static_cast<char>('0' + s / 10), static_cast<char>('0' + s % 10)};
    out.append(t, 9);
}

}  // namespace uplift::simulate
