#include "uplift/io/temp_table.hpp"

#include <fmt/format.h>

#include <atomic>
#include <utility>

#include "uplift/io/sql.hpp"

namespace uplift::io {

namespace {

/// Process-wide, so two objects never share a name even across sessions or threads.
std::string fresh_name(std::string_view purpose) {
    static std::atomic<unsigned long long> counter{0};
    return fmt::format("upliftctl_{}_{}", purpose, counter++);
}

}  // namespace

ScratchObject::ScratchObject(Session& session, std::string_view purpose, ScratchKind kind)
    : session_(&session), name_(fresh_name(purpose)), kind_(kind) {}

ScratchObject::~ScratchObject() {
    try {
        drop();
    } catch (...) {
        // A failed DROP of a scratch object must not replace the error that is unwinding; the session's
        // temporary objects go with it anyway.
    }
}

ScratchObject::ScratchObject(ScratchObject&& other) noexcept
    : session_(std::exchange(other.session_, nullptr)), name_(std::move(other.name_)), kind_(other.kind_) {}

ScratchObject& ScratchObject::operator=(ScratchObject&& other) noexcept {
    if (this != &other) {
        try {
            drop();
        } catch (...) {  // as in the destructor: the object being replaced is scratch
        }
        session_ = std::exchange(other.session_, nullptr);
        name_ = std::move(other.name_);
        kind_ = other.kind_;
    }
    return *this;
}

std::string ScratchObject::sql() const { return quote_identifier(name_); }

void ScratchObject::drop() {
    if (session_ == nullptr) return;
    session_->execute(fmt::format("DROP {} IF EXISTS {}", kind_ == ScratchKind::Type ? "TYPE" : "TABLE", sql()));
}

}  // namespace uplift::io
