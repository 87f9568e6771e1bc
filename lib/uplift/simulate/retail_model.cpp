#include "uplift/simulate/retail_model.hpp"

#include <algorithm>
#include <cmath>

#include "uplift/simulate/random_draws.hpp"

namespace uplift::simulate {

namespace {

// Lapsed clients stop coming after this share of the history (uniform between the bounds).
constexpr double lapse_from = 0.08;
constexpr double lapse_to = 0.60;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::int64_t to_micro(double p) { return std::clamp<std::int64_t>(std::llround(p * 1e6), 1000, 990000); }

std::size_t index_of(ClientKind k) { return static_cast<std::size_t>(k); }

}  // namespace

std::string_view kind_name(ClientKind kind) noexcept {
    switch (kind) {
    case ClientKind::Persuadable: return "persuadable";
    case ClientKind::SureThing: return "sure_thing";
    case ClientKind::LostCause: return "lost_cause";
    case ClientKind::SleepingDog: return "sleeping_dog";
    }
    return "unknown";
}

CampaignDraw draw_campaign(Rng& rng, std::int64_t p_control_micro, std::int64_t p_treatment_micro) {
    CampaignDraw d;
    d.treated = bernoulli(rng, 0.5);
    const std::int64_t p = d.treated ? p_treatment_micro : p_control_micro;
    d.target = rng.below(1'000'000) < static_cast<std::uint64_t>(p);
    return d;
}

RetailModel::RetailModel(const RetailModelParameters& parameters, const RetailCalendar& calendar,
                         const ProductCatalogue& products, std::uint32_t stores)
    : p_(parameters), calendar_(calendar), products_(products), stores_(std::max<std::uint32_t>(stores, 1)) {
    // Scale the visit rates so that E[transactions] x E[lines per transaction] = the line target:
    // E[transactions] = sum over kinds of share x weekly rate / 7 x expected active days.
    const double h = calendar_.history_days();
    const double active_regular = (1 - p_.new_client_share) * h + p_.new_client_share * (h + 8) / 2;
    const double active_lapsed = h * (lapse_from + lapse_to) / 2;
    double unscaled = 0;
    for (std::size_t k = 0; k < kind_count; ++k) {
        const double active = k == index_of(ClientKind::LostCause) ? active_lapsed : active_regular;
        unscaled += p_.kind_share[k] * p_.relative_weekly_visits[k] / 7.0 * active;
    }
    visit_scale_ = expected_transactions() / unscaled;
}

double RetailModel::expected_transactions() const noexcept {
    return p_.mean_lines_per_client / p_.mean_lines_per_transaction;
}

ClientProfile RetailModel::draw_client(Rng& rng) const {
    const double u = rng.uniform01();
    double acc = 0;
    ClientKind kind = ClientKind::SleepingDog;
    for (std::size_t k = 0; k < kind_count; ++k) {
        acc += p_.kind_share[k];
        if (u < acc) {
            kind = static_cast<ClientKind>(k);
            break;
        }
    }
    return draw_client_of_kind(rng, kind);
}

ClientProfile RetailModel::draw_client_of_kind(Rng& rng, ClientKind kind) const {
    ClientProfile c;
    c.kind = kind;
    const std::size_t k = index_of(c.kind);
    const std::int32_t h = calendar_.history_days();
    const std::int32_t start = calendar_.history_start();

    // Visit rate: gamma-distributed around the kind's mean, so counts are over-dispersed (negative binomial).
    const double visit_factor = gamma(rng, p_.visit_dispersion) / p_.visit_dispersion;
    c.daily_visits = p_.relative_weekly_visits[k] * visit_scale_ / 7.0 * visit_factor;
    const double check_factor = lognormal(rng, 1.0, 0.35);
    c.median_check = p_.median_check[k] * check_factor;

    // Card issue and activity window. Lapsed clients are old clients who stopped coming.
    const bool is_new = c.kind != ClientKind::LostCause && bernoulli(rng, p_.new_client_share);
    if (is_new) {
        c.active_from = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(h - 7)));
        c.issue_day = start + c.active_from;
    } else {
        c.active_from = 0;
        c.issue_day = start - 1 - static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(calendar_.issue_days())));
    }
    c.active_to = h;
    if (c.kind == ClientKind::LostCause) {
        c.active_to = std::max<std::int32_t>(1, static_cast<std::int32_t>(std::lround(h * uniform(rng, lapse_from, lapse_to))));
    }
    c.issue_seconds = calendar_.draw_time_of_day(rng);

    // Points: discount-seekers redeem on most visits; sleeping dogs rarely ever redeem.
    static constexpr std::array<double, kind_count> redeem_share = {0.97, 0.70, 0.60, 0.15};
    if (bernoulli(rng, redeem_share[k])) {
        switch (c.kind) {
        case ClientKind::Persuadable: c.points_share = beta(rng, 6, 3); break;
        case ClientKind::SureThing: c.points_share = beta(rng, 1.5, 8); break;
        case ClientKind::LostCause: c.points_share = beta(rng, 2, 5); break;
        case ClientKind::SleepingDog: c.points_share = beta(rng, 0.5, 20); break;
        }
        const auto wait = static_cast<std::int32_t>(std::ceil(-45.0 * std::log(uniform_open0(rng))));
        c.redeem_wait = wait;
        c.redeem_day = std::min(c.issue_day + wait, calendar_.cutoff() - 1);
        c.redeem_seconds = calendar_.draw_time_of_day(rng);
        if (c.redeem_day == c.issue_day && c.redeem_seconds < c.issue_seconds) c.redeem_seconds = c.issue_seconds;
    }

    // Demographics: X5 has many unknown genders, a few missing ages and some absurd ones (kept as data).
    // One uniform decides both the true gender (F:M = 38:15, as among X5's recorded ones) and whether it is
    // hidden (47%), so the random stream is the one it was before true genders existed.
    const double g = rng.uniform01();
    c.gender = g < 0.47 ? 'U' : (g < 0.85 ? 'F' : 'M');
    c.true_gender = g < 0.47 ? (g / 0.47 < 0.38 / 0.53 ? 'F' : 'M') : c.gender;
    const double a = rng.uniform01();
    if (a < 0.03) {
        c.age = missing_age;
    } else if (a < 0.033) {
        static constexpr std::array<std::int32_t, 5> absurd = {-1, 0, 118, 999, 1901};
        c.age = absurd[static_cast<std::size_t>(rng.below(absurd.size()))];
    } else {
        const double shift = c.kind == ClientKind::SleepingDog ? 6 : (c.kind == ClientKind::Persuadable ? -3 : 0);
        c.age = static_cast<std::int32_t>(std::clamp(std::lround(45 + shift + 13 * normal(rng)), 16L, 95L));
    }

    c.home_store = static_cast<std::uint32_t>(rng.below(stores_));
    for (std::size_t i = 0; i < favourite_count; ++i) {
        const auto twin = products_.draw_twin(rng, c.true_gender);
        c.favourites[i] = twin.gendered;
        c.plain_favourites[i] = twin.plain;
    }
    draw_truth(rng, c, visit_factor, check_factor);
    return c;
}

