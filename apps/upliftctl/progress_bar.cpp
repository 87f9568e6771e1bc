#include "progress_bar.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace upliftctl {

namespace {

std::string clock_text(std::chrono::milliseconds t) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(t).count();
    return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

/// Whole numbers with thin groups, as the rest of the CLI prints counts (12,808).
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}

}  // namespace

std::string progress_line(const std::string& label, const std::string& unit, std::uint64_t done, std::uint64_t total,
                          std::chrono::milliseconds elapsed) {
    if (total == 0) return fmt::format("{}  {} {}  {}", label, grouped(done), unit, clock_text(elapsed));
    if (done > total) done = total;
    constexpr int width = 20;
    const int filled = static_cast<int>(width * done / total);
    const std::string eta =
        done == 0     ? "ETA --:--"
        : done == total ? fmt::format("took {}", clock_text(elapsed))
                      : fmt::format("ETA {}", clock_text(std::chrono::milliseconds(
                                                  elapsed.count() * static_cast<long long>(total - done) /
                                                  static_cast<long long>(done))));
    return fmt::format("{}  [{}{}] {:>3}%  {}/{} {}  {}", label, std::string(filled, '#'), std::string(width - filled, '-'),
                       100 * done / total, grouped(done), grouped(total), unit, eta);
}

namespace {

struct BarState {
    std::string label, unit;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw{};
    bool drawn = false;
    bool ended = false;
    std::uint64_t last_done = 0;
    ~BarState() {
        if (drawn && !ended) std::fputc('\n', stderr);  // an error mid-way starts on a fresh line
    }
};

}  // namespace

uplift::Progress progress_bar(const GlobalOptions& global, const std::string& label, const std::string& unit) {
    if (!show_progress(global)) return {};
    auto state = std::make_shared<BarState>();
    state->label = label;
    state->unit = unit;
    return [state](std::uint64_t done, std::uint64_t total) {
        const auto now = std::chrono::steady_clock::now();
        // Fewer done than before: a new step of a job told step by step (a stage's SQL statements); its ETA
        // starts again.
        if (done < state->last_done) state->start = now;
        state->last_done = done;
        const bool last = total > 0 && done >= total;
        if (state->ended || (!last && state->drawn && now - state->last_draw < std::chrono::milliseconds(200))) return;
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - state->start);
        // "\r" and erase-to-end-of-line redraw in place; the final draw ends the line.
        std::fprintf(stderr, "\r%s\x1b[K%s", progress_line(state->label, state->unit, done, total, elapsed).c_str(),
                     last ? "\n" : "");
        std::fflush(stderr);
        state->drawn = true;
        state->last_draw = now;
        state->ended = last;
    };
}

}  // namespace upliftctl
