#pragma once
/// Shared by the parts of the HTML renderer (not a public API): the report, the language, number formats
/// and small helpers that escape as they build. Every string from data goes through esc() or an escaped
/// helper; translations are escaped too, so a translator's "&" cannot break the page.

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "uplift/report/html_escape.hpp"
#include "uplift/report/i18n.hpp"
#include "uplift/report/number_format.hpp"
#include "uplift/report/report_model.hpp"

namespace uplift::report::html {

inline std::string esc(std::string_view s) { return escape_html(s); }

class Context {
public:
    explicit Context(const Report& report)
        : report_(report), lang_(report.options.lang), nf_(report.options.lang, report.options.currency) {}

    const Report& report() const noexcept { return report_; }
    Lang lang() const noexcept { return lang_; }
    const NumberFormat& nf() const noexcept { return nf_; }

    /// The translation, escaped for HTML.
    std::string t(Msg m) const { return esc(tr(lang_, m, report_.words)); }
    /// The translation formatted with `args` (already HTML: escape data before passing it).
    template <class... Args>
    std::string tf(Msg m, const Args&... args) const {
        return fmt::format(fmt::runtime(esc(tr(lang_, m, report_.words))), args...);
    }
    /// "95% range: a – b" with the report's level, or empty without a range.
    std::string range(const std::optional<eval::ConfidenceInterval>& r, std::string (*format)(const Context&, double)) const {
        if (!r) return {};
        return tf(Msg::RangeText, esc(nf_.percent(report_.options.ci_level, 0)), esc(format(*this, r->low)),
                  esc(format(*this, r->high)));
    }

private:
    const Report& report_;
    Lang lang_;
    NumberFormat nf_;
};

/// The budget-curve point the slider starts at: the one nearest the plan's budget (the last one without it).
std::size_t budget_start(const Plan& plan);

/// Sections of the page, each returning HTML (empty when the report lacks the data).
std::string summary_section(const Context& c);
/// Did the last plan deliver, drift since training, champion and challenger: each only when its file was given.
std::string monthly_sections(const Context& c);
std::string budget_section(const Context& c);
std::string plan_section(const Context& c);
std::string analyst_section(const Context& c);
std::string method_section(const Context& c);

}  // namespace uplift::report::html
