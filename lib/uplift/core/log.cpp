#include "uplift/core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace uplift::log {

void configure(Level level) {
    auto logger = spdlog::stderr_logger_st("upliftctl");
    logger->set_pattern("upliftctl: %l: %v");
    switch (level) {
    case Level::Debug: logger->set_level(spdlog::level::debug); break;
    case Level::Info: logger->set_level(spdlog::level::info); break;
    case Level::Warn: logger->set_level(spdlog::level::warn); break;
    case Level::Error: logger->set_level(spdlog::level::err); break;
    }
    spdlog::set_default_logger(logger);
}

}  // namespace uplift::log
