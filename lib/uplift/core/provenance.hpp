#pragma once
/// Where an artifact came from: tool version, stage, input files with fingerprints, parameters, seed.
/// No timestamps: the same inputs and seed must give byte-identical artifacts.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace uplift {

struct Provenance {
    std::string stage;
    std::vector<std::filesystem::path> inputs;
    std::map<std::string, std::string> parameters;

    /// JSON text; fingerprints every input file.
    std::string to_json() const;
};

}  // namespace uplift
