#pragma once
/// The cutoff rules of a pipeline file: which day a stage's features are built at, given the run's as-of date.

#include <string>

namespace uplift::pipeline {

/// A checked calendar date, YYYY-MM-DD; throws UsageError naming `what` otherwise.
std::string checked_date(const std::string& text, const std::string& what);

/// Today's date in UTC, YYYY-MM-DD (the default --as-of).
std::string today_utc();

/// "as_of", "as_of - N days", "as_of - N months" (the same day N months before, or that month's last day), or a
/// date: the day it names for the run at `as_of`. Throws UsageError naming `what` for anything else.
std::string apply_date_rule(const std::string& rule, const std::string& as_of, const std::string& what);

}  // namespace uplift::pipeline
