#pragma once
/// Whose rows `features --data` builds: the population. A campaign's clients (with its treatment and target
/// when it has them: the rows `train` learns from), every client known at the cutoff, or a list of ids (both
/// for scoring only). The population is staged as the view upl_population (client_id, and treatment_flg,
/// target when it carries outcomes) that retail_clients.sql joins to clients.parquet.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "uplift/features/retail_inputs.hpp"
#include "uplift/io/session.hpp"

namespace uplift::features {

enum class PopulationKind {
    Campaign,  ///< campaign.parquet's clients
    All,       ///< every client of clients.parquet whose card was issued before the cutoff
    File,      ///< the ids of a CSV or Parquet file's client_id column
};

struct Population {
    PopulationKind kind = PopulationKind::Campaign;
    std::filesystem::path file;  ///< PopulationKind::File

    /// "campaign", "all" or the file's name, as --population takes it.
    std::string name() const;
};

/// --population: "all", "campaign", or any other text as a file name.
Population parse_population(const std::string& text);

/// Campaign when the folder holds campaign.parquet, else all.
Population default_population(const RetailInputs& inputs);

struct PopulationCheck {
    bool outcomes = false;                     ///< treatment_flg and target travel with the rows
    std::int64_t rows = 0;                     ///< ids in the population
    std::int64_t missing_clients = 0;          ///< ids absent from clients.parquet: left out
    std::vector<std::string> missing_sample;   ///< up to 5 of them, smallest first
};

/// Creates the view upl_population and checks it, with clients.parquet: DataError for an empty population,
/// empty or repeated ids, treatment or target not 0/1, repeated client ids in clients.parquet, and a
/// population none of whose ids is a client; UsageError for --population campaign without campaign.parquet;
/// IoError for an unreadable list file. `cutoff` is the cutoff instant as SQL (PopulationKind::All).
PopulationCheck stage_population(io::Session& session, const RetailInputs& inputs, const Population& population,
                                 const std::string& cutoff);

}  // namespace uplift::features
