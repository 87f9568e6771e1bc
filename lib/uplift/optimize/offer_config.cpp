#include "uplift/optimize/offer_config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

namespace {

constexpr std::size_t max_offers = 100;  // choices are stored as int8 per client

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<double> to_number(std::string_view text) {
    text = trim(text);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

void set_offer_value(OfferSpec& spec, std::string_view text, const std::string& where) {
    std::string_view t = trim(text);
    spec.value_in_percent = !t.empty() && t.back() == '%';
    if (spec.value_in_percent) t.remove_suffix(1);
    const auto v = to_number(t);
    if (!v) throw UsageError(fmt::format("{}: value '{}' is not a number (write 0.1 or 10%)", where, text));
    spec.value = spec.value_in_percent ? *v / 100.0 : *v;
}

void check_cost(const std::string& channel, double cost) {
    if (!std::isfinite(cost) || cost < 0) {
        throw UsageError(fmt::format("channel '{}': contact cost {} must be a number >= 0", channel, cost));
    }
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::vector<std::string> q;
    q.reserve(items.size());
    for (const auto& s : items) q.push_back(fmt::format("'{}'", s));
    return fmt::format("{}", fmt::join(q, ", "));
}

Offer resolve_offer(const OfferSpec& spec, const EconomicsConfig& config, const data::Roles& roles) {
    const std::string where = fmt::format("--offer '{}'", spec.level);
    if (std::find(roles.treatment_levels.begin(), roles.treatment_levels.end(), spec.level) ==
        roles.treatment_levels.end()) {
        throw UsageError(fmt::format("{}: the model knows no treatment level '{}'; its levels are {}", where,
                                     spec.level, quoted_list(roles.treatment_levels)));
    }
    Offer offer;
    offer.level = spec.level;
    offer.kind = spec.kind.value_or(OfferKind::Message);
    if (!spec.kind && spec.value) {
        throw UsageError(fmt::format("{}: a value needs a kind: add kind=percent or kind=coupon", where));
    }
    offer.value = spec.value.value_or(0.0);
    switch (offer.kind) {
    case OfferKind::Percent:
        if (!spec.value) throw UsageError(fmt::format("{}: a percent discount needs value=0.1 (or 10%)", where));
        if (offer.value < 0 || offer.value >= 1) {
            throw UsageError(fmt::format("{}: discount {}% must be at least 0% and below 100% (write 0.1 or 10%)",
                                         where, offer.value * 100));
        }
        break;
    case OfferKind::Coupon:
        if (!spec.value) throw UsageError(fmt::format("{}: a coupon needs value=AMOUNT", where));
        if (spec.value_in_percent) throw UsageError(fmt::format("{}: a coupon value is money, not a percentage", where));
        if (offer.value < 0) throw UsageError(fmt::format("{}: coupon value {} is negative", where, offer.value));
        if (roles.outcome_type == data::OutcomeType::Continuous) {
            throw UsageError(fmt::format("{}: a fixed coupon needs a purchase probability, but the scores predict "
                                         "spend (continuous outcome); use kind=percent or kind=message",
                                         where));
        }
        break;
    case OfferKind::Message:
        if (spec.value) throw UsageError(fmt::format("{}: a message-only offer takes no value", where));
        break;
    }
    offer.channel = spec.channel.empty() ? default_channel : spec.channel;
    const auto it = config.channels.find(offer.channel);
    if (it == config.channels.end()) {
        if (offer.channel == default_channel) {
            throw UsageError(fmt::format("{}: names no channel; pass --contact-cost C, or --channel NAME=COST and "
                                         "channel=NAME in the offer",
                                         where));
        }
        std::vector<std::string> known;
        for (const auto& [name, cost] : config.channels) known.push_back(name);
        throw UsageError(fmt::format("{}: channel '{}' has no cost; pass --channel {}=COST (known channels: {})", where,
                                     offer.channel, offer.channel, known.empty() ? "none" : quoted_list(known)));
    }
    offer.contact_cost = it->second;
    offer.code = spec.code.empty() ? spec.level : spec.code;
    return offer;
}

}  // namespace

OfferSpec parse_offer_spec(std::string_view text) {
    const std::string where = fmt::format("--offer '{}'", text);
    OfferSpec spec;
    // The options never contain ':', so the last one separates them from a level that might.
    const auto colon = text.rfind(':');
    spec.level = std::string(trim(colon == std::string_view::npos ? text : text.substr(0, colon)));
    if (spec.level.empty()) throw UsageError(fmt::format("{}: the treatment level is missing (LEVEL:kind=...)", where));
    if (colon == std::string_view::npos) return spec;
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            throw UsageError(fmt::format("{}: '{}' is not key=value (keys: kind, value, channel, code)", where, item));
        }
        const std::string_view key = trim(item.substr(0, eq));
        const std::string_view val = trim(item.substr(eq + 1));
        if (key == "kind") {
            spec.kind = offer_kind_from_string(val);
        } else if (key == "value") {
            set_offer_value(spec, val, where);
        } else if (key == "channel") {
            if (val.empty()) throw UsageError(fmt::format("{}: channel is empty", where));
            spec.channel = std::string(val);
        } else if (key == "code") {
            if (val.empty()) throw UsageError(fmt::format("{}: code is empty (leave it out to use the level's name)", where));
            spec.code = std::string(val);
        } else {
            throw UsageError(fmt::format("{}: unknown key '{}' (keys: kind, value, channel, code)", where, key));
        }
    }
    return spec;
}