void RetailModel::draw_truth(Rng& rng, ClientProfile& c, double visit_factor, double check_factor) const {
    // Purchase probabilities in the campaign period, from the habits plus client-level noise.
    const double f = std::clamp(std::log(visit_factor), -2.0, 2.0);   // more visits than the kind's norm
    const double m = std::clamp(std::log(check_factor), -1.0, 1.0);   // bigger baskets than the norm
    const double s = c.points_share;
    const double r = 1.0 - static_cast<double>(c.active_to) / calendar_.history_days();  // lapse depth
    const double noise = 0.25 * normal(rng);
    double pc = 0;
    double up = 0;
    switch (c.kind) {
    case ClientKind::Persuadable:  // buys little on its own; the discount moves it, the more the keener on points
        pc = sigmoid(-1.4 + 0.5 * f + noise);
        up = std::max(0.10 + 0.35 * s + 0.04 * std::clamp(f, -1.0, 1.0) + 0.02 * normal(rng), 0.06);
        break;
    case ClientKind::SureThing:  // buys anyway; the offer adds next to nothing
        pc = sigmoid(1.6 + 0.5 * f + 0.2 * m + noise);
        up = std::clamp(0.005 + 0.03 * s + 0.005 * normal(rng), 0.0, 0.04);
        break;
    case ClientKind::LostCause:  // gone; the deeper the lapse, the less likely to come back either way
        pc = sigmoid(-2.6 + 0.3 * f - 2.0 * r + noise);
        up = std::clamp(0.005 + 0.02 * s + 0.003 * normal(rng), 0.0, 0.03);
        break;
    case ClientKind::SleepingDog:  // a reminder to shop elsewhere: the offer lowers the purchase chance
        pc = sigmoid(0.3 + 0.4 * f + 0.2 * m + noise);
        up = std::min(-(0.12 + 0.10 * rng.uniform01() + 0.05 * m), -0.05);
        break;
    }
    c.p_control_micro = to_micro(pc);
    c.p_treatment_micro = to_micro(pc + up);
}

void RetailModel::draw_history(Rng& rng, const ClientProfile& c, std::vector<Transaction>& transactions,
                               std::vector<PurchaseLine>& lines) const {
    transactions.clear();
    lines.clear();
    const double days = c.active_to - c.active_from;
    // Every card holder in the table has bought at least once (as in X5, whose clients come from receipts).
    const auto n = static_cast<std::size_t>(
        std::clamp<std::int64_t>(poisson(rng, c.daily_visits * days), 1,
                                 static_cast<std::int64_t>(max_transactions_per_client)));
    append_visits(rng, n, c.active_from, c.active_to, transactions);
    sort_by_time(transactions);
    fill_transactions(rng, c, 1.0, transactions, lines);
}

