#include "uplift/report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "uplift/report/html_escape.hpp"

namespace uplift::report {

namespace {

struct Range {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    bool empty() const { return !(lo <= hi); }
};

// A degenerate range (one value) still needs a width to draw an axis.
Range widened(Range r) {
    if (r.empty()) return Range{0.0, 1.0};
    if (r.lo == r.hi) {
        const double pad = r.lo == 0.0 ? 1.0 : std::fabs(r.lo) * 0.5;
        r.lo -= pad;
        r.hi += pad;
    }
    return r;
}

// The axis domain snapped outward to ticks, so gridlines meet the frame.
struct Axis {
    double lo = 0.0, hi = 1.0;
    std::vector<double> ticks;
};

Axis make_axis(Range r, int target) {
    r = widened(r);
    Axis a;
    a.ticks = nice_ticks(r.lo, r.hi, target);
    a.lo = std::min(r.lo, a.ticks.front());
    a.hi = std::max(r.hi, a.ticks.back());
    return a;
}

std::string num(double v) {
    const std::string s = fmt::format("{:.1f}", v);
    return s == "-0.0" ? "0.0" : s;
}

std::size_t display_length(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// Cuts a long label at a character boundary; the full text stays in a <title> for hover.
std::string shortened(const std::string& text, std::size_t max_chars) {
    if (display_length(text) <= max_chars) return text;
    std::string out;
    std::size_t chars = 0;
    for (const char c : text) {
        const bool lead = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (lead && ++chars > max_chars - 1) break;
        out += c;
    }
    return out + "\xE2\x80\xA6";
}

std::string tick_text(const TickFormat& f, double v) { return f ? f(v) : fmt::format("{:g}", v); }

std::string open_svg(int width, int height, const std::string& title, const char* extra_class = "") {
    return fmt::format("<svg class=\"chart{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                       "aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>",
                       extra_class, width, height, width, height, escape_html(title), escape_html(title));
}

std::string no_data_text(int width, int height, const std::string& text) {
    return fmt::format("<text class=\"no-data\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", width / 2,
                       height / 2, escape_html(text));
}

struct Frame {
    double left, top, width, height;
    double x(double v, const Axis& a) const { return left + (v - a.lo) / (a.hi - a.lo) * width; }
    double y(double v, const Axis& a) const { return top + height - (v - a.lo) / (a.hi - a.lo) * height; }
};

std::string y_grid(const Frame& f, const Axis& ya, const TickFormat& fmt_y) {
    std::string out = "<g class=\"grid\">";
    for (const double t : ya.ticks) {
        const double py = f.y(t, ya);
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>", num(f.left), num(py),
                           num(f.left + f.width), num(py), t == 0.0 ? " class=\"zero\"" : "");
        out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(f.left - 6),
                           num(py + 4), escape_html(tick_text(fmt_y, t)));
    }
    return out + "</g>";
}

std::string axis_labels(const Frame& f, int height, const std::string& x_label, const std::string& y_label) {
    std::string out;
    if (!x_label.empty()) {
        out += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                           num(f.left + f.width / 2), height - 6, escape_html(x_label));
    }
    if (!y_label.empty()) {
        out += fmt::format("<text class=\"axis-label\" transform=\"translate(14 {}) rotate(-90)\" "
                           "text-anchor=\"middle\">{}</text>",
                           num(f.top + f.height / 2), escape_html(y_label));
    }
    return out;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
    if (lo > hi) std::swap(lo, hi);
    if (lo == hi) {
        const Range r = widened(Range{lo, hi});
        lo = r.lo;
        hi = r.hi;
    }
    target = std::max(target, 2);
    const double raw = (hi - lo) / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (raw <= m * magnitude) {
            step = m * magnitude;
            break;
        }
    }
    std::vector<double> ticks;
    const double first = std::floor(lo / step) * step;
    for (int i = 0; i <= 4 * target + 2; ++i) {
        double t = first + i * step;
        if (std::fabs(t) < step * 1e-9) t = 0.0;  // no "-0" or 1e-17 from accumulated rounding
        ticks.push_back(t);
        if (t >= hi - step * 1e-9) break;
    }
    return ticks;
}

