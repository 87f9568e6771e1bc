#pragma once
/// plan.json: what `optimize` writes and `report` reads (docs/optimize.md lists its keys). This file and
/// plan.cpp are the only places that spell its keys.
///
/// Reading is tolerant: a missing key (or null) leaves its field empty, so the report leaves that part out;
/// a key of the wrong type is a DataError naming the key ("plan.json: 'budget_curve[3].spend' must be a
/// number, not a string"). Values are carried as they are, never recomputed, so report and plan agree.

#include <filesystem>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uplift::artifacts {

/// plan.json carries no version key; 1 is the format written today.
inline constexpr int plan_format_version = 1;

/// Money, counts and ratios of one way to spend the budget (the plan's offers, a point of its budget curve, a
/// baseline). Which keys a row has is fixed by where it sits: only curve points have a budget, offer rows have
/// no roi. A key the row has is written as null when its field is empty (roi when spend is 0, conversions for
/// a spend outcome). Counts (contacts) are written as integers.
struct PlanFigures {
    std::optional<double> budget;
    std::optional<double> contacts;
    std::optional<double> spend;
    std::optional<double> incremental_conversions;
    std::optional<double> incremental_revenue;
    std::optional<double> profit;
    std::optional<double> roi;

    bool operator==(const PlanFigures&) const = default;
};

/// The channel name optimize gives offers whose channel nobody named (--contact-cost alone): the report shows
/// no channel for it rather than the word.
inline constexpr std::string_view unnamed_channel = "default";

struct OfferSummary {
    std::string offer;
    std::string channel;
    PlanFigures figures;  ///< no budget, no roi

    bool operator==(const OfferSummary&) const = default;
};

/// Keys of the three standard baselines, in the order the file and the report give them.
inline constexpr std::string_view baseline_everyone = "everyone";
inline constexpr std::string_view baseline_random = "random";
inline constexpr std::string_view baseline_response_model = "response_model";

struct Baseline {
    std::string key;  ///< one of the three above, or another key found in the file
    std::string description;  ///< empty (and not written) in a curve point's baselines
    PlanFigures figures;      ///< no budget

    bool operator==(const Baseline&) const = default;
};

/// A value of the plan's free-form sections (parameters, provenance). The stage that writes them decides their
/// contents; the plan carries them in file order and the report lists them (setting_lines). It mirrors a JSON
/// value so that any plan file, also an older one, reads and writes back unchanged.
struct Setting {
    enum class Kind { Null, Boolean, Integer, Unsigned, Real, Text, Object, Array };
    std::string key;  ///< its key inside the enclosing object (empty at the top and inside an array)
    Kind kind = Kind::Null;
    bool boolean = false;
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    double real = 0;
    std::string text;
    std::vector<Setting> members;  ///< an object's members or an array's items, in order

    bool operator==(const Setting&) const = default;
};

/// One offer as optimize resolved it (parameters.offers[]).
struct PlanOfferParameters {
    std::string offer;
    std::string kind;  ///< "message", "percent", "coupon"
    double value = 0;
    std::string channel;
    double contact_cost = 0;
    std::string code;  ///< the offer code in the CRM list (the level's name unless --offer code=... says)
};

/// The settings optimize ran with, as it records them in plan.json's "parameters".
struct PlanParameters {
    std::string outcome_type;
    double margin = 0;
    std::optional<double> basket;
    std::string basket_column;  ///< empty: written as null
    std::optional<double> value;
    std::vector<std::pair<std::string, double>> channels;  ///< name → contact cost, in this order
    std::vector<PlanOfferParameters> offers;
    double budget = 0;
    std::optional<std::uint64_t> max_contacts;
    std::optional<double> min_roi;
    bool allow_negative = false;
    std::uint64_t seed = 0;
    std::int64_t random_repeats = 0;
    std::uint64_t curve_points = 0;
    double segment_uplift_threshold = 0;
    double segment_buy_threshold = 0;
};

/// The "parameters" object of a plan written by optimize.
Setting to_setting(const PlanParameters& parameters);

