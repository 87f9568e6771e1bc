#pragma once
/// The numbers of a report, computed once and shared by every renderer (HTML, Markdown, JSON), so the three
/// always agree. Model-quality numbers come from the same eval::evaluate() call as `upliftctl evaluate`;
/// money numbers are copied from plan.json, never recomputed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/eval/scored_table.hpp"
#include "uplift/io/table.hpp"
#include "uplift/report/ab_stats.hpp"
#include "uplift/report/client_kinds.hpp"
#include "uplift/report/i18n.hpp"
#include "uplift/report/model_summary.hpp"
#include "uplift/report/monthly_inputs.hpp"
#include "uplift/report/plan_file.hpp"
#include "uplift/report/top_share_check.hpp"

namespace uplift::report {

struct ReportOptions {
    /// Bootstrap replicates for every uncertainty range; 0 = no ranges.
    int bootstrap = 200;
    std::uint64_t seed = 42;
    double ci_level = 0.95;
    Lang lang = Lang::En;
    std::string currency;  ///< shown after money amounts; empty = none
    std::string title;     ///< empty = the default title of the language
    int threads = 0;       ///< for the evaluation, 0 = one per core; the numbers do not depend on it
    /// Show model-quality figures from in-sample scores, under an in-sample warning (--in-sample); without it
    /// such scores are refused (they would flatter the model).
    bool allow_in_sample = false;
    /// What one unit of the outcome is called, plural, in the report's language ("site visits"); empty: from
    /// the outcome column's name (see outcome_words).
    std::string outcome_label;
};

/// Everything a report is made from, already loaded (see load_report_sources).
struct ReportSources {
    io::Table scores;  ///< the scored clients (the population the plan was made for)
    std::string scores_file;
    /// Scored rows with treatment and outcome to evaluate on, when not the scores themselves.
    std::optional<io::Table> holdout;
    std::string holdout_file;
    std::optional<Plan> plan;
    std::string plan_file;
    std::optional<ModelSummary> model;
    eval::ScoredColumns columns;  ///< flags overriding the recorded roles
    /// A column of the evaluated rows with each client's purchase amount (--check-col): the A/B readout's
    /// average check for a binary outcome. Empty: none (a continuous outcome is its own amount).
    std::string check_column;
    /// The monthly loop's files (--compare, --drift, --measure); each absent when not given.
    std::optional<artifacts::Comparison> comparison;
    std::string comparison_file;
    std::optional<artifacts::DriftReport> drift;
    std::string drift_file;  ///< the scores file the drift record was read from
    std::optional<artifacts::Measurement> measurement;
    std::string measurement_file;
    /// portraits.json from `upliftctl segments` (--portraits); absent when not given.
    std::optional<artifacts::Portraits> portraits;
    std::string portraits_file;
};

/// A headline number with its uncertainty range, when one can be given.
struct Figure {
    std::optional<double> value;
    std::optional<eval::ConfidenceInterval> range;
};

/// The director's numbers. With a plan they are the plan's; without one, the best coverage seen in the test.
struct BusinessSummary {
    bool from_plan = false;
    Figure contacts;
    std::optional<double> coverage_share;  ///< contacts over all scored clients
    std::vector<std::string> offers;       ///< "offer (channel)" of the offers the plan uses
    Figure incremental_conversions;        ///< binary outcomes
    Figure incremental_revenue;            ///< from the plan; without one, the incremental outcome of a continuous one
    Figure spend;
    Figure saved_vs_everyone;              ///< everyone's spend − the plan's
    std::optional<double> profit_vs_everyone;
    Figure profit;
    Figure roi;
    Figure useless_discount_share;
    /// With a plan: the range of the test's uplift among the plan's top share relative to its own estimate
    /// (low / estimate, high / estimate). Every plan range is the plan figure times this factor.
    std::optional<eval::ConfidenceInterval> relative_range;
    /// With a plan: what the test alone says the plan's contacts bring (contacts × the uplift measured among
    /// the same top share), in extra orders (binary) or incremental outcome (continuous): a cross-check.
    std::optional<double> test_estimate;
    /// With a plan measured on the test (plan.json's test_estimate): the figures above are those measured
    /// among the plan's own clients, and this is what the model alone forecast for them.
    std::optional<artifacts::PlanTestEstimate> measured;
    std::optional<double> model_forecast;
};

/// Why a part of the report is missing or how to read it; rendered in the reader's language.
enum class Note {
    NoEvaluation,        ///< no scored rows with treatment and outcome: no model-quality section
    NoPlan,              ///< no plan.json: no money figures or budget slider
    NoBudgetCurve,       ///< plan without budget_curve: no slider
    NoModel,             ///< no --model: no feature importance
    NoImportance,        ///< model given but importance unavailable
    NoClientKinds,       ///< neither labels nor probabilities to size the client kinds
    NoBootstrap,         ///< --bootstrap 0: no ranges
    RangesFromHoldout,   ///< how the ranges were made
    MeasuredOnTest,      ///< the plan's figures were measured on the test among its own clients
    InSample,            ///< the model-quality figures come from rows the model was fitted on (--in-sample)
    OtherArmsExcluded,   ///< rows of other treated levels left out of the evaluation
    NoRangeNoUplift,     ///< plan ranges: the test measured no positive uplift among the plan's top share
    NoAverageCheck,      ///< binary outcome without --check-col: no average-check row in the A/B readout
};

struct Report {
    ReportOptions options;
    std::string scores_file;
    std::string evaluation_file;  ///< the file the model-quality numbers come from (empty: none)
    std::string plan_file;
    std::string treatment_column;
    std::string treatment_level;
    std::string control;
    std::string outcome_column;
    std::string score_column;
    bool binary = true;
    OutcomeWords words;         ///< what one unit of the outcome is called in sentences
    bool message_only = false;  ///< the plan's offers are all messages: no discount is paid
    std::int64_t scored_rows = 0;
    std::int64_t rows_excluded = 0;
    std::optional<eval::Evaluation> evaluation;
    std::optional<AbReadout> ab;
    std::optional<TopShareCheck> check;
    BusinessSummary summary;
    std::optional<Plan> plan;
    std::optional<ClientKinds> kinds;
    std::optional<ModelSummary> model;
    /// Shown as they were read (monthly_blocks.hpp words them); absent when not given.
    std::optional<artifacts::Comparison> comparison;
    std::string comparison_file;
    std::optional<artifacts::DriftReport> drift;
    std::string drift_file;
    std::optional<artifacts::Measurement> measurement;
    std::string measurement_file;
    std::optional<artifacts::Portraits> portraits;
    std::string portraits_file;
    std::vector<Note> notes;

    bool has_note(Note note) const;
};

/// The evaluation options a report uses: those of `upliftctl evaluate` by default (k = 0.1, 0.2, 0.3; 10 bins)
/// with the report's bootstrap and seed, so `evaluate --bootstrap N --seed S --json` prints the same numbers.
eval::EvaluationOptions evaluation_options(const ReportOptions& options);

/// The director's numbers from a plan: its figures as they are, and, when the test's check of the same top
/// share has a positive uplift with a range, each figure's range as the figure times that range relative to
/// the test's estimate (docs/report.md, "Uncertainty ranges").
BusinessSummary summary_from_plan(const Plan& plan, const std::optional<TopShareCheck>& check, bool binary,
                                  std::int64_t scored_rows);

/// Clients the plan's shares are taken of: the plan's own count, else (older plan files) the everyone
/// baseline's contacts, else the scored rows.
std::optional<double> population(const Report& report);

/// Computes every number. Throws UsageError when the columns cannot be resolved (e.g. several treated levels
/// and no --treatment-level), DataError for unusable values.
Report compute_report(const ReportSources& sources, const ReportOptions& options);

}  // namespace uplift::report