std::pair<std::string, double> parse_channel_spec(std::string_view text) {
    const auto eq = text.find('=');
    const std::string name(trim(text.substr(0, eq)));
    if (eq == std::string_view::npos || name.empty()) {
        throw UsageError(fmt::format("--channel '{}' must look like NAME=COST (e.g. --channel email=0.1)", text));
    }
    const auto cost = to_number(text.substr(eq + 1));
    if (!cost) throw UsageError(fmt::format("--channel '{}': cost is not a number", text));
    check_cost(name, *cost);
    return {name, *cost};
}

void load_offers_file(const std::filesystem::path& path, EconomicsConfig& config) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError(fmt::format("cannot read offers file '{}': no such file", path.string()));
    }
    // A folder opens as a stream; reading it would pass for JSON that is not valid.
    if (std::filesystem::is_directory(path, ec)) {
        throw IoError(fmt::format("cannot read offers file '{}': it is a folder, a JSON file was expected", path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read offers file '{}'", path.string()));
    const std::string where = fmt::format("offers file '{}'", path.string());
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(fmt::format("{} is not valid JSON: {}", where, e.what()));
    }
    try {
        if (j.contains("channels")) {
            for (const auto& [name, cost] : j.at("channels").items()) {
                check_cost(name, cost.get<double>());
                config.channels.try_emplace(name, cost.get<double>());  // a --channel flag given for it wins
            }
        }
        // An empty list would fall back to the default offers: a file that names none is a mistake, not a choice.
        if (j.at("offers").empty()) {
            throw UsageError(fmt::format("{}: \"offers\" is empty; list at least one offer, or leave --offers out for "
                                         "one per treated level",
                                         where));
        }
        for (const auto& o : j.at("offers")) {
            OfferSpec spec;
            spec.level = o.at("level").get<std::string>();
            if (o.contains("kind")) spec.kind = offer_kind_from_string(o.at("kind").get<std::string>());
            if (o.contains("value")) {
                if (o.at("value").is_string()) {
                    set_offer_value(spec, o.at("value").get<std::string>(), where);
                } else {
                    spec.value = o.at("value").get<double>();
                }
            }
            if (o.contains("channel")) spec.channel = o.at("channel").get<std::string>();
            if (o.contains("code")) {
                spec.code = o.at("code").get<std::string>();
                if (spec.code.empty()) throw UsageError(fmt::format("{}: offer '{}' has an empty code", where, spec.level));
            }
            for (const auto& [key, unused] : o.items()) {
                if (key != "level" && key != "kind" && key != "value" && key != "channel" && key != "code") {
                    throw UsageError(fmt::format("{}: unknown offer key '{}' (keys: level, kind, value, channel, code)",
                                                 where, key));
                }
            }
            config.offers.push_back(std::move(spec));
        }
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(fmt::format("{}: {} (expected {{\"channels\": {{\"email\": 0.1}}, \"offers\": [{{\"level\": "
                                     "..., \"kind\": ..., \"value\": ..., \"channel\": ...}}]}})",
                                     where, e.what()));
    }
}

ResolvedEconomics resolve_economics(const EconomicsConfig& config, const data::Roles& roles) {
    ResolvedEconomics out;
    out.outcome = roles.outcome_type;
    const bool binary = roles.outcome_type == data::OutcomeType::Binary;
    for (const auto& [name, cost] : config.channels) check_cost(name, cost);

    if (config.value) {
        if (!binary) {
            throw UsageError("--value (worth of one extra conversion) needs a binary outcome; the scores predict "
                             "spend, so pass --margin instead");
        }
        if (config.margin || config.basket || !config.basket_column.empty()) {
            throw UsageError("--value means basket V with margin 1; do not combine it with --margin, --basket or "
                             "--basket-col");
        }
        if (!std::isfinite(*config.value) || *config.value < 0) {
            throw UsageError(fmt::format("--value {} must be a number >= 0", *config.value));
        }
        out.margin = 1;
        out.flat_basket = *config.value;
    } else {
        if (!config.margin) throw UsageError("pass --margin (gross margin rate, e.g. 0.25), or --value V for the "
                                             "simple form");
        if (!std::isfinite(*config.margin) || *config.margin < 0 || *config.margin > 1) {
            throw UsageError(fmt::format("--margin {} must be a rate between 0 and 1", *config.margin));
        }
        out.margin = *config.margin;
        if (config.basket && !config.basket_column.empty()) {
            throw UsageError("pass either --basket or --basket-col, not both");
        }
        if (binary) {
            if (!config.basket && config.basket_column.empty()) {
                throw UsageError("a binary outcome needs a basket value: pass --basket V or --basket-col COLUMN");
            }
            if (config.basket && (!std::isfinite(*config.basket) || *config.basket < 0)) {
                throw UsageError(fmt::format("--basket {} must be a number >= 0", *config.basket));
            }
            out.flat_basket = config.basket;
            out.basket_column = config.basket_column;
        } else if (config.basket || !config.basket_column.empty()) {
            throw UsageError("the scores predict spend (continuous outcome), so uplift is already money: drop "
                             "--basket/--basket-col");
        }
    }

    std::vector<OfferSpec> specs = config.offers;
    if (specs.empty()) {
        for (const auto& level : roles.treatment_levels) specs.push_back(OfferSpec{level, {}, {}, false, {}, {}});
    }
    if (specs.empty()) throw UsageError("the scores record no treatment level to offer");
    if (specs.size() > max_offers) throw UsageError(fmt::format("at most {} offers are supported", max_offers));
    std::set<std::string> seen;
    for (const auto& spec : specs) {
        if (!seen.insert(spec.level).second) {
            throw UsageError(fmt::format("--offer '{}' is given twice; one offer per treatment level", spec.level));
        }
        out.offers.push_back(resolve_offer(spec, config, roles));
    }
    return out;
}

}  // namespace uplift::optimize