/// A JSON object's text (e.g. core's Provenance::to_json) as a Setting. Throws DataError naming `source` for
/// text that is not JSON.
Setting setting_from_json(std::string_view text, const std::string& source);

/// A setting as "a.b = value" lines, keys sorted at every level, values as text (strings bare, anything else
/// compact JSON): the report shows them, it does not interpret them.
std::vector<std::pair<std::string, std::string>> setting_lines(const Setting& setting);

/// How the budget-constrained assignment was solved (absent in plan files written before it was recorded).
struct PlanSolver {
    double lambda = 0;
    std::int64_t bisection_steps = 0;
    std::uint64_t core_clients = 0;
    std::uint64_t core_nodes = 0;
    bool core_complete = true;

    bool operator==(const PlanSolver&) const = default;
};

/// A plan figure measured on the randomised test its clients took part in: the estimate, its range at the
/// estimate's level, its standard error, and what the model alone forecast for the same clients.
struct MeasuredFigure {
    double estimate = 0;
    double low = 0;
    double high = 0;
    double std_error = 0;
    double model_forecast = 0;

    bool operator==(const MeasuredFigure&) const = default;
};

/// What the plan's clients bring, measured on the test (optimize/plan_test_estimate.hpp): present only when
/// the scores carry the test's treatment and outcome and were not fitted on these clients.
struct PlanTestEstimate {
    std::string scored_as;  ///< how the scores were made: "out_of_fold", "holdout" (model/score_origin.hpp)
    std::string method;     ///< "aipw": augmented inverse-propensity weighting
    double level = 0.95;
    std::int64_t planned = 0;    ///< clients in the plan
    std::int64_t measured = 0;   ///< of them, clients in one of the test's arms
    std::int64_t treated = 0;    ///< of those, in the arm of the offer they are planned for
    std::int64_t control = 0;    ///< of those, in control
    std::int64_t test_rows = 0;  ///< scored rows in the test's arms (their shares weight the estimate)
    MeasuredFigure incremental_conversions;  ///< extra conversions (or extra outcome for a continuous one)
    MeasuredFigure incremental_revenue;      ///< the same in money (each client's basket or value)

    bool operator==(const PlanTestEstimate&) const = default;
};

/// One offer's share of the hold-out (control.per_offer[]): the forecast is for its contacted clients only.
struct ControlOffer {
    std::string offer;
    std::int64_t planned = 0;
    std::int64_t contacted = 0;
    std::int64_t held_out = 0;
    std::optional<double> expected_incremental_conversions;  ///< null for a continuous outcome
    double expected_incremental_revenue = 0;
    double expected_spend = 0;
    std::string code;  ///< the offer's code in the CRM list (its level when it has none); empty in older plans

    bool operator==(const ControlOffer&) const = default;
};

/// The random control kept inside the plan (optimize --control-share): which planned clients are held out
/// uncontacted, by which rule, and what the contacted part alone is expected to bring. `measure` reads it.
struct PlanControl {
    std::string rule;  ///< in words, for the reader of the file
    double share = 0;
    std::uint64_t seed = 0;
    std::string stratified_by = "offer";
    std::int64_t planned = 0;
    std::int64_t contacted = 0;
    std::int64_t held_out = 0;
    std::string plan_file;       ///< the CRM list, relative to plan.json's folder
    bool raw_csv = false;        ///< the list's text cells carry no spreadsheet apostrophe
    /// The list's field separator: "," (the default, and every plan written before --excel could hold out)
    /// or ";" (--excel: a byte order mark and decimal commas too).
    std::string separator = ",";
    /// The list's column that names each row's offer: "offer" (the level), "offer_code" (the code, when
    /// --columns drops offer and the codes tell the offers apart), or "" (a single offer: every row is it).
    std::string offer_column = "offer";
    std::string id_column;       ///< the scores' id column (the list's first column)
    std::string outcome_column;  ///< the scores' outcome role (measure's default --outcome); may be empty
    std::string outcome_type;    ///< "binary" or "continuous"
    /// Forecast for the contacted clients only (what measure compares with).
    std::optional<double> expected_incremental_conversions;
    double expected_incremental_revenue = 0;
    double expected_spend = 0;
    double expected_profit = 0;
    double spend_saved = 0;  ///< expected spend of the held-out clients: not contacted, not paid
    std::vector<ControlOffer> per_offer;

