#include "uplift/optimize/measure.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "uplift/artifacts/plan.hpp"
#include "uplift/artifacts/plan_manifest.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/optimize/covariate_adjustment.hpp"
#include "uplift/optimize/plan_columns.hpp"
#include "uplift/optimize/plan_output.hpp"

namespace uplift::optimize {

namespace {

struct MeanVar {
    double mean = 0;
    double var = 0;  ///< sample variance (n − 1)
};

MeanVar mean_var(std::span<const double> v) {
    double sum = 0;
    for (double x : v) sum += x;
    const double mean = sum / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return {mean, ss / static_cast<double>(v.size() - 1)};
}


/// The flat value of one conversion the plan was made with (its basket, or --value), if it had one.
std::optional<double> value_per_conversion(const artifacts::Plan& plan) {
    if (!plan.parameters) return std::nullopt;
    for (const artifacts::Setting& s : plan.parameters->members) {
        if (s.key != "basket") continue;
        switch (s.kind) {
        case artifacts::Setting::Kind::Real: return s.real;
        case artifacts::Setting::Kind::Integer: return static_cast<double>(s.integer);
        case artifacts::Setting::Kind::Unsigned: return static_cast<double>(s.unsigned_integer);
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

/// plan.csv's id as it was before the spreadsheet guard (plan_csv.cpp) put an apostrophe in front.
std::string unguarded(std::string id) {
    if (id.size() >= 2 && id.front() == '\'' && std::string_view("=+-@\t\r").find(id[1]) != std::string_view::npos) {
        id.erase(0, 1);
    }
    return id;
}

struct Client {
    std::size_t offer = 0;
    bool held_out = false;
    bool measured = false;
    double outcome = 0;
    double covariate = 0;  ///< the plan list's baseline_outcome, when the measurement is adjusted
};

const io::Column& require_column(const io::Table& t, const std::string& name, const std::string& file,
                                 std::string_view why) {
    const io::Column* c = t.find(name);
    if (c == nullptr) {
        throw DataError(fmt::format("'{}' has no column '{}' ({}); its columns: {}", file, name, why,
                                    fmt::join(t.column_names(), ", ")));
    }
    return *c;
}

/// The planned clients as the CRM list gives them: id, offer and action of every row, from one list or, for a
/// list split by optimize --split-by, from every file its manifest names, in the manifest's order.
struct PlanListRows {
    std::vector<std::string> ids, offers, actions;
    bool guarded = false;  ///< CSV cells may carry the spreadsheet apostrophe
    /// The model's predicted baseline of every row (plan.csv's baseline_outcome), when every file has it.
    std::vector<double> covariate;
    std::string no_covariate;  ///< the file without it (lists written before the column, or --columns without it)
};

std::string_view covariate_column() { return column_name(PlanColumn::BaselineOutcome); }

/// The list's baseline_outcome cells, checked: a number in every row (the plan wrote p0 there).
void append_covariate(PlanListRows& rows, const io::Table& list, const std::string& list_name) {
    const std::string name(covariate_column());
    const io::Column* x = list.find(name);
    if (x == nullptr) {
        if (rows.no_covariate.empty()) rows.no_covariate = list_name;
        return;
    }
    if (!x->is_numeric()) {
        throw DataError(fmt::format("'{}' column '{}' is {}; expected the model's predicted baseline (a number), or "
                                    "measure with --adjust off",
                                    list_name, name, io::type_name(x->type())));
    }
    for (std::size_t r = 0; r < list.num_rows(); ++r) {
        const double v = x->is_valid(r) ? x->number_at(r) : std::nan("");
        if (!std::isfinite(v)) {
            throw DataError(fmt::format("'{}' row {}, column '{}': '{}' is not a finite number; measure with --adjust "
                                        "off to ignore the column",
                                        list_name, r + 1, name, x->is_valid(r) ? x->text_at(r) : std::string("NULL")));
        }
        rows.covariate.push_back(v);
    }
}

void append_list(PlanListRows& rows, const io::Table& list, const std::string& list_name,
                 const artifacts::PlanControl& control, Adjustment adjustment) {
    const auto append = [](std::vector<std::string>& to, std::vector<std::string> from) {
        to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    };
    append(rows.ids, require_column(list, control.id_column, list_name, "the id").to_texts());
    if (control.offer_column.empty()) {
        // A single offer: the list has no offer column to read, every row is that offer.
        const std::string only = control.per_offer.empty() ? std::string() : control.per_offer.front().offer;
        rows.offers.insert(rows.offers.end(), list.num_rows(), only);
    } else {
        append(rows.offers, require_column(list, control.offer_column, list_name, "the offer").to_texts());
    }
    append(rows.actions,
           require_column(list, "action", list_name, "contact or hold_out; written by optimize --control-share")
               .to_texts());
    if (adjustment == Adjustment::Auto) append_covariate(rows, list, list_name);
}

/// The CSV dialect optimize wrote the list in, from the separator plan.json or the manifest records (the byte
/// order mark of --excel is skipped by the reader).
io::CsvDialect recorded_list_dialect(const std::string& separator, const std::string& list_name) {
    for (const bool excel : {false, true}) {
        const io::CsvDialect dialect = list_dialect(excel);
        if (separator == std::string(1, dialect.delimiter)) return dialect;
    }
    throw DataError(fmt::format("'{}': a list separated by '{}'; optimize writes ',' or ';' (--excel)", list_name,
                                separator));
}

/// One file of the plan's list, its id column read as text (byte for byte, as the outcomes' ids are).
io::Table read_list_file(io::Session& session, const std::filesystem::path& path, const artifacts::PlanControl& control,
                         const io::CsvDialect& dialect) {
    std::vector<std::string> as_text{control.id_column};
    if (!control.offer_column.empty()) as_text.push_back(control.offer_column);  // a code like "10" stays text
    return io::read_table(session, path, dialect, as_text);
}

PlanListRows read_plan_list(io::Session& session, const std::filesystem::path& path,
                            const artifacts::PlanControl& control, Adjustment adjustment) {
    PlanListRows rows;
    const std::string name = path.string();
    const std::string file = path.filename().string();
    const std::string_view suffix = ".manifest.json";
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) {
        const io::CsvDialect dialect = recorded_list_dialect(control.separator, name);
        append_list(rows, read_list_file(session, path, control, dialect), name, control, adjustment);
        rows.guarded = !control.raw_csv && io::format_of(path) == io::FileFormat::Csv;
        return rows;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read the list's manifest '{}'", name));
    std::ostringstream text;
    text << in.rdbuf();
    const artifacts::PlanManifest manifest = artifacts::plan_manifest_from_json(text.str(), name);
    const io::CsvDialect dialect =
        manifest.format == "csv" ? recorded_list_dialect(manifest.separator, name) : io::CsvDialect{};
    for (const artifacts::PlanManifestFile& f : manifest.files) {
        const std::filesystem::path part = path.parent_path() / f.file;
        const io::Table list = read_list_file(session, part, control, dialect);
        if (list.num_rows() != static_cast<std::size_t>(f.rows)) {
            throw DataError(fmt::format("'{}' has {} rows, but its manifest '{}' says {}: the list is incomplete",
                                        part.string(), list.num_rows(), name, f.rows));
        }
        append_list(rows, list, part.string(), control, adjustment);
    }
    rows.guarded = !control.raw_csv && manifest.format == "csv";
    return rows;
}

double mean_of(std::span<const double> v) {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
}

/// 1 − adjusted/plain variance; none when the plain one is 0 (every outcome alike: nothing to reduce).
std::optional<double> reduction(double adjusted, double plain) {
    if (!(plain > 0)) return std::nullopt;
    return 1.0 - adjusted / plain;
}

artifacts::RealisedFigure scaled(artifacts::RealisedFigure f, double by) {
    f.estimate *= by;
    f.low *= by;
    f.high *= by;
    f.std_error *= by;
    return f;
}

}  // namespace

Adjustment parse_adjustment(std::string_view text) {
    if (text == "auto") return Adjustment::Auto;
    if (text == "off") return Adjustment::Off;
    throw UsageError(fmt::format("--adjust '{}': expected auto or off", text));
}

artifacts::RealisedFigure difference_of_means(std::span<const double> contacted, std::span<const double> held_out,
                                              double scale, double z) {
    if (contacted.size() < 2 || held_out.size() < 2) {
        throw UsageError("difference_of_means needs at least 2 values in each group");
    }
    const MeanVar c = mean_var(contacted);
    const MeanVar h = mean_var(held_out);
    artifacts::RealisedFigure f;
    f.estimate = (c.mean - h.mean) * scale;
    f.std_error = scale * std::sqrt(c.var / static_cast<double>(contacted.size()) +
                                    h.var / static_cast<double>(held_out.size()));
    f.low = f.estimate - z * f.std_error;
    f.high = f.estimate + z * f.std_error;
    return f;
}

artifacts::Measurement measure_plan(io::Session& session, const MeasureRequest& request) {
    const std::string plan_name = request.plan_json.string();
    const artifacts::Plan plan = artifacts::read_plan_file(request.plan_json);
    if (!plan.control) {
        throw DataError(fmt::format("'{}' has no hold-out to measure against (no 'control' section); make the plan "
                                    "with `upliftctl optimize --control-share S`",
                                    plan_name));
    }
    const artifacts::PlanControl& control = *plan.control;
    const std::filesystem::path list_path =
        !request.plan_list.empty() ? request.plan_list : request.plan_json.parent_path() / control.plan_file;
    const std::string list_name = list_path.string();
    const PlanListRows list = read_plan_list(session, list_path, control, request.adjustment);
    const std::string outcomes_name = request.outcomes.string();

    artifacts::Measurement m;
    m.level = 0.95;
    m.adjustment = request.adjustment == Adjustment::Auto ? "auto" : "off";
    const bool adjusted = request.adjustment == Adjustment::Auto && list.no_covariate.empty();
    m.method = adjusted ? "covariate_adjusted_lin_hc2" : "difference_of_means_normal";
    if (adjusted) m.covariate = covariate_column();
    if (request.adjustment == Adjustment::Auto && !adjusted) {
        m.adjustment_note = fmt::format("'{}' has no column '{}' (a list written before it, or optimize --columns "
                                        "without it): the difference of means is the headline",
                                        list.no_covariate, covariate_column());
    }
    m.plan = plan_name;
    m.plan_file = list_name;
    m.outcomes = outcomes_name;
    m.outcome_type = control.outcome_type;
    m.id_column = request.id_column.empty() ? control.id_column : request.id_column;
    m.outcome_column = request.outcome_column.empty() ? control.outcome_column : request.outcome_column;
    if (m.outcome_column.empty()) {
        throw UsageError(fmt::format("'{}' records no outcome column; name it with --outcome", plan_name));
    }
    // Ids are matched byte for byte: a CSV's id column is read as text, so "007" is not the number 7.
    const io::Table outcomes = io::read_table(session, request.outcomes, io::CsvDialect{}, {m.id_column});
    const bool binary = m.outcome_type != "continuous";
    m.value_per_conversion = binary ? value_per_conversion(plan) : std::optional<double>(1.0);

    // The planned clients, by id, with their offer and whether they were held out.
    // The names the list's offer column holds: the levels, or under offer_column "offer_code" the codes.
    const bool by_code = control.offer_column == column_name(PlanColumn::OfferCode);
    std::vector<std::string> offer_names, list_names;
    for (const artifacts::ControlOffer& o : control.per_offer) {
        offer_names.push_back(o.offer);
        list_names.push_back(by_code ? o.code : o.offer);
    }
    const std::vector<std::string>& list_ids = list.ids;
    const std::vector<std::string>& list_offers = list.offers;
    const std::vector<std::string>& actions = list.actions;
    const bool guarded = list.guarded;
    std::vector<Client> clients(list_ids.size());
    std::unordered_map<std::string, std::size_t> by_id;
    by_id.reserve(list_ids.size());
    for (std::size_t r = 0; r < list_ids.size(); ++r) {
        Client& c = clients[r];
        const std::string offer = guarded ? unguarded(list_offers[r]) : list_offers[r];
        std::size_t k = 0;
        while (k < list_names.size() && list_names[k] != offer) ++k;
        if (k == offer_names.size()) {
            throw DataError(fmt::format("'{}' row {}: offer '{}' is not one of the plan's offers in '{}'", list_name,
                                        r + 1, offer, plan_name));
        }
        c.offer = k;
        if (actions[r] != action_contact && actions[r] != action_hold_out) {
            throw DataError(fmt::format("'{}' row {}, column 'action': '{}' is neither {} nor {}", list_name, r + 1,
                                        actions[r], action_contact, action_hold_out));
        }
        c.held_out = actions[r] == action_hold_out;
        if (adjusted) c.covariate = list.covariate[r];
        by_id.emplace(guarded ? unguarded(list_ids[r]) : list_ids[r], r);
    }

    // The outcomes: one row per client; ids outside the plan are counted, not used.
    const std::vector<std::string> ids =
        require_column(outcomes, m.id_column, outcomes_name, "the client id; name it with --id").to_texts();
    const io::Column& y = require_column(outcomes, m.outcome_column, outcomes_name,
                                         "the realised outcome; name it with --outcome");
    if (!y.is_numeric()) {
        throw DataError(fmt::format("'{}' column '{}' is {}; expected a number{}", outcomes_name, m.outcome_column,
                                    io::type_name(y.type()), binary ? " (0 or 1)" : ""));
    }
    m.outcome_rows = static_cast<std::int64_t>(outcomes.num_rows());
    std::vector<std::size_t> first_row(clients.size(), 0);
    for (std::size_t r = 0; r < outcomes.num_rows(); ++r) {
        const auto it = by_id.find(ids[r]);
        if (it == by_id.end()) {
            ++m.unknown_ids;
            continue;
        }
        Client& c = clients[it->second];
        if (c.measured) {
            throw DataError(fmt::format("'{}' rows {} and {}: client '{}' has two outcomes; expected one row per "
                                        "client",
                                        outcomes_name, first_row[it->second] + 1, r + 1, ids[r]));
        }
        const double v = y.number_at(r);
        if (!std::isfinite(v) || (binary && v != 0 && v != 1)) {
            throw DataError(fmt::format("'{}' row {}, column '{}': '{}' is not {}", outcomes_name, r + 1,
                                        m.outcome_column, y.is_valid(r) ? y.text_at(r) : std::string("NULL"),
                                        binary ? "0 or 1 (the plan's outcome is binary)" : "a finite number"));
        }
        c.measured = true;
        c.outcome = v;
        first_row[it->second] = r;
    }

    // Per offer: contacted vs held-out among its planned clients; the plan is the sum over offers (a stratified
    // estimate: the offers' draws are independent, so their variances add). With a covariate, the headline is
    // each offer's adjusted difference, and the plain one stays beside it.
    const std::optional<double> value = m.value_per_conversion;
    double var_plain = 0, var_adjusted = 0;
    artifacts::MeasuredGroup& total = m.total;
    std::vector<double> contacted_y, held_y, contacted_x, held_x;
    double sum_c = 0, sum_h = 0, sum_xc = 0, sum_xh = 0;
    for (std::size_t k = 0; k < offer_names.size(); ++k) {
        artifacts::MeasuredGroup g;
        g.offer = offer_names[k];
        contacted_y.clear();
        held_y.clear();
        contacted_x.clear();
        held_x.clear();
        double target_x = 0;  // the covariate's mean over every contacted planned client: whose effect is measured
        for (const Client& c : clients) {
            if (c.offer != k) continue;
            (c.held_out ? g.held_out : g.contacted) += 1;
            if (!c.held_out) target_x += c.covariate;
            if (!c.measured) continue;
            (c.held_out ? held_y : contacted_y).push_back(c.outcome);
            (c.held_out ? held_x : contacted_x).push_back(c.covariate);
        }
        if (g.contacted + g.held_out == 0) continue;
        g.measured_contacted = static_cast<std::int64_t>(contacted_y.size());
        g.measured_held_out = static_cast<std::int64_t>(held_y.size());
        m.missing_contacted += g.contacted - g.measured_contacted;
        m.missing_held_out += g.held_out - g.measured_held_out;
        if (g.measured_held_out < min_measured_per_group || g.measured_contacted < min_measured_per_group) {
            throw DataError(fmt::format(
                "offer '{}': {} held-out and {} contacted planned clients have an outcome in '{}'; at least {} of "
                "each are needed to measure it (plan it with a larger --control-share, or check --id)",
                g.offer, g.measured_held_out, g.measured_contacted, outcomes_name, min_measured_per_group));
        }
        const double n_contacted = static_cast<double>(g.contacted);
        const artifacts::ControlOffer& promised = control.per_offer[k];
        const std::optional<double> promised_conversions =
            binary ? promised.expected_incremental_conversions
                   : std::optional<double>(promised.expected_incremental_revenue);
        g.difference_of_means = difference_of_means(contacted_y, held_y, n_contacted);
        g.difference_of_means.promised = promised_conversions;
        g.mean_contacted = mean_of(contacted_y);
        g.mean_held_out = mean_of(held_y);
        var_plain += g.difference_of_means.std_error * g.difference_of_means.std_error;
        g.incremental_conversions = g.difference_of_means;
        if (adjusted) {
            g.mean_covariate_contacted = mean_of(contacted_x);
            g.mean_covariate_held_out = mean_of(held_x);
            artifacts::RealisedFigure a = lin_adjusted_difference({contacted_y, contacted_x}, {held_y, held_x},
                                                                  target_x / n_contacted, n_contacted, z95);
            a.promised = promised_conversions;
            var_adjusted += a.std_error * a.std_error;
            g.variance_reduction = reduction(a.std_error * a.std_error,
                                             g.difference_of_means.std_error * g.difference_of_means.std_error);
            g.covariate_adjusted = a;
            g.incremental_conversions = a;
            sum_xc += *g.mean_covariate_contacted * static_cast<double>(g.measured_contacted);
            sum_xh += *g.mean_covariate_held_out * static_cast<double>(g.measured_held_out);
            total.covariate_adjusted = total.covariate_adjusted.value_or(artifacts::RealisedFigure{});
            total.covariate_adjusted->estimate += a.estimate;
        }
        if (value) {
            g.incremental_revenue = scaled(g.incremental_conversions, *value);
            g.incremental_revenue->promised = promised.expected_incremental_revenue;
        }
        total.contacted += g.contacted;
        total.held_out += g.held_out;
        total.measured_contacted += g.measured_contacted;
        total.measured_held_out += g.measured_held_out;
        total.difference_of_means.estimate += g.difference_of_means.estimate;
        sum_c += g.mean_contacted * static_cast<double>(g.measured_contacted);
        sum_h += g.mean_held_out * static_cast<double>(g.measured_held_out);
        m.per_offer.push_back(std::move(g));
    }
    if (m.per_offer.empty()) {
        throw DataError(fmt::format("'{}' lists no planned clients; there is nothing to measure", list_name));
    }
    total.mean_contacted = sum_c / static_cast<double>(total.measured_contacted);
    total.mean_held_out = sum_h / static_cast<double>(total.measured_held_out);
    const auto finish = [](artifacts::RealisedFigure& f, double var, std::optional<double> promised) {
        f.std_error = std::sqrt(var);
        f.low = f.estimate - z95 * f.std_error;
        f.high = f.estimate + z95 * f.std_error;
        f.promised = promised;
    };
    const std::optional<double> promised_total = binary ? control.expected_incremental_conversions
                                                        : std::optional<double>(control.expected_incremental_revenue);
    finish(total.difference_of_means, var_plain, promised_total);
    total.incremental_conversions = total.difference_of_means;
    if (total.covariate_adjusted) {
        finish(*total.covariate_adjusted, var_adjusted, promised_total);
        total.incremental_conversions = *total.covariate_adjusted;
        total.variance_reduction = reduction(var_adjusted, var_plain);
        total.mean_covariate_contacted = sum_xc / static_cast<double>(total.measured_contacted);
        total.mean_covariate_held_out = sum_xh / static_cast<double>(total.measured_held_out);
    }
    if (value) {
        // The offers' revenues add as their conversions do; one flat value scales the total's range too.
        total.incremental_revenue = scaled(total.incremental_conversions, *value);
        total.incremental_revenue->promised = control.expected_incremental_revenue;
    }
    if (plan.test_estimate) {
        const artifacts::MeasuredFigure& t = plan.test_estimate->incremental_conversions;
        m.test_estimate_conversions = artifacts::RealisedFigure{t.estimate, t.low, t.high, t.std_error,
                                                                t.model_forecast};
    }
    m.provenance_json = request.provenance_json;
    return m;
}

}  // namespace uplift::optimize
