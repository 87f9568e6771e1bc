#include "uplift/simulate/outcomes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/simulate/random_draws.hpp"

namespace uplift::simulate {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t outcomes_domain = 0x0C0E;

/// Every column as text, as the file holds it: ids keep their leading zeros and letters.
io::Table read_text_csv(io::Session& session, const fs::path& path) {
    io::require_readable(path);
    return session.query(fmt::format("SELECT * FROM read_csv({}, header = true, all_varchar = true)",
                                     io::quote_literal(path.string())));
}

const io::Column& column_of(const io::Table& t, const fs::path& file, const char* name) {
    const io::Column* c = t.find(name);
    if (c == nullptr) throw DataError(fmt::format("'{}' has no column '{}'", file.string(), name));
    return *c;
}

double probability(const std::string& text, const fs::path& file, std::size_t row, const char* column) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(v >= 0 && v <= 1)) {
        throw DataError(fmt::format("'{}', line {}, column '{}', value '{}': expected a probability in [0, 1]",
                                    file.string(), row + 2, column, text));
    }
    return v;
}

/// The CRM list writes an id starting with =, +, -, @, a tab or a carriage return after an apostrophe.
std::string plain_id(std::string id) {
    if (id.size() >= 2 && id[0] == '\'' && std::string_view("=+-@\t\r").find(id[1]) != std::string_view::npos) {
        id.erase(0, 1);
    }
    return id;
}

}  // namespace

OutcomesResult draw_outcomes(const OutcomesRequest& r) {
    if (r.out.extension() != ".csv") {
        throw UsageError(fmt::format("-o '{}': the outcomes are written as .csv", r.out.string()));
    }
    io::check_writable(r.out, r.overwrite, io::OutputShape::File);
    io::Session session({.threads = 1, .memory_limit = ""});
    const bool csv_plan = r.plan.extension() == ".csv";
    const io::Table plan = csv_plan ? read_text_csv(session, r.plan) : io::read_table(session, r.plan);
    if (plan.num_rows() == 0 || plan.num_columns() == 0) {
        throw DataError(fmt::format("'{}' has no planned clients", r.plan.string()));
    }
    OutcomesResult result;
    result.id_column = plan.columns()[0].name();
    const std::vector<std::string> ids = plan.columns()[0].to_texts();
    const io::Column* action = plan.find("action");
    const std::vector<std::string> actions = action != nullptr ? action->to_texts() : std::vector<std::string>{};
    std::unordered_map<std::string, bool> contacted;  // planned id -> contacted
    for (std::size_t i = 0; i < ids.size(); ++i) {
        bool contact = true;
        if (action != nullptr) {
            if (actions[i] != "contact" && actions[i] != "hold_out") {
                throw DataError(fmt::format("'{}', row {}, column 'action', value '{}': expected contact or hold_out",
                                            r.plan.string(), i + 1, actions[i]));
            }
            contact = actions[i] == "contact";
        }
        contacted.emplace(csv_plan ? plain_id(ids[i]) : ids[i], contact);
    }

    const io::Table truth = read_text_csv(session, r.truth);
    const auto& client = column_of(truth, r.truth, "client_id").string_values();
    const auto& p_control = column_of(truth, r.truth, "p_control").string_values();
    const auto& p_treatment = column_of(truth, r.truth, "p_treatment").string_values();
    // One uniform per client in truth.csv's order whatever the plan says: a client's outcome with and without
    // the offer share it (common random numbers), so two plans on one seed differ only where they differ.
    Rng rng(stream_seed(r.seed, outcomes_domain, 0));
    std::string text = result.id_column + ",target\n";
    std::size_t found = 0;
    for (std::size_t i = 0; i < client.size(); ++i) {
        const double u = rng.uniform01();
        const auto it = contacted.find(client[i]);
        const bool contact = it != contacted.end() && it->second;
        if (it != contacted.end()) {
            ++found;
            ++(contact ? result.contacted : result.held_out);
        }
        const double p = contact ? probability(p_treatment[i], r.truth, i, "p_treatment")
                                 : probability(p_control[i], r.truth, i, "p_control");
        const bool target = u < p;
        result.targets += target ? 1 : 0;
        text += client[i];
        text += target ? ",1\n" : ",0\n";
    }
    if (found < contacted.size()) {
        const std::unordered_set<std::string> known(client.begin(), client.end());
        for (const auto& id : ids) {
            const std::string key = csv_plan ? plain_id(id) : id;
            if (!known.contains(key)) {
                throw DataError(fmt::format("'{}': planned client '{}' is not in '{}'; is the plan of another month?",
                                            r.plan.string(), key, r.truth.string()));
            }
        }
    }
    result.clients = static_cast<std::int64_t>(client.size());
    io::write_text_atomic(r.out, text, r.overwrite);
    return result;
}

}  // namespace uplift::simulate
