#include "uplift/simulate/hex_ids.hpp"

#include "uplift/simulate/random_draws.hpp"

namespace uplift::simulate {

namespace {
constexpr std::uint64_t mask40 = (std::uint64_t{1} << 40) - 1;
}

IdCoder::IdCoder(std::uint64_t seed) {
    for (std::uint64_t kind = 0; kind < 8; ++kind) {
        for (std::uint64_t round = 0; round < 3; ++round) keys_[kind][round] = stream_seed(seed, 0x1D5, kind * 8 + round);
    }
}

std::uint64_t IdCoder::code(IdKind kind, std::uint64_t index) const noexcept {
    const auto& keys = keys_[static_cast<std::uint64_t>(kind)];
    std::uint64_t x = index & mask40;
    // Each step is invertible on 40 bits: adding a key, multiplying by an odd number, xor with the
    // high half shifted down. Three rounds scatter consecutive indices over the whole range.
    for (const std::uint64_t key : keys) {
        x = (x + key) & mask40;
        x = (x * (key | 1)) & mask40;
        x ^= x >> 20;
    }
    return x;
}

void IdCoder::append(std::string& out, IdKind kind, std::uint64_t index) const {
    static constexpr char digits[] = "0123456789abcdef";
    const std::uint64_t x = code(kind, index);
    char buf[10];
    for (int i = 9; i >= 0; --i) buf[9 - i] = digits[(x >> (4 * i)) & 0xF];
    out.append(buf, 10);
}

std::string IdCoder::text(IdKind kind, std::uint64_t index) const {
    std::string out;
    append(out, kind, index);
    return out;
}

}  // namespace uplift::simulate
