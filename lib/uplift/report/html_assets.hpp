#pragma once
/// The stylesheet and the script inlined into every HTML report. Both are constants, so a report's
/// Content-Security-Policy can allow exactly these two by hash and nothing else.

#include <string_view>

namespace uplift::report {

/// CSS for screen and print (system fonts only: no web font may be fetched).
std::string_view report_css();

/// The budget slider: plain JavaScript, no network, text set through textContent only. It reads the
/// element #upl-data (JSON), and a location hash like #budget=5000 picks the curve point nearest that budget
/// at load (a hook for the browser test and for links to a chosen budget).
std::string_view report_js();

}  // namespace uplift::report
