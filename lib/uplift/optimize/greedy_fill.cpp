// Steps 2 and 4 of solve(): spend the budget the relaxation left over. At the relaxation's λ many clients
// can sit exactly on the boundary (equal scores give equal ratios), so the leftover can be large; the
// moves are taken in order of extra profit per extra spend, the order the relaxation itself would use.

#include <algorithm>
#include <limits>

#include "uplift/optimize/parallel.hpp"
#include "uplift/optimize/solver_steps.hpp"

namespace uplift::optimize::detail {

namespace {

struct Move {
    bool free;            // costs nothing extra: taken first, by gain
    double key;           // gain (free) or gain per extra spend
    std::size_t client;
    std::int8_t to;
    double gain;
    double extra_spend;
};

bool before(const Move& a, const Move& b) {
    if (a.free != b.free) return a.free;
    if (a.key != b.key) return a.key > b.key;
    if (a.client != b.client) return a.client < b.client;
    return a.to < b.to;
}

std::size_t contact_limit(const Constraints& c) {
    return c.max_contacts.value_or(std::numeric_limits<std::size_t>::max());
}

}  // namespace

void greedy_fill(const Instance& in, const Constraints& c, double budget, std::vector<std::int8_t>& choice, int threads) {
    const std::size_t k_count = in.num_offers();
    const Usage used = usage_of(in, choice);
    long double left = budget - used.spend;
    std::size_t contacts_left = contact_limit(c) - std::min(contact_limit(c), used.contacts);
    if (left < 0) left = 0;
    const double reach = static_cast<double>(left);

    // Moves gathered per fixed chunk and joined in chunk order: the same list for any thread count.
    std::vector<std::vector<Move>> part(chunk_count(in.clients));
    for_each_chunk(in.clients, threads, [&](std::size_t b, std::size_t e, std::size_t chunk) {
        for (std::size_t i = b; i < e; ++i) {
            const int cur = choice[i];
            if (cur < 0 && contacts_left == 0) continue;
            const OptionValue now = cur < 0 ? OptionValue{} : in.option(i, static_cast<std::size_t>(cur));
            for (std::size_t k = 0; k < k_count; ++k) {
                if (static_cast<int>(k) == cur) continue;
                const OptionValue o = in.option(i, k);
                if (o.profit <= 0 || o.profit <= now.profit || !eligible(o.profit, o.spend, c)) continue;
                const double extra = o.spend - now.spend;
                if (extra > reach) continue;  // the leftover only shrinks: it will never fit
                const double gain = o.profit - now.profit;
                part[chunk].push_back(
                    Move{extra <= 0, extra <= 0 ? gain : gain / extra, i, static_cast<std::int8_t>(k), gain, extra});
            }
        }
    });
    std::vector<Move> moves;
    for (auto& p : part) moves.insert(moves.end(), p.begin(), p.end());
    part = {};
    std::sort(moves.begin(), moves.end(), before);
    std::vector<std::uint8_t> moved;
    if (!moves.empty()) moved.assign(in.clients, 0);
    for (const Move& m : moves) {
        if (moved[m.client] != 0 || m.extra_spend > left) continue;
        const bool new_contact = choice[m.client] < 0;
        if (new_contact && contacts_left == 0) continue;
        choice[m.client] = m.to;
        moved[m.client] = 1;
        left -= m.extra_spend;
        if (new_contact) --contacts_left;
    }
}

void fill_negative(const Instance& in, const Constraints& c, double budget, std::vector<std::int8_t>& choice) {
    const std::size_t k_count = in.num_offers();
    const Usage used = usage_of(in, choice);
    long double left = budget - used.spend;
    std::size_t contacts_left = contact_limit(c) - std::min(contact_limit(c), used.contacts);
    // Least loss first; among equal losses the cheaper offer.
    struct Pick {
        double profit;
        double spend;
        std::size_t client;
        std::int8_t k;
    };
    std::vector<Pick> picks;
    for (std::size_t i = 0; i < in.clients; ++i) {
        if (choice[i] >= 0) continue;
        int best = -1;
        for (std::size_t k = 0; k < k_count; ++k) {
            const double p = in.profit(i, k);
            const double s = in.spend(i, k);
            if (!eligible(p, s, c)) continue;
            const auto b = static_cast<std::size_t>(best);
            if (best < 0 || p > in.profit(i, b) ||
                (p == in.profit(i, b) && s < in.spend(i, b))) {
                best = static_cast<int>(k);
            }
        }
        if (best < 0) continue;
        const auto b = static_cast<std::size_t>(best);
        picks.push_back(Pick{in.profit(i, b), in.spend(i, b), i, static_cast<std::int8_t>(best)});
    }
    std::sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) {
        if (a.profit != b.profit) return a.profit > b.profit;
        if (a.spend != b.spend) return a.spend < b.spend;
        return a.client < b.client;
    });
    for (const Pick& p : picks) {
        if (contacts_left == 0) break;
        if (p.spend > left) continue;
        choice[p.client] = p.k;
        left -= p.spend;
        --contacts_left;
    }
}

}  // namespace uplift::optimize::detail
