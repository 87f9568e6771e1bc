#pragma once
/// Scratch SQL objects (temporary tables, ENUM types) whose name is chosen here, once, and which are
/// dropped when their owner goes out of scope. The step that creates one returns it and the steps that
/// read it take it as an argument, so no function reads a table by a name another function spelled.

#include <string>
#include <string_view>

#include "uplift/io/session.hpp"

namespace uplift::io {

/// What kind of SQL object a ScratchObject names (it decides the DROP statement).
enum class ScratchKind { Table, Type };

/// A name reserved for a scratch object in one Session: "upliftctl_<purpose>_<n>", n unique in the
/// process. Nothing is created by the constructor; whoever holds it creates the object under name() (or
/// lets DuckDB create it, e.g. read_csv's rejects_table). The destructor drops the object if it exists,
/// ignoring errors (it runs during unwinding too). Move-only; a moved-from object drops nothing.
class ScratchObject {
public:
    ScratchObject(Session& session, std::string_view purpose, ScratchKind kind);
    ~ScratchObject();
    ScratchObject(ScratchObject&& other) noexcept;
    ScratchObject& operator=(ScratchObject&& other) noexcept;
    ScratchObject(const ScratchObject&) = delete;
    ScratchObject& operator=(const ScratchObject&) = delete;

    /// The bare name (for APIs that take a name, e.g. Session::register_table or a quoted literal).
    const std::string& name() const noexcept { return name_; }
    /// The name as an SQL identifier, quoted.
    std::string sql() const;
    /// Drops the object now if it exists (e.g. before DuckDB re-creates it); the name stays reserved.
    void drop();

private:
    Session* session_ = nullptr;
    std::string name_;
    ScratchKind kind_ = ScratchKind::Table;
};

/// A temporary table.
class TempTable : public ScratchObject {
public:
    TempTable(Session& session, std::string_view purpose) : ScratchObject(session, purpose, ScratchKind::Table) {}
};

/// A user-defined type (CREATE TYPE … AS ENUM …).
class TempType : public ScratchObject {
public:
    TempType(Session& session, std::string_view purpose) : ScratchObject(session, purpose, ScratchKind::Type) {}
};

}  // namespace uplift::io
