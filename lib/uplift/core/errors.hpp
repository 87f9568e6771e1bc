#pragma once
/// Errors of upliftctl. Every failure a user can cause is one of these; `main` catches them once and
/// maps the kind to a documented exit code, so a cron wrapper can tell bad data from a bug.

#include <stdexcept>
#include <string>

namespace uplift {

enum class ErrorKind { Usage, Data, Io, Model, Drift, Internal };

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

/// Bad flags or flag combinations (exit 2).
class UsageError : public Error {
public:
    explicit UsageError(const std::string& m) : Error(ErrorKind::Usage, m) {}
};
/// Input data that cannot be used: schema, values, too many rejects (exit 3).
class DataError : public Error {
public:
    explicit DataError(const std::string& m) : Error(ErrorKind::Data, m) {}
};
/// Missing files, unwritable paths, unreadable formats (exit 4).
class IoError : public Error {
public:
    explicit IoError(const std::string& m) : Error(ErrorKind::Io, m) {}
};
/// Model bundle unreadable, of an unknown version, or mismatched with the input (exit 5).
class ModelError : public Error {
public:
    explicit ModelError(const std::string& m) : Error(ErrorKind::Model, m) {}
};
/// The clients to score are too far from the ones the model learnt on: a feature's or the score's population
/// stability index above `score --drift-fail` (exit 6). Not bad data as such; a cron job stops on it.
class DriftError : public Error {
public:
    explicit DriftError(const std::string& m) : Error(ErrorKind::Drift, m) {}
};
/// A broken invariant: a bug in upliftctl (exit 1).
class InternalError : public Error {
public:
    explicit InternalError(const std::string& m) : Error(ErrorKind::Internal, m) {}
};

namespace exit_code {
inline constexpr int success = 0;
inline constexpr int internal = 1;
inline constexpr int usage = 2;
inline constexpr int data = 3;
inline constexpr int io = 4;
inline constexpr int model = 5;
inline constexpr int drift = 6;
/// `compare`: the challenger is credibly worse than the champion and is not promoted. An outcome, not an
/// error: compare.json is written and no "error:" line is printed.
inline constexpr int rejected = 7;
inline constexpr int interrupted = 130;
}  // namespace exit_code

/// The documented exit code of an error kind.
constexpr int exit_code_of(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Usage: return exit_code::usage;
    case ErrorKind::Data: return exit_code::data;
    case ErrorKind::Io: return exit_code::io;
    case ErrorKind::Model: return exit_code::model;
    case ErrorKind::Drift: return exit_code::drift;
    case ErrorKind::Internal: return exit_code::internal;
    }
    return exit_code::internal;
}

}  // namespace uplift
