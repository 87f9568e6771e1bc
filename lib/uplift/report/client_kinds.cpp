#include "uplift/report/client_kinds.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace uplift::report {

namespace {

std::string normalised(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += (c == ' ' || c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (out.size() > 1 && out.back() == 's') out.pop_back();  // "persuadables", "sure_things" …
    return out;
}

void add(ClientKinds& k, eval::ClientKind kind) {
    switch (kind) {
    case eval::ClientKind::Persuadable: k.persuadable += 1; break;
    case eval::ClientKind::SureThing: k.sure_thing += 1; break;
    case eval::ClientKind::LostCause: k.lost_cause += 1; break;
    case eval::ClientKind::SleepingDog: k.sleeping_dog += 1; break;
    }
    ++k.clients;
}

std::optional<ClientKinds> from_labels(const io::Column& column) {
    ClientKinds k;
    k.source = column.name();
    for (std::size_t i = 0; i < column.size(); ++i) {
        if (!column.is_valid(i)) continue;
        eval::ClientKind kind{};
        // An unknown label is not a kind we can place; it is left out of every bar.
        if (eval::kind_from_string(normalised(column.text_at(i)), kind)) add(k, kind);
    }
    if (k.clients == 0) return std::nullopt;
    return k;
}

}  // namespace

std::optional<ClientKinds> client_kinds(const io::Table& scores, const std::string& level, bool binary,
                                        const eval::KindThresholds& thresholds) {
    if (const io::Column* labels = scores.find(client_kind_column)) return from_labels(*labels);
    if (!binary) return std::nullopt;
    if (const io::Column* labels = scores.find(uplift_segment_column)) return from_labels(*labels);
    const io::Column* p0 = scores.find("p__control");
    const io::Column* pt = level.empty() ? nullptr : scores.find("p__" + level);
    if (p0 == nullptr || pt == nullptr) {
        p0 = scores.find("p_control");
        pt = scores.find("p_treatment");
    }
    if (p0 == nullptr || pt == nullptr || !p0->is_numeric() || !pt->is_numeric()) return std::nullopt;

    ClientKinds k;
    k.by_rule = true;
    k.thresholds = thresholds;
    k.source = p0->name() + ", " + pt->name();
    const std::vector<double> a = p0->to_doubles();
    const std::vector<double> b = pt->to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) continue;
        if (a[i] < 0 || a[i] > 1 || b[i] < 0 || b[i] > 1) return std::nullopt;
        add(k, eval::kind_of(a[i], b[i] - a[i], thresholds));
    }
    if (k.clients == 0) return std::nullopt;
    return k;
}

}  // namespace uplift::report
