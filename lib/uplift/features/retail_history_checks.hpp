#pragma once
/// Whether a cutoff and a population make sense against the purchase history: a cutoff after the last
/// purchase makes every client look lapsed, one before the first leaves no history at all, and a population
/// of clients without purchases gets features that are only zeros and NULLs. Mild cases are warned about
/// with their numbers; a cutoff far after the history, or a population with no history at all, is the data
/// problem it is (DataError, exit 3) unless the caller allows it.

#include <cstdint>
#include <string>

#include "uplift/io/session.hpp"

namespace uplift::features {

struct HistoryRange {
    std::string first, last;           ///< dates of the first and last purchase (empty: no purchase)
    std::int64_t days_after_last = 0;  ///< cutoff date minus the last purchase's date (1: the day after)
    std::int64_t days_to_first = 0;    ///< the first purchase's date minus the cutoff date
};

/// Reads the range of upl_transactions and checks the cutoff (YYYY-MM-DD) against it: a warning when it
/// is more than a day after the last purchase or on or before the first; DataError when it is more than
/// `max_days_after` days after the last one, unless `allow`. `data_dir` names the tables in messages.
HistoryRange check_cutoff(io::Session& session, const std::string& cutoff, int max_days_after, bool allow,
                          const std::string& data_dir);

/// A warning when more than half of the population's `rows` have no purchase before the cutoff; DataError
/// when none has any, unless `allow`.
void check_history_coverage(std::int64_t rows, std::int64_t without_purchases, const HistoryRange& range,
                            const std::string& cutoff, bool allow);

}  // namespace uplift::features
