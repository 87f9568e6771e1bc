#include "uplift/report/monthly_inputs.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <string>

#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::report {

namespace {

// `what` names the flag and the command that writes the file, so the one error line says how to fix it.
std::string read_text(const std::filesystem::path& path, const char* what) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError(fmt::format("{} '{}' does not exist or is not a file", what, path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    if (!in && !in.eof()) throw IoError(fmt::format("cannot read {} '{}'", what, path.string()));
    return text;
}

// The owner's message names the file and the key; this adds the flag and what the file should have been, so a
// plan.json passed as --compare reads as a wrong file, not as a broken one. The kind (and exit code) is kept.
template <class Parse>
auto parsed(const char* flag, const char* expected, Parse&& parse) {
    try {
        return parse();
    } catch (const Error& e) {
        throw_error(e.kind(), fmt::format("{}: {} (expected {})", flag, e.what(), expected));
    }
}

}  // namespace

artifacts::Comparison read_comparison(const std::filesystem::path& path) {
    const std::string text = read_text(path, "--compare file (upliftctl compare -o)");
    return parsed("--compare", "compare.json written by `upliftctl compare`",
                  [&] { return artifacts::comparison_from_json(text, path.string()); });
}

artifacts::Measurement read_measurement(const std::filesystem::path& path) {
    const std::string text = read_text(path, "--measure file (upliftctl measure -o)");
    return parsed("--measure", "measure.json written by `upliftctl measure`",
                  [&] { return artifacts::measurement_from_json(text, path.string()); });
}

artifacts::Portraits read_portraits(const std::filesystem::path& path) {
    const std::string text = read_text(path, "--portraits file (upliftctl segments --portraits)");
    return parsed("--portraits", "portraits.json written by `upliftctl segments`",
                  [&] { return artifacts::portraits_from_json(text, path.string()); });
}

artifacts::DriftReport read_drift(const std::filesystem::path& scores, int threads) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(scores, ec)) {
        throw IoError(fmt::format("--drift scores file '{}' does not exist or is not a file", scores.string()));
    }
    io::Session session({.threads = threads, .memory_limit = {}});
    const auto metadata = io::read_metadata(session, scores);
    const auto found = metadata.find(artifacts::drift_metadata_key);
    if (found == metadata.end()) {
        throw DataError(fmt::format("--drift '{}': no drift record ('{}' metadata); pass a scores file written by "
                                    "`upliftctl score` with a model that stores its training distribution",
                                    scores.string(), artifacts::drift_metadata_key));
    }
    return parsed("--drift", "the drift record `upliftctl score` writes",
                  [&] { return artifacts::drift_report_from_json(found->second, scores.string()); });
}

}  // namespace uplift::report
