#include "uplift/features/retail_population.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "uplift/core/errors.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::features {

namespace fs = std::filesystem;

namespace {

std::int64_t int_at(const io::Table& t, const char* column) { return t.column(column).int64_values()[0]; }

bool has_column(io::Session& session, const std::string& view, const char* column) {
    const auto names = session.query("DESCRIBE " + view).column("column_name").string_values();
    return std::find(names.begin(), names.end(), column) != names.end();
}

/// upl_population over a list of ids: a CSV read as text (ids keep leading zeros and spaces byte for
/// byte) or a Parquet file's client_id as text.
void open_list(io::Session& session, const fs::path& file) {
    io::require_readable(file);
    const std::string path = io::quote_literal(file.string());
    const std::string scan = io::format_of(file) == io::FileFormat::Csv
                                 ? fmt::format("read_csv({}, header = true, all_varchar = true)", path)
                                 : fmt::format("read_parquet({})", path);
    std::vector<std::string> names;
    try {
        session.execute("CREATE OR REPLACE TEMP VIEW upl_population_file AS SELECT * FROM " + scan);
        names = session.query("DESCRIBE upl_population_file").column("column_name").string_values();
    } catch (const Error& e) {
        io::throw_unreadable(e, file, file);
    }
    if (std::find(names.begin(), names.end(), "client_id") == names.end()) {
        throw DataError(fmt::format("'{}' (--population) has no column 'client_id'; columns: {}", file.string(),
                                    fmt::join(names, ", ")));
    }
    session.execute("CREATE OR REPLACE TEMP VIEW upl_population AS SELECT CAST(client_id AS VARCHAR) AS client_id "
                    "FROM upl_population_file");
}

/// The checks every population passes; `file` names it in messages.
PopulationCheck check(io::Session& session, const std::string& file, bool outcomes, const RetailInputs& inputs) {
    const std::string outcome_counts =
        outcomes ? ", count(*) FILTER (WHERE treatment_flg IS NULL OR treatment_flg NOT IN (0, 1)) AS bad_treatment, "
                   "CAST(min(treatment_flg) FILTER (WHERE treatment_flg IS NULL OR treatment_flg NOT IN (0, 1)) AS "
                   "VARCHAR) AS bad_treatment_value, "
                   "count(*) FILTER (WHERE target IS NULL OR target NOT IN (0, 1)) AS bad_target, "
                   "CAST(min(target) FILTER (WHERE target IS NULL OR target NOT IN (0, 1)) AS VARCHAR) AS "
                   "bad_target_value"
                 : "";
    const auto c = session.query("SELECT count(*) AS n_rows, count(*) - count(DISTINCT client_id) AS duplicates, "
                                 "count(*) FILTER (WHERE client_id IS NULL) AS null_ids" +
                                 outcome_counts + " FROM upl_population");
    PopulationCheck out;
    out.outcomes = outcomes;
    out.rows = int_at(c, "n_rows");
    if (out.rows == 0) throw DataError(fmt::format("'{}' has no rows: no client to compute features for", file));
    if (const auto n = int_at(c, "null_ids"); n > 0) {
        throw DataError(fmt::format("'{}', column 'client_id': {} empty id(s)", file, n));
    }
    if (const auto n = int_at(c, "duplicates"); n > 0) {
        const auto d = session.query("SELECT client_id FROM upl_population GROUP BY client_id HAVING count(*) > 1 "
                                     "ORDER BY client_id LIMIT 1");
        throw DataError(fmt::format("'{}', column 'client_id': {} duplicate row(s), e.g. '{}'; one row per client "
                                    "is expected",
                                    file, n, d.column("client_id").text_at(0)));
    }
    if (outcomes) {
        for (const auto& [column, count, value] : {std::tuple{"treatment_flg", "bad_treatment", "bad_treatment_value"},
                                                   {"target", "bad_target", "bad_target_value"}}) {
            if (const auto n = int_at(c, count); n > 0) {
                const std::string v = c.column(value).text_at(0);
                throw DataError(fmt::format("'{}', column '{}': {} row(s) not 0 or 1, e.g. {}", file, column, n,
                                            v.empty() ? "an empty value" : "'" + v + "'"));
            }
        }
    }
    const auto k = session.query("SELECT count(*) - count(DISTINCT client_id) AS duplicates FROM upl_clients_src");
    if (const auto n = int_at(k, "duplicates"); n > 0) {
        throw DataError(fmt::format("'{}', column 'client_id': {} duplicate row(s); one row per client is expected",
                                    inputs.clients.string(), n));
    }
    // The count comes from a scalar subquery, not count(*) OVER (): DuckDB 1.4.4's window operator sometimes
    // failed on this query with an internal error ("Attempted to access index 0 within vector of size 0" in
    // WindowLocalSourceState::Finalize), seen under load in the sanitizer job.
    const auto missing = session.query(
        "WITH m AS (SELECT p.client_id FROM upl_population p ANTI JOIN upl_clients_src cl ON cl.client_id = p.client_id) "
        "SELECT client_id, (SELECT count(*) FROM m) AS n FROM m ORDER BY client_id LIMIT 5");
    if (missing.num_rows() > 0) {
        out.missing_clients = int_at(missing, "n");
        out.missing_sample = missing.column("client_id").string_values();
    }
    if (out.missing_clients == out.rows) {
        throw DataError(fmt::format("none of the {} client(s) of '{}' is in '{}' (e.g. '{}'): tables from different "
                                    "exports?",
                                    out.rows, file, inputs.clients.string(), out.missing_sample.front()));
    }
    return out;
}

}  // namespace

