#pragma once
/// Numbers as a reader expects them in each language: "12,345.6" and "12.3%" in English, "12 345,6" and
/// "12,3 %" in Russian (no-break spaces). Undefined values show as an em dash. Deterministic: no locale calls.

#include <optional>
#include <string>

#include "uplift/report/i18n.hpp"

namespace uplift::report {

class NumberFormat {
public:
    explicit NumberFormat(Lang lang, std::string currency = {}) : lang_(lang), currency_(std::move(currency)) {}

    /// Fixed decimals with digit grouping; "−" (U+2212) for negatives.
    std::string number(double v, int decimals) const;
    /// Whole number, grouped.
    std::string count(double v) const;
    /// Money: no decimals from 100 up, else two; the currency (if any) after a no-break space.
    std::string money(double v) const;
    /// A fraction as a percentage: 0.123 → "12.3%".
    std::string percent(double fraction, int decimals = 1) const;
    /// A difference of two rates in percentage points, with its sign: 0.045 → "+4.5 pp".
    std::string points(double difference, int decimals = 1) const;
    /// A metric such as Qini AUC: four decimals.
    std::string metric(double v) const { return number(v, 4); }
    /// A p-value: "< 0.001" below a thousandth, else three decimals.
    std::string p_value(double p) const;
    /// With an explicit "+" for positive values (counts and money of increments).
    std::string signed_count(double v) const;
    std::string signed_money(double v) const;

    std::string number(const std::optional<double>& v, int decimals) const;
    std::string count(const std::optional<double>& v) const;
    std::string money(const std::optional<double>& v) const;
    std::string percent(const std::optional<double>& fraction, int decimals = 1) const;

    Lang lang() const noexcept { return lang_; }
    const std::string& currency() const noexcept { return currency_; }
    /// Digit group separator and decimal mark of the language, for the page's script.
    const char* group_separator() const noexcept;
    const char* decimal_mark() const noexcept;

private:
    Lang lang_;
    std::string currency_;
};

/// What an undefined value shows as.
inline constexpr const char* no_value = "\xE2\x80\x94";

}  // namespace uplift::report