std::string render_line_chart(const LineChart& c) {
    const Frame f{66.0, 40.0, c.width - 66.0 - 18.0, c.height - 40.0 - 50.0};
    std::string out = open_svg(c.width, c.height, c.title);
    Range xr;
    Range yr;
    for (const auto& s : c.series) {
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
            xr.add(s.x[i]);
            yr.add(s.y[i]);
        }
    }
    const bool has_data = !xr.empty();
    if (c.marker_x) xr.add(*c.marker_x);
    if (has_data) yr.add(0.0);  // gains are read against zero
    const Axis xa = make_axis(xr, 6);
    const Axis ya = make_axis(yr, 5);

    out += y_grid(f, ya, c.y_tick);
    out += "<g class=\"grid\">";
    for (const double t : xa.ticks) {
        const double px = f.x(t, xa);
        out += fmt::format("<line class=\"xtick\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(px),
                           num(f.top + f.height), num(px), num(f.top + f.height + 4));
        out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(px),
                           num(f.top + f.height + 18), escape_html(tick_text(c.x_tick, t)));
    }
    out += "</g>";
    out += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", num(f.left), num(f.top),
                       num(f.width), num(f.height));
    out += axis_labels(f, c.height, c.x_label, c.y_label);

    if (!has_data) {
        out += no_data_text(c.width, c.height, c.no_data);
    } else {
        for (const auto& s : c.series) {
            std::string points;
            std::size_t drawn = 0;
            double last_x = 0;
            double last_y = 0;
            for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
                if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
                last_x = f.x(s.x[i], xa);
                last_y = f.y(s.y[i], ya);
                points += fmt::format("{}{},{}", drawn == 0 ? "" : " ", num(last_x), num(last_y));
                ++drawn;
            }
            const std::string cls = escape_html(s.css_class);
            if (drawn == 1) {
                out += fmt::format("<circle class=\"dot {}\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>", cls, num(last_x),
                                   num(last_y));
            } else if (drawn > 1) {
                out += fmt::format("<polyline class=\"series {}\" points=\"{}\"/>", cls, points);
            }
        }
    }
    if (c.marker_x) {
        const double px = f.x(*c.marker_x, xa);
        out += fmt::format("<line class=\"marker\" id=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" data-x0=\"{}\" "
                           "data-x1=\"{}\" data-px0=\"{}\" data-px1=\"{}\"/>",
                           escape_html(c.marker_id), num(px), num(f.top), num(px), num(f.top + f.height),
                           fmt::format("{:.17g}", xa.lo), fmt::format("{:.17g}", xa.hi), num(f.left),
                           num(f.left + f.width));
    }
    // Legend along the top, each entry as wide as its text.
    double lx = f.left;
    out += "<g class=\"legend\">";
    for (const auto& s : c.series) {
        if (s.label.empty()) continue;
        const std::string cls = escape_html(s.css_class);
        out += fmt::format("<line class=\"series {}\" x1=\"{}\" y1=\"16\" x2=\"{}\" y2=\"16\"/>", cls, num(lx),
                           num(lx + 22));
        out += fmt::format("<text x=\"{}\" y=\"20\">{}</text>", num(lx + 28), escape_html(s.label));
        lx += 28 + 6.6 * static_cast<double>(display_length(s.label)) + 18;
    }
    out += "</g>";
    return out + "</svg>";
}

