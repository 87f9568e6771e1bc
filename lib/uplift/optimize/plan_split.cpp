#include "uplift/optimize/plan_split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

namespace {

constexpr std::size_t max_file_part = 64;

const std::string& value_of(const Offer& offer, SplitBy by) {
    return by == SplitBy::Channel ? offer.channel : offer_code(offer);
}

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

}  // namespace

SplitBy split_by_from_string(std::string_view text) {
    if (text == "channel") return SplitBy::Channel;
    if (text == "offer") return SplitBy::Offer;
    throw UsageError(fmt::format("--split-by '{}': write channel or offer", text));
}

std::string_view to_string(SplitBy by) noexcept {
    switch (by) {
    case SplitBy::Channel: return "channel";
    case SplitBy::Offer: return "offer";
    case SplitBy::None: break;
    }
    return "none";
}

std::string safe_file_part(std::string_view value) {
    std::string out;
    for (const char c : value) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_';
        if (keep && c != '_') {
            out.push_back(c);
        } else if (!out.empty() && out.back() != '_') {
            out.push_back('_');  // also a leading one is never written
        }
        if (out.size() >= max_file_part) break;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "part" : out;
}

std::vector<PlanPart> plan_parts(std::span<const Offer> offers, SplitBy by, const std::filesystem::path& out) {
    std::vector<PlanPart> parts;
    std::set<std::string> taken;  // lower-case names: case-insensitive file systems must not merge two parts
    const std::string stem = out.stem().string();
    const std::string ext = out.extension().string();
    for (const Offer& offer : offers) {
        const std::string& value = value_of(offer, by);
        if (std::any_of(parts.begin(), parts.end(), [&](const PlanPart& p) { return p.value == value; })) continue;
        const std::string base = safe_file_part(value);
        std::string name = base;
        for (int n = 2; !taken.insert(lower(name)).second; ++n) name = fmt::format("{}_{}", base, n);
        parts.push_back(PlanPart{value, out.parent_path() / fmt::format("{}.{}{}", stem, name, ext), {}});
    }
    return parts;
}

void assign_rows(std::vector<PlanPart>& parts, std::span<const Offer> offers, SplitBy by,
                 std::span<const std::int8_t> choice, std::span<const std::size_t> order) {
    std::vector<std::size_t> part_of(offers.size(), 0);
    for (std::size_t k = 0; k < offers.size(); ++k) {
        const auto it = std::find_if(parts.begin(), parts.end(),
                                     [&](const PlanPart& p) { return p.value == value_of(offers[k], by); });
        part_of[k] = static_cast<std::size_t>(it - parts.begin());
    }
    for (PlanPart& p : parts) p.positions.clear();
    for (std::size_t r = 0; r < order.size(); ++r) {
        parts[part_of[static_cast<std::size_t>(choice[order[r]])]].positions.push_back(r);
    }
}

std::filesystem::path manifest_path(const std::filesystem::path& out) {
    return out.parent_path() / (out.stem().string() + ".manifest.json");
}

}  // namespace uplift::optimize
