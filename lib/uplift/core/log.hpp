#pragma once
/// Logging for the library and the CLI: one logger writing to stderr (stdout carries data only).
/// `-v` / `-q` set the level; cron runs stay quiet unless something is wrong.

#include <spdlog/spdlog.h>

namespace uplift::log {

enum class Level { Debug, Info, Warn, Error };

/// Sends every message to stderr as "upliftctl: <level>: <text>" from here on.
void configure(Level level);

template <class... Args>
void debug(spdlog::format_string_t<Args...> f, Args&&... args) { spdlog::debug(f, std::forward<Args>(args)...); }
template <class... Args>
void info(spdlog::format_string_t<Args...> f, Args&&... args) { spdlog::info(f, std::forward<Args>(args)...); }
template <class... Args>
void warn(spdlog::format_string_t<Args...> f, Args&&... args) { spdlog::warn(f, std::forward<Args>(args)...); }

}  // namespace uplift::log
