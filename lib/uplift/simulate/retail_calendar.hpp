#pragma once
/// The simulated calendar: the purchase history runs `history_days` days up to the day before the
/// cutoff (the campaign start). Shopping follows a weekly profile (more on Friday and Saturday, a peak
/// in the early evening) with a few pre-holiday rushes, as in grocery retail.

#include <cstdint>
#include <string>
#include <vector>

#include "uplift/core/random.hpp"

namespace uplift::simulate {

class RetailCalendar {
public:
    /// `cutoff`: days since 1970-01-01 of the first day after the history. `extra_days` > 0 extends the
    /// calendar past the cutoff (the months of a series, simulate/series.hpp); the day weights are then
    /// scaled by the largest weight any day can have, not by the largest in the span, so a day's chance
    /// does not depend on how far the calendar reaches.
    RetailCalendar(std::int32_t cutoff, std::int32_t history_days, std::int32_t issue_days,
                   std::int32_t extra_days = 0);

    std::int32_t cutoff() const noexcept { return cutoff_; }
    std::int32_t history_start() const noexcept { return cutoff_ - history_days_; }
    std::int32_t history_days() const noexcept { return history_days_; }
    /// Loyalty cards were issued from this many days before the history start.
    std::int32_t issue_days() const noexcept { return issue_days_; }

    /// Days after the cutoff that draw_history_day and append_datetime also cover.
    std::int32_t extra_days() const noexcept { return extra_days_; }

    /// A history day in [from, to) (0 = history start), weighted by weekday and holidays.
    std::int32_t draw_history_day(Rng& rng, std::int32_t from, std::int32_t to) const;
    /// Seconds after midnight, following the hour profile of a store's till.
    std::int32_t draw_time_of_day(Rng& rng) const;
    /// Appends "YYYY-MM-DD HH:MM:SS" for a day (days since the epoch, within the calendar's span).
    void append_datetime(std::string& out, std::int32_t day, std::int32_t seconds) const;

private:
    std::int32_t cutoff_;
    std::int32_t history_days_;
    std::int32_t issue_days_;
    std::int32_t extra_days_;
    std::int32_t first_day_;         ///< first day with text (earliest issue date)
    std::string day_text_;           ///< 10 characters per day from first_day_ to cutoff_ + extra_days_
    std::vector<double> day_weight_; ///< per history (and extra) day, in (0, 1]
    std::vector<double> hour_cdf_;   ///< 24 cumulative shares
};

}  // namespace uplift::simulate
