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
    return out;
}

std::optional<ClientKinds> from_labels(const io::Column& column) {
    ClientKinds k;
    k.estimated = false;
    k.source = column.name();
    for (std::size_t i = 0; i < column.size(); ++i) {
        if (!column.is_valid(i)) continue;
        const std::string kind = normalised(column.text_at(i));
        if (kind == "persuadable" || kind == "persuadables") {
            k.persuadable += 1;
        } else if (kind == "sure_thing" || kind == "sure_things") {
            k.sure_thing += 1;
        } else if (kind == "lost_cause" || kind == "lost_causes") {
            k.lost_cause += 1;
        } else if (kind == "sleeping_dog" || kind == "sleeping_dogs" || kind == "do_not_disturb") {
            k.sleeping_dog += 1;
        } else {
            continue;  // an unknown label is not a kind we can place; it is left out of every bar
        }
        ++k.clients;
    }
    if (k.clients == 0) return std::nullopt;
    return k;
}

}  // namespace

std::optional<ClientKinds> client_kinds(const io::Table& scores, const std::string& level, bool binary) {
    if (const io::Column* labels = scores.find(client_kind_column)) return from_labels(*labels);
    if (!binary) return std::nullopt;
    const io::Column* p0 = scores.find("p__control");
    const io::Column* pt = level.empty() ? nullptr : scores.find("p__" + level);
    if (p0 == nullptr || pt == nullptr) {
        p0 = scores.find("p_control");
        pt = scores.find("p_treatment");
    }
    if (p0 == nullptr || pt == nullptr || !p0->is_numeric() || !pt->is_numeric()) return std::nullopt;

    ClientKinds k;
    k.source = p0->name() + ", " + pt->name();
    const std::vector<double> a = p0->to_doubles();
    const std::vector<double> b = pt->to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) continue;
        if (a[i] < 0 || a[i] > 1 || b[i] < 0 || b[i] > 1) return std::nullopt;
        k.persuadable += std::max(b[i] - a[i], 0.0);
        k.sleeping_dog += std::max(a[i] - b[i], 0.0);
        k.sure_thing += std::min(a[i], b[i]);
        k.lost_cause += 1.0 - std::max(a[i], b[i]);
        ++k.clients;
    }
    if (k.clients == 0) return std::nullopt;
    return k;
}

}  // namespace uplift::report
