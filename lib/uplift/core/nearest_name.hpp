#pragma once
/// "Did you mean": the known name nearest a mistyped one, for messages that refuse an unknown name (a
/// command, an XGBoost parameter). One edit distance for all of them, so they agree on what is near.

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace uplift {

/// Levenshtein distance: the fewest single-character insertions, deletions and substitutions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest `typed` (the first of equally near ones), or "" when none is nearer than
/// `below` edits or there are no candidates.
std::string nearest_name(std::string_view typed, const std::vector<std::string>& candidates,
                         std::size_t below = std::numeric_limits<std::size_t>::max());

}  // namespace uplift
