// Fuzz target: reading plan.json as `report` does (report::parse_plan). A plan that reads must also write
// back and read again to the same record: the report carries its values as they are, never recomputed.

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "uplift/artifacts/plan.hpp"
#include "uplift/report/plan_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz_support::expect_clean([&] {
        const auto plan = uplift::report::parse_plan(text, "plan.json");
        const std::string written = uplift::artifacts::to_json(plan);
        uplift::report::Plan again;
        try {
            again = uplift::report::parse_plan(written, "plan.json (written back)");
        } catch (const uplift::Error& e) {
            fuzz_support::bug(fmt::format("the plan we wrote back does not read: {}\n{}", e.what(), written));
        }
        if (!(again == plan)) fuzz_support::bug("plan.json read, written and read again differs\n" + written);
    });
    return 0;
}