std::string Population::name() const {
    switch (kind) {
    case PopulationKind::Campaign: return "campaign";
    case PopulationKind::All: return "all";
    case PopulationKind::File: return file.string();
    }
    return {};
}

Population parse_population(const std::string& text) {
    if (text == "campaign") return {PopulationKind::Campaign, {}};
    if (text == "all") return {PopulationKind::All, {}};
    if (text.empty()) throw UsageError("--population: expected all, campaign or a file of client ids");
    return {PopulationKind::File, text};
}

Population default_population(const RetailInputs& inputs) {
    return {inputs.has_campaign() ? PopulationKind::Campaign : PopulationKind::All, {}};
}

PopulationCheck stage_population(io::Session& session, const RetailInputs& inputs, const Population& population,
                                 const std::string& cutoff) {
    switch (population.kind) {
    case PopulationKind::Campaign: {
        if (!inputs.has_campaign()) {
            throw UsageError(fmt::format("--population campaign: '{}' holds no campaign.parquet; use --population "
                                         "all or a file of client ids",
                                         inputs.clients.parent_path().string()));
        }
        // A campaign ingested without treatment_flg and target is a client list: its rows are for scoring.
        const bool outcomes = has_column(session, "upl_campaign_src", "treatment_flg") &&
                              has_column(session, "upl_campaign_src", "target");
        session.execute(outcomes ? "CREATE OR REPLACE TEMP VIEW upl_population AS SELECT client_id, treatment_flg, "
                                   "target FROM upl_campaign_src"
                                 : "CREATE OR REPLACE TEMP VIEW upl_population AS SELECT client_id FROM "
                                   "upl_campaign_src");
        return check(session, inputs.campaign.string(), outcomes, inputs);
    }
    case PopulationKind::All:
        // Known at the cutoff: the card was issued before it. A client issued a card later was not a client yet.
        session.execute(fmt::format("CREATE OR REPLACE TEMP VIEW upl_population AS SELECT client_id FROM "
                                    "upl_clients_src WHERE first_issue_date < {}",
                                    cutoff));
        if (int_at(session.query("SELECT count(*) AS n FROM upl_population"), "n") == 0) {
            throw DataError(fmt::format("--population all: no client of '{}' was issued a card before the cutoff",
                                        inputs.clients.string()));
        }
        return check(session, inputs.clients.string(), false, inputs);
    case PopulationKind::File:
        open_list(session, population.file);
        return check(session, population.file.string(), false, inputs);
    }
    throw InternalError("unknown population kind");
}

}  // namespace uplift::features
