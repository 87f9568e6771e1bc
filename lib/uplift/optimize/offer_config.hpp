#pragma once
/// Offers, channels and the rest of the economics as the user states them (flags or an offers file),
/// and their resolution against the treatment levels and outcome type of a scores file.
///
/// Flag syntax (docs/optimize.md):
///   --offer "LEVEL[:kind=percent|coupon|message,value=V,channel=NAME,code=CODE]"   (V: 0.1 or 10% for percent)
///   --channel NAME=COST
/// Offers file (JSON):
///   {"channels": {"email": 0.1},
///    "offers": [{"level": "...", "kind": "percent", "value": 0.1, "channel": "email", "code": "SPRING10"}]}

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "uplift/artifacts/plan.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/optimize/economics.hpp"

namespace uplift::optimize {

/// The channel an offer uses when it names none; `--contact-cost C` sets its cost.
inline constexpr const char* default_channel = artifacts::unnamed_channel.data();

/// One offer before it is checked against the model.
struct OfferSpec {
    std::string level;
    std::optional<OfferKind> kind;
    std::optional<double> value;
    bool value_in_percent = false;  ///< written as "10%"
    std::string channel;            ///< empty: default_channel
    std::string code;               ///< the CRM's offer code; empty: the level's name
};

/// The economics as given; nothing is checked against the scores yet.
struct EconomicsConfig {
    std::vector<OfferSpec> offers;            ///< empty: every treated level, message only, default channel
    std::map<std::string, double> channels;   ///< name → contact cost
    std::optional<double> margin;             ///< gross margin rate
    std::optional<double> basket;             ///< one basket value for every client (binary outcomes)
    std::string basket_column;                ///< or a per-client basket column
    std::optional<double> value;              ///< issue-2 form: value of one extra conversion (basket V, margin 1)
};

/// "LEVEL[:key=value,...]". Throws UsageError naming the flag and the part it cannot read.
OfferSpec parse_offer_spec(std::string_view text);
/// "NAME=COST". Throws UsageError (negative or non-numeric cost, empty name).
std::pair<std::string, double> parse_channel_spec(std::string_view text);
/// Adds the channels and offers of a JSON offers file to `config` (flags given for the same channel win).
/// Throws IoError when unreadable, UsageError for content it cannot use.
void load_offers_file(const std::filesystem::path& path, EconomicsConfig& config);

/// The economics checked and ready for the solver.
struct ResolvedEconomics {
    std::vector<Offer> offers;           ///< in the order given (the first is the "everyone" baseline's offer)
    double margin = 1;
    std::optional<double> flat_basket;   ///< set for binary outcomes without a basket column
    std::string basket_column;
    data::OutcomeType outcome = data::OutcomeType::Binary;
};

/// Checks the config against the model's levels and outcome type. Throws UsageError for unknown levels
/// (listing the known ones), unknown channels, negative costs or margins, a discount of 100% or more,
/// missing or contradictory basket/margin flags.
ResolvedEconomics resolve_economics(const EconomicsConfig& config, const data::Roles& roles);

}  // namespace uplift::optimize
