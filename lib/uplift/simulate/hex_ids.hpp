#pragma once
/// Identifiers that look like X5's (10 lowercase hex characters) and never collide: an index goes
/// through a keyed permutation of the 40-bit numbers, so distinct indices give distinct ids with no
/// lookup table, and orphan clients (indices past the last real client) can never hit a real id.

#include <cstdint>
#include <string>

namespace uplift::simulate {

/// What an id names; each kind has its own permutation key.
enum class IdKind : std::uint64_t { Client = 1, Transaction = 2, Store = 3, Product = 4, Level = 5, Brand = 6, Vendor = 7 };

class IdCoder {
public:
    explicit IdCoder(std::uint64_t seed);
    /// A bijection of [0, 2^40) for each kind; `index` must be below 2^40.
    std::uint64_t code(IdKind kind, std::uint64_t index) const noexcept;
    /// Appends the 10 hex characters of code(kind, index) to `out`.
    void append(std::string& out, IdKind kind, std::uint64_t index) const;
    std::string text(IdKind kind, std::uint64_t index) const;

private:
    std::uint64_t keys_[8][3];
};

}  // namespace uplift::simulate
