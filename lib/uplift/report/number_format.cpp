#include "uplift/report/number_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace uplift::report {

namespace {

constexpr const char* minus = "\xE2\x88\x92";  // U+2212: a real minus sign lines up with "+" in tables
constexpr const char* nbsp = "\xC2\xA0";

}  // namespace

const char* NumberFormat::group_separator() const noexcept { return lang_ == Lang::Ru ? nbsp : ","; }
const char* NumberFormat::decimal_mark() const noexcept { return lang_ == Lang::Ru ? "," : "."; }

std::string NumberFormat::number(double v, int decimals) const {
    if (!std::isfinite(v)) return no_value;
    std::string digits = fmt::format("{:.{}f}", std::fabs(v), decimals);
    // Rounding can turn a tiny negative into zero; "−0" would read as a loss.
    const bool negative = v < 0 && digits.find_first_not_of("0.") != std::string::npos;
    const auto dot = digits.find('.');
    const std::string whole = digits.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
    std::string out = negative ? minus : "";
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) out += group_separator();
        out += whole[i];
    }
    if (!fraction.empty()) {
        out += decimal_mark();
        out += fraction;
    }
    return out;
}

std::string NumberFormat::count(double v) const { return number(v, 0); }

std::string NumberFormat::money(double v) const {
    if (!std::isfinite(v)) return no_value;
    const std::string n = number(v, std::fabs(v) >= 100 || v == std::round(v) ? 0 : 2);
    return currency_.empty() ? n : n + nbsp + currency_;
}

std::string NumberFormat::percent(double fraction, int decimals) const {
    if (!std::isfinite(fraction)) return no_value;
    return number(fraction * 100.0, decimals) + (lang_ == Lang::Ru ? std::string(nbsp) + "%" : "%");
}

std::string NumberFormat::points(double difference, int decimals) const {
    if (!std::isfinite(difference)) return no_value;
    const std::string n = number(difference * 100.0, decimals);
    const bool positive = n.find_first_not_of("0.,") != std::string::npos && difference > 0;
    return (positive ? "+" : "") + n + nbsp + (lang_ == Lang::Ru ? "п.п." : "pp");
}

std::string NumberFormat::p_value(double p) const {
    if (!std::isfinite(p)) return no_value;
    if (p < 0.001) return fmt::format("<{}{}", nbsp, number(0.001, 3));
    return number(p, 3);
}

std::string NumberFormat::signed_count(double v) const {
    const std::string n = count(v);
    return (std::isfinite(v) && std::round(v) > 0 ? "+" : "") + n;
}

std::string NumberFormat::signed_money(double v) const {
    const std::string n = money(v);
    return (std::isfinite(v) && v >= 0.005 ? "+" : "") + n;
}

std::string NumberFormat::number(const std::optional<double>& v, int decimals) const {
    return v ? number(*v, decimals) : no_value;
}
std::string NumberFormat::count(const std::optional<double>& v) const { return v ? count(*v) : no_value; }
std::string NumberFormat::money(const std::optional<double>& v) const { return v ? money(*v) : no_value; }
std::string NumberFormat::percent(const std::optional<double>& fraction, int decimals) const {
    return fraction ? percent(*fraction, decimals) : no_value;
}

}  // namespace uplift::report
