#pragma once
/// Logs how long each step of a command took (-v): where the time goes on a large input.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "uplift/core/log.hpp"

namespace uplift {

class StepTimer {
public:
    explicit StepTimer(std::string command) : command_(std::move(command)) {}
    /// Logs the time since the last step (or since construction) as "<command>: <step> in N s".
    void done(std::string_view step) {
        const auto now = std::chrono::steady_clock::now();
        log::info("{}: {} in {:.2f} s", command_, step, std::chrono::duration<double>(now - last_).count());
        last_ = now;
    }

private:
    std::string command_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace uplift
