#pragma once
/// plan.manifest.json: the files of a split CRM list (optimize --split-by) and their row counts, so an import
/// job can check it received every file whole. This file and plan_manifest.cpp are the only places that spell
/// its keys.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uplift::artifacts {

struct PlanManifestFile {
    std::string value;      ///< the channel or offer code of its rows
    std::string file;       ///< file name, relative to the manifest's folder
    std::int64_t rows = 0;  ///< data rows (the header not counted)
    std::int64_t contacts = 0;
    std::int64_t held_out = 0;

    bool operator==(const PlanManifestFile&) const = default;
};

struct PlanManifest {
    std::string split_by;   ///< "channel" or "offer"
    std::string format;     ///< "csv" or "parquet"
    std::string separator;  ///< "," or ";" (--excel); empty for Parquet
    bool bom = false;       ///< the CSV files start with a UTF-8 byte order mark (--excel)
    std::vector<std::string> columns;  ///< the header every file has
    std::string plan_json;  ///< plan.json, relative to the manifest's folder
    std::int64_t rows = 0;  ///< rows over all files
    std::vector<PlanManifestFile> files;

    bool operator==(const PlanManifest&) const = default;
};

/// Two-space indent, final newline.
std::string to_json(const PlanManifest& manifest);
/// Throws DataError naming `source` for text that is not a manifest.
PlanManifest plan_manifest_from_json(std::string_view text, const std::string& source);

}  // namespace uplift::artifacts
