#pragma once
/// Throwing an error of a kind known only at run time, as its own subclass: a caller that adds context
/// to an error (which file, which flag) keeps its kind, and so its exit code, instead of choosing one.

#include <string>

#include "uplift/core/errors.hpp"

namespace uplift {

[[noreturn]] inline void throw_error(ErrorKind kind, const std::string& message) {
    switch (kind) {
    case ErrorKind::Usage: throw UsageError(message);
    case ErrorKind::Data: throw DataError(message);
    case ErrorKind::Io: throw IoError(message);
    case ErrorKind::Model: throw ModelError(message);
    case ErrorKind::Drift: throw DriftError(message);
    case ErrorKind::Internal: break;
    }
    throw InternalError(message);
}

}  // namespace uplift