void RetailModel::append_visits(Rng& rng, std::size_t n, std::int32_t from, std::int32_t to,
                                std::vector<Transaction>& transactions) const {
    const std::int32_t start = calendar_.history_start();
    for (std::size_t i = 0; i < n; ++i) {
        Transaction t;
        t.day = start + calendar_.draw_history_day(rng, from, to);
        t.seconds = calendar_.draw_time_of_day(rng);
        transactions.push_back(t);
    }
}

void sort_by_time(std::vector<Transaction>& transactions) {
    std::sort(transactions.begin(), transactions.end(),
              [](const Transaction& a, const Transaction& b) { return a.day != b.day ? a.day < b.day : a.seconds < b.seconds; });
}

void RetailModel::fill_transactions(Rng& rng, const ClientProfile& c, double basket_scale,
                                    std::vector<Transaction>& transactions, std::vector<PurchaseLine>& lines) const {
    const double extra_lines = p_.mean_lines_per_transaction - 1;
    for (Transaction& t : transactions) {
        t.store = bernoulli(rng, 0.8) ? c.home_store : static_cast<std::uint32_t>(rng.below(stores_));
        const auto k = static_cast<std::uint32_t>(std::min<std::int64_t>(1 + negative_binomial(rng, extra_lines, 2.0), 60));
        // The basket grows with its line count; lognormal around the client's typical check.
        const double total =
            std::max(lognormal(rng, c.median_check * k / p_.mean_lines_per_transaction, 0.45) * basket_scale, 10.0 * k);
        t.total_cents = std::llround(total * 100);
        t.first_line = static_cast<std::uint32_t>(lines.size());
        t.line_count = k;
        double weight_sum = 0;
        std::array<double, 64> weights{};
        for (std::uint32_t j = 0; j < k; ++j) weight_sum += weights[j] = gamma(rng, 2.0);
        std::int64_t assigned = 0;
        std::array<std::uint32_t, 64> plain{};  // the catalogue-wide twin of each line's product
        for (std::uint32_t j = 0; j < k; ++j) {
            PurchaseLine line;
            // Repeat buys of the client's favourites, else the popularity leaned by gender; a product met
            // again in the basket is redrawn (up to 4 tries). The redraw reads the catalogue-wide twins, as
            // before genders existed, so the stream stays the same; a gendered line then rarely repeats one.
            for (int attempt = 0; attempt < 4; ++attempt) {
                if (bernoulli(rng, 0.35)) {
                    const auto f = static_cast<std::size_t>(rng.below(favourite_count));
                    line.product = c.favourites[f];
                    plain[j] = c.plain_favourites[f];
                } else {
                    const auto twin = products_.draw_twin(rng, c.true_gender);
                    line.product = twin.gendered;
                    plain[j] = twin.plain;
                }
                bool repeated = false;
                for (std::uint32_t q = 0; q < j; ++q) repeated = repeated || plain[q] == plain[j];
                if (!repeated) break;
            }
            const double q = rng.uniform01();
            line.quantity = q < 0.75 ? 1 : (q < 0.90 ? 2 : 3 + static_cast<std::int32_t>(rng.below(4)));
            // At least one rouble per line (the basket is at least 10 roubles a line), the rest by weight.
            const auto spread = static_cast<double>(t.total_cents - 100 * std::int64_t{k});
            line.sum_cents = j + 1 == k ? t.total_cents - assigned
                                        : 100 + static_cast<std::int64_t>(spread * weights[j] / weight_sum);
            assigned += line.sum_cents;
            lines.push_back(line);
        }
        // Points: 1% of the sum back on every receipt (in tenths of a point), promotional express points
        // now and then; spending points pays 10-40% of the receipt, spread over its lines.
        t.regular_received_tenths = t.total_cents / 1000;
        if (bernoulli(rng, 0.03)) t.express_received_tenths = 10 * (5 + static_cast<std::int64_t>(rng.below(56)));
        if (bernoulli(rng, c.points_share)) {
            const double roubles = static_cast<double>(t.total_cents) / 100;
            const std::int64_t points = std::max<std::int64_t>(1, std::llround(roubles * uniform(rng, 0.10, 0.40)));
            t.regular_spent_tenths = -10 * points;
            std::int64_t left = points * 100;
            for (std::uint32_t j = 0; j < k; ++j) {
                PurchaseLine& line = lines[t.first_line + j];
                line.redeemed_cents = j + 1 == k ? left : points * 100 * line.sum_cents / t.total_cents;
                left -= line.redeemed_cents;
            }
        }
        if (bernoulli(rng, 0.3 * c.points_share)) t.express_spent_tenths = -10 * (10 + static_cast<std::int64_t>(rng.below(51)));
    }
}

}  // namespace uplift::simulate
