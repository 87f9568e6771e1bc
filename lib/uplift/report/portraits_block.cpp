// The client-portraits block of the report: each cluster of `upliftctl segments` with its name, size, share
// and the offer it should get, worded once for the HTML and Markdown renderers.

#include <fmt/format.h>

#include <filesystem>

#include "uplift/report/monthly_blocks.hpp"
#include "uplift/report/number_format.hpp"

namespace uplift::report {

std::optional<TextBlock> portraits_block(const Report& r) {
    if (!r.portraits) return std::nullopt;
    const artifacts::Portraits& p = *r.portraits;
    const Lang lang = r.options.lang;
    const NumberFormat nf(lang, r.options.currency);
    const auto t = [&](Msg m) { return tr(lang, m, r.words); };
    TextBlock b{.id = "portraits", .title = t(Msg::PortraitsTitle), .lines = {}, .tables = {}, .notes = {}};
    const bool scored = !p.offers.empty();
    const std::string features = std::filesystem::path(p.features_file).filename().string();
    b.lines.push_back(scored ? fmt::format(fmt::runtime(t(Msg::PortraitsRows)), nf.count(double(p.rows)), p.k,
                                           p.columns.size(), features, p.scores_file)
                             : fmt::format(fmt::runtime(t(Msg::PortraitsNoScores)), nf.count(double(p.rows)), p.k,
                                           p.columns.size(), features));
    TextTable table;
    table.header = {t(Msg::ColCluster), t(Msg::ColName), t(Msg::ColClients), t(Msg::ColShare)};
    table.numeric = {true, false, true, true};
    if (scored) {
        table.header.push_back(t(Msg::ColOffer));
        table.header.push_back(t(Msg::ColMeanUplift));
        table.numeric.push_back(false);
        table.numeric.push_back(true);
    }
    bool any_without_offer = false;
    for (const auto& c : p.clusters) {
        std::vector<std::string> row = {std::to_string(c.id), c.name, nf.count(double(c.size)), nf.percent(c.share, 1)};
        if (scored) {
            // The recommended offer's mean uplift; without one, the best (not positive) mean, to show how far off.
            std::optional<double> uplift;
            for (const auto& u : c.uplift) {
                if (u.mean_uplift && (!uplift || *u.mean_uplift > *uplift)) uplift = u.mean_uplift;
            }
            any_without_offer = any_without_offer || !c.recommended_offer;
            row.push_back(c.recommended_offer ? *c.recommended_offer : t(Msg::PortraitsNone));
            // For a binary outcome the uplift is a difference of purchase probabilities: shown in points.
            row.push_back(!uplift ? no_value : r.binary ? nf.points(*uplift, 2) : nf.number(*uplift, 4));
        }
        table.rows.push_back(std::move(row));
    }
    b.tables.push_back(std::move(table));
    if (any_without_offer) b.notes.push_back(t(Msg::PortraitsOfferNote));
    return b;
}

}  // namespace uplift::report
