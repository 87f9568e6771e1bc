#pragma once
/// `optimize --split-by channel|offer`: the CRM list cut into one file per channel (or per offer code), each
/// a plain CSV (or Parquet) beside --out, named from the value so that it is a safe file name everywhere.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uplift/optimize/economics.hpp"

namespace uplift::optimize {

enum class SplitBy { None, Channel, Offer };

/// "channel" or "offer"; throws UsageError for anything else.
SplitBy split_by_from_string(std::string_view text);
std::string_view to_string(SplitBy by) noexcept;

/// One file of a split list.
struct PlanPart {
    std::string value;                    ///< the channel, or the offer code
    std::filesystem::path file;           ///< <out stem>.<safe value><out extension>, beside --out
    std::vector<std::size_t> positions;   ///< its rows: indices into the whole list (rank = index + 1)
};

/// A value as part of a file name: ASCII letters, digits, '-' and '_' are kept, every other byte (space, '.',
/// '/', '\\', ':', non-ASCII) becomes '_', runs of '_' shrink to one and leading or trailing ones go; at most
/// 64 bytes; "part" when nothing is left.
std::string safe_file_part(std::string_view value);

/// One part per distinct value of the offers (channel, or offer code), in the offers' order, so the files are
/// the same whoever the plan picks (a value no client gets has a file with the header only). Two values with
/// the same safe name (also when they differ only in case, as on Windows and macOS) get "_2", "_3", ...
std::vector<PlanPart> plan_parts(std::span<const Offer> offers, SplitBy by, const std::filesystem::path& out);

/// Puts each row of the list (`order`, clients with their `choice`) into its offer's part.
void assign_rows(std::vector<PlanPart>& parts, std::span<const Offer> offers, SplitBy by,
                 std::span<const std::int8_t> choice, std::span<const std::size_t> order);

/// <out stem>.manifest.json beside --out.
std::filesystem::path manifest_path(const std::filesystem::path& out);

}  // namespace uplift::optimize