    bool operator==(const PlanControl&) const = default;
};

/// One side of the priority-list comparison: what a list of clients brings by the model, and how much of it is
/// wasted on clients whose expected uplift is ≤ 0.
struct PlanListSide {
    PlanFigures figures;  ///< contacts, spend, incremental conversions and revenue, profit, roi (no budget)
    std::int64_t non_positive_uplift = 0;              ///< listed clients with expected uplift ≤ 0
    std::optional<double> non_positive_uplift_share;   ///< of the listed clients; null for an empty list
    std::optional<double> useless_discount_share;      ///< Σ min(p0, pt) / Σ pt over the list
    std::optional<PlanTestEstimate> test_estimate;     ///< for out-of-sample scores with the test's outcome

    bool operator==(const PlanListSide&) const = default;
};

/// optimize --rank-by response: the list written (clients above --min-p by purchase probability) beside the
/// uplift plan of the same size (at most as many clients, same budget).
struct PlanResponseList {
    std::string rule;
    double min_p = 0;
    std::int64_t above_threshold = 0;  ///< clients above min_p before the budget and contact limit
    PlanListSide list;
    PlanListSide uplift_plan;

    bool operator==(const PlanResponseList&) const = default;
};

struct Plan {
    std::optional<double> budget;
    std::optional<double> budget_used;
    std::optional<double> contacts;
    std::optional<double> clients;  ///< clients the plan chose from (absent in older plan files)
    std::optional<double> expected_incremental_conversions;
    std::optional<double> expected_incremental_revenue;
    std::optional<double> expected_spend;
    std::optional<double> expected_profit;
    std::optional<double> roi;                     ///< null in the file when spend is 0
    std::optional<double> useless_discount_share;  ///< null for continuous outcomes
    std::optional<double> upper_bound;
    std::optional<double> gap;
    std::vector<OfferSummary> per_offer;
    /// In budget order; a point without a budget in the file is dropped on reading (the slider cannot place it).
    std::vector<PlanFigures> budget_curve;
    /// The baselines at each curve point's budget (curve_baselines[i] belongs to budget_curve[i]; empty for a
    /// point without them, as in plan files written before optimize gave them). No descriptions: those of
    /// `baselines` apply.
    std::vector<std::vector<Baseline>> curve_baselines;
    std::vector<Baseline> baselines;  ///< everyone, random, response_model first, then others by key
    /// The first offer to every client without a budget (absent in older plan files); no budget.
    std::optional<PlanFigures> everyone_all;
    std::string everyone_all_description;
    std::optional<Setting> parameters;
    std::optional<Setting> provenance;
    std::optional<PlanSolver> solver;
    std::optional<PlanTestEstimate> test_estimate;
    std::optional<PlanControl> control;  ///< only for a plan with --control-share > 0
    std::optional<PlanResponseList> response_list;  ///< only with --rank-by response

    /// The baseline under `key`, if the plan has it.
    const Baseline* baseline(std::string_view key) const;
    /// The baseline under `key` at curve point `i`, if the plan has it.
    const Baseline* curve_baseline(std::size_t i, std::string_view key) const;
    /// Whether every curve point carries the three standard baselines.
    bool has_curve_baselines() const;

    bool operator==(const Plan&) const = default;
};

/// plan.json's text, exactly as optimize has always written it (two-space indent, final newline). A section
/// that is absent (parameters, provenance, solver, everyone_all, test_estimate,
/// control, response_list) is left out.
std::string to_json(const Plan& plan);

/// Parses plan.json text; `source` names the file in messages. Throws DataError for text that is not a JSON
/// object or a key whose value has the wrong type.
Plan plan_from_json(std::string_view text, const std::string& source);

/// Reads and parses a plan file (report, measure). Throws IoError when it is missing or cannot be read.
Plan read_plan_file(const std::filesystem::path& path);

}  // namespace uplift::artifacts
