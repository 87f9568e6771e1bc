// Fuzz target: the offers JSON file of `optimize --offers` (load_offers_file), then its resolution against a
// model with two treated levels (resolve_economics), as optimize does before it reads any scores.

#include <cstdint>

#include "fuzz_support.hpp"
#include "uplift/optimize/offer_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz_support::scratch_dir() / "offers.json";
    fuzz_support::write_bytes(file, data, size);
    uplift::data::Roles roles;
    roles.treatment = "segment";
    roles.control = "none";
    roles.treatment_levels = {"email", "sms"};
    roles.outcome = "y";
    fuzz_support::expect_clean([&] {
        uplift::optimize::EconomicsConfig config;
        config.margin = 0.3;
        config.basket = 50;
        uplift::optimize::load_offers_file(file, config);
        for (const auto binary : {true, false}) {
            roles.outcome_type = binary ? uplift::data::OutcomeType::Binary : uplift::data::OutcomeType::Continuous;
            if (!binary) config.basket.reset();
            fuzz_support::expect_clean([&] { uplift::optimize::resolve_economics(config, roles); });
        }
    });
    return 0;
}
