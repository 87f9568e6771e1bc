#pragma once
/// How a long step tells the CLI how far it is, without the library knowing about terminals: the step calls
/// the callback with the units done so far and the units in all (0 when the total is not known up front).
/// The CLI turns it into a bar with an ETA (apps/upliftctl/progress_bar.hpp), or passes none.

#include <cstdint>
#include <functional>

namespace uplift {

using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Counts the steps of a job whose number of steps is known at the start (the model fits of `train`).
class ProgressCounter {
public:
    ProgressCounter(const Progress& progress, std::uint64_t total) : progress_(progress), total_(total) {}
    /// One more step done.
    void step() {
        ++done_;
        if (progress_) progress_(done_, total_);
    }
    /// `n` steps that will not run (a search cut short by its time budget), so the count still ends at the total.
    void advance(std::uint64_t n) {
        if (n == 0) return;
        done_ += n;
        if (progress_) progress_(done_, total_);
    }
    std::uint64_t done() const noexcept { return done_; }

private:
    const Progress& progress_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
};

}  // namespace uplift
