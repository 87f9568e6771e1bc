#pragma once
/// The monthly loop's files a report can show beside the plan (issue 17): compare.json (champion and
/// challenger), the drift record a scores file carries, measure.json (what the last plan delivered). Each is
/// read through its owner in artifacts/, so the report spells none of their keys.

#include <filesystem>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/artifacts/drift_reference.hpp"
#include "uplift/artifacts/measurement.hpp"
#include "uplift/artifacts/portraits.hpp"

namespace uplift::report {

/// compare.json as `upliftctl compare` wrote it. IoError when it cannot be read, DataError when it is not one.
artifacts::Comparison read_comparison(const std::filesystem::path& path);

/// The drift record (`upliftctl.drift`) of a scores file written by `upliftctl score`. IoError when the file
/// cannot be read, DataError when it carries no drift record or a malformed one.
artifacts::DriftReport read_drift(const std::filesystem::path& scores, int threads);

/// measure.json as `upliftctl measure` wrote it. IoError when it cannot be read, DataError when it is not one.
artifacts::Measurement read_measurement(const std::filesystem::path& path);

/// portraits.json as `upliftctl segments --portraits` wrote it. IoError when it cannot be read, DataError when
/// it is not one.
artifacts::Portraits read_portraits(const std::filesystem::path& path);

}  // namespace uplift::report
