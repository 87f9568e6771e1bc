#pragma once
/// DuckDB's strict CSV reader refuses files whose lines end partly in CRLF and partly in LF, which is
/// common in real exports (the public Hillstrom file's last line, files concatenated from two systems).
/// Rather than give up strictness (which would silently drop short rows), such a file is copied once
/// with uniform LF line endings; lines keep their numbers, so rejects still point at the source line.

#include <filesystem>
#include <optional>

namespace uplift::io {

class CsvSource {
public:
    /// Scans `path`; makes a normalised temporary copy only when its line endings are mixed.
    explicit CsvSource(std::filesystem::path path);
    ~CsvSource();
    CsvSource(const CsvSource&) = delete;
    CsvSource& operator=(const CsvSource&) = delete;

    /// The file DuckDB should read.
    const std::filesystem::path& scan_path() const noexcept { return normalised_ ? *normalised_ : original_; }
    bool normalised() const noexcept { return normalised_.has_value(); }

private:
    std::filesystem::path original_;
    std::optional<std::filesystem::path> normalised_;
};

/// True when some lines end in CRLF and others in a bare LF.
bool has_mixed_line_endings(const std::filesystem::path& path);

}  // namespace uplift::io
