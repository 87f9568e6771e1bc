// upliftctl segments: client portraits (k-means on standardised features, described and named).

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "commands.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/session.hpp"
#include "uplift/segment/cluster_names.hpp"
#include "uplift/segment/segments.hpp"

namespace upliftctl {

namespace {

struct SegmentsCliOptions {
    uplift::segment::SegmentsRequest request;
    std::string features;
    std::string k_range;
    std::string names_file;
    std::vector<std::string> names;
    std::string out;
    std::string portraits;
};

/// "2..8" → {2, 8}.
std::pair<int, int> parse_k_range(const std::string& text) {
    const auto dots = text.find("..");
    const auto whole = [&](std::string_view s, int& v) {
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
    };
    int low = 0;
    int high = 0;
    if (dots == std::string::npos || !whole(std::string_view(text).substr(0, dots), low) ||
        !whole(std::string_view(text).substr(dots + 2), high)) {
        throw uplift::UsageError(fmt::format("--k-range '{}': expected FROM..TO, e.g. 2..8", text));
    }
    return {low, high};
}

void run_segments(SegmentsCliOptions o, const CLI::App& cmd, const GlobalOptions& g) {
    auto& r = o.request;
    if (!given(cmd, {"--k"}).empty() && !given(cmd, {"--k-range"}).empty()) {
        throw uplift::UsageError("--k and --k-range exclude each other: give the number of clusters or a range to choose from");
    }
    if (!o.k_range.empty()) std::tie(r.k_min, r.k_max) = parse_k_range(o.k_range);
    if (!o.features.empty()) r.columns = split_list(o.features, "--features");
    if (!o.names_file.empty()) r.names = uplift::segment::read_names_file(o.names_file);
    for (const auto& flag : o.names) {
        const auto [id, name] = uplift::segment::parse_name_flag(flag);
        r.names[id] = name;  // a flag wins over the file
    }
    std::vector<std::filesystem::path> outputs;
    for (const auto& path : {o.out, o.portraits}) {
        if (path.empty()) continue;
        outputs.emplace_back(path);
        uplift::io::check_writable(path, g.overwrite, uplift::io::OutputShape::File);
    }
    std::vector<std::filesystem::path> inputs{r.features};
    if (!r.scores.empty()) inputs.push_back(r.scores);
    if (!o.names_file.empty()) inputs.emplace_back(o.names_file);
    uplift::io::check_distinct_outputs(outputs, inputs);
    r.seed = g.seed;
    r.threads = g.threads;

    uplift::io::Session session({.threads = g.threads, .memory_limit = {}});
    const auto result = uplift::segment::compute_segments(session, r);
    uplift::segment::write_segments(session, result, o.out, o.portraits, g.overwrite);
    if (g.quiet) return;
    fmt::print("{}", uplift::segment::portraits_text(result.portraits));
    if (!o.out.empty()) fmt::print("\nclusters       {}\n", o.out);
    if (!o.portraits.empty()) fmt::print("{}portraits      {}\n", o.out.empty() ? "\n" : "", o.portraits);
}

}  // namespace

void register_segments(CLI::App& root, Invocation& invocation) {
    auto o = std::make_shared<SegmentsCliOptions>();
    auto* cmd = root.add_subcommand("segments", "Client portraits: k-means clusters, described, named, with their best offer");
    // No CLI::ExistingFile: a missing input is an I/O error (exit 4), reported by the reader like every stage's.
    cmd->add_option("-i,--input", o->request.features, "Features file from `upliftctl features` (flat or retail)")
        ->required();
    cmd->add_option("-s,--scores", o->request.scores,
                    "Scores joined by client id (upliftctl score, or the model's holdout/out_of_fold): mean predicted "
                    "uplift per offer and the offer each cluster should get");
    cmd->add_option("--features", o->features,
                    "Columns to cluster on, a,b,c (default: the numeric feature columns of the file's roles)");
    cmd->add_option("--k", o->request.k, "Number of clusters (default: chosen by silhouette from --k-range)")
        ->check(CLI::Range(1, 100));
    cmd->add_option("--k-range", o->k_range, "Range of k to choose from by silhouette, FROM..TO (default 2..8)");
    cmd->add_option("--sample", o->request.sample,
                    "Rows the silhouette runs on (each k of --k-range is fitted and scored on this seeded sample)")
        ->check(CLI::Range(std::size_t{2}, std::size_t{100000}))
        ->capture_default_str();
    cmd->add_option("--restarts", o->request.restarts, "k-means++ seedings; the one with the least inertia is kept")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->add_option("--max-iter", o->request.max_iterations, "Lloyd iterations per restart at most")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    cmd->add_option("--names", o->names_file, "JSON file of cluster names, {\"0\": \"pragmatists\", ...}");
    cmd->add_option("--name", o->names, "A cluster's name, ID=NAME (repeatable; wins over --names)");
    cmd->add_option("-o,--out", o->out, "Cluster per client: id, cluster (.parquet or .csv)");
    cmd->add_option("--portraits", o->portraits, "portraits.json: the clusters described (read by report --portraits)");
    add_global_options(*cmd, invocation.global, true);
    cmd->footer(help_footer(
        "upliftctl segments -i features.parquet -s model/out_of_fold.parquet -o clusters.parquet "
        "--portraits portraits.json --name 0=pragmatists"));
    cmd->callback([o, cmd, &invocation] {
        invocation.run = [o, cmd, &invocation] { run_segments(*o, *cmd, invocation.global); };
    });
}

}  // namespace upliftctl
