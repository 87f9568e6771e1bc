#pragma once
/// Charts as inline SVG text: line charts (Qini, uplift, budget curves), vertical bars with error bars
/// (uplift by decile) and horizontal bars (importance, client kinds). Colours come from CSS classes so the
/// page's stylesheet (and print) decides them. Every label is escaped; non-finite points are skipped; an
/// empty chart still renders its frame with a "no data" note, so the output is always well-formed.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace uplift::report {

using TickFormat = std::function<std::string(double)>;

struct ChartSeries {
    std::string label;
    std::vector<double> x;
    std::vector<double> y;
    std::string css_class;  ///< e.g. "s-model", "s-random", "s-perfect"
};

struct LineChart {
    std::string title;  ///< read by screen readers (<title>), not drawn
    std::string x_label;
    std::string y_label;
    std::vector<ChartSeries> series;
    TickFormat x_tick;
    TickFormat y_tick;
    std::string no_data = "no data";
    int width = 560;
    int height = 330;
    /// When set, a vertical marker at this x, with id `marker_id` and data attributes mapping x to pixels
    /// (data-x0, data-x1, data-px0, data-px1) so a script can move it.
    std::optional<double> marker_x;
    std::string marker_id;
};

struct Bar {
    std::string label;
    std::optional<double> value;
    std::optional<double> low;   ///< error bar, drawn when both ends are set
    std::optional<double> high;
};

struct BarChart {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<Bar> bars;
    TickFormat y_tick;
    std::string no_data = "no data";
    std::string css_class = "b-main";
    /// A dashed horizontal reference (e.g. 50% balance, average uplift), with its legend text.
    std::optional<double> reference;
    std::string reference_label;
    int width = 560;
    int height = 300;
};

struct HBar {
    std::string label;
    double value = 0.0;
    std::string value_text;  ///< shown at the end of the bar
    std::string css_class = "b-main";
};

struct HBarChart {
    std::string title;
    std::vector<HBar> bars;
    std::string no_data = "no data";
    int width = 560;
    int label_width = 170;
};

/// "Nice" tick positions (1, 2, 2.5, 5 × 10^k steps) covering [lo, hi], about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

std::string render_line_chart(const LineChart& chart);
std::string render_bar_chart(const BarChart& chart);
std::string render_hbar_chart(const HBarChart& chart);

}  // namespace uplift::report