std::string render_bar_chart(const BarChart& c) {
    const Frame f{66.0, c.reference ? 34.0 : 16.0, c.width - 66.0 - 12.0, 0.0};
    Frame frame = f;
    frame.height = c.height - frame.top - 52.0;
    std::string out = open_svg(c.width, c.height, c.title);
    Range yr;
    bool has_data = false;
    for (const auto& b : c.bars) {
        if (b.value && std::isfinite(*b.value)) {
            yr.add(*b.value);
            has_data = true;
        }
        if (b.low && b.high) {
            yr.add(*b.low);
            yr.add(*b.high);
        }
    }
    if (c.reference) yr.add(*c.reference);
    yr.add(0.0);
    const Axis ya = make_axis(yr, 5);
    out += y_grid(frame, ya, c.y_tick);
    out += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", num(frame.left),
                       num(frame.top), num(frame.width), num(frame.height));
    out += axis_labels(frame, c.height, c.x_label, c.y_label);
    if (!has_data) return out + no_data_text(c.width, c.height, c.no_data) + "</svg>";

    const double slot = frame.width / static_cast<double>(c.bars.size());
    const double bar_width = std::max(2.0, slot * 0.62);
    const double zero = frame.y(0.0, ya);
    const std::string cls = escape_html(c.css_class);
    for (std::size_t i = 0; i < c.bars.size(); ++i) {
        const Bar& b = c.bars[i];
        const double cx = frame.left + slot * (static_cast<double>(i) + 0.5);
        if (b.value && std::isfinite(*b.value)) {
            const double py = frame.y(*b.value, ya);
            out += fmt::format("<rect class=\"bar {}{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                               cls, *b.value < 0 ? " negative" : "", num(cx - bar_width / 2), num(std::min(py, zero)),
                               num(bar_width), num(std::max(std::fabs(zero - py), 0.5)),
                               escape_html(b.label + ": " + tick_text(c.y_tick, *b.value)));
        }
        if (b.low && b.high && std::isfinite(*b.low) && std::isfinite(*b.high)) {
            const double y0 = frame.y(*b.low, ya);
            const double y1 = frame.y(*b.high, ya);
            const double cap = std::min(8.0, bar_width / 3);
            out += fmt::format("<path class=\"error-bar\" d=\"M{} {}V{}M{} {}H{}M{} {}H{}\"/>", num(cx), num(y0), num(y1),
                               num(cx - cap), num(y0), num(cx + cap), num(cx - cap), num(y1), num(cx + cap));
        }
        out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(cx),
                           num(frame.top + frame.height + 16), escape_html(shortened(b.label, 12)));
    }
    if (c.reference) {
        const double py = frame.y(*c.reference, ya);
        out += fmt::format("<line class=\"reference\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(frame.left),
                           num(py), num(frame.left + frame.width), num(py));
        if (!c.reference_label.empty()) {
            out += fmt::format("<g class=\"legend\"><line class=\"reference\" x1=\"{}\" y1=\"14\" x2=\"{}\" y2=\"14\"/>"
                               "<text x=\"{}\" y=\"18\">{}</text></g>",
                               num(frame.left), num(frame.left + 22), num(frame.left + 28),
                               escape_html(c.reference_label));
        }
    }
    return out + "</svg>";
}

std::string render_hbar_chart(const HBarChart& c) {
    constexpr double row = 26.0;
    const int height = static_cast<int>(std::max<double>(row * static_cast<double>(c.bars.size()), 40.0)) + 8;
    std::string out = open_svg(c.width, height, c.title, " hbar");
    if (c.bars.empty()) return out + no_data_text(c.width, height, c.no_data) + "</svg>";
    double max_value = 0.0;
    for (const auto& b : c.bars) {
        if (std::isfinite(b.value)) max_value = std::max(max_value, b.value);
    }
    const double x0 = c.label_width;
    const double span = c.width - x0 - 90.0;
    for (std::size_t i = 0; i < c.bars.size(); ++i) {
        const HBar& b = c.bars[i];
        const double top = 4.0 + row * static_cast<double>(i);
        const double value = std::isfinite(b.value) ? std::max(b.value, 0.0) : 0.0;
        const double length = max_value > 0 ? value / max_value * span : 0.0;
        const std::size_t max_chars = static_cast<std::size_t>(std::max(4.0, (x0 - 12) / 6.8));
        out += fmt::format("<text class=\"hbar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<title>{}</title></text>",
                           num(x0 - 8), num(top + 16), escape_html(shortened(b.label, max_chars)),
                           escape_html(b.label));
        out += fmt::format("<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                           escape_html(b.css_class), num(x0), num(top + 3), num(std::max(length, 1.0)), num(row - 8));
        out += fmt::format("<text class=\"hbar-value\" x=\"{}\" y=\"{}\">{}</text>", num(x0 + length + 6),
                           num(top + 16), escape_html(b.value_text));
    }
    return out + "</svg>";
}

}  // namespace uplift::report
