#pragma once
/// The promotion economics of DESIGN §6 for one client and one offer. A discount is paid on every
/// redeemed purchase, including those the client would have made anyway, so the spend uses p_t, not the
/// uplift: that is what makes a discount to a "sure thing" a loss.

#include <cmath>
#include <string>
#include <string_view>

#include "uplift/data/roles.hpp"

namespace uplift::optimize {

enum class OfferKind { Percent, Coupon, Message };

/// "percent", "coupon", "message".
std::string_view to_string(OfferKind kind) noexcept;
/// Throws UsageError for any other word.
OfferKind offer_kind_from_string(std::string_view text);

/// An offer as the solver sees it: a treatment level of the model, what it gives, and what a contact costs.
struct Offer {
    std::string level;         ///< treatment level of the scores (p__<level>)
    OfferKind kind = OfferKind::Message;
    double value = 0;          ///< discount rate in [0, 1) for Percent, money per redeemed purchase for Coupon
    std::string channel;       ///< channel name
    double contact_cost = 0;   ///< cost of one contact on that channel
    std::string code;          ///< the code the CRM knows the offer by (--offer code=...); empty: the level
};

/// The offer's code in the CRM list: its own code, or its level when it has none.
inline const std::string& offer_code(const Offer& offer) noexcept {
    return offer.code.empty() ? offer.level : offer.code;
}

/// Expected outcome of making one offer to one client.
struct OptionValue {
    double uplift = 0;    ///< incremental conversions (binary) or incremental spend (continuous)
    double revenue = 0;   ///< incremental revenue: uplift·basket (binary), uplift (continuous)
    double spend = 0;     ///< expected money paid out: discount or coupon on redeemed purchases + contact cost
    double profit = 0;    ///< revenue·margin − spend
};

/// An offer's economics as three numbers: spend = max(pt, 0)·(scale·rate + coupon) + contact, where scale is
/// the basket for a binary outcome and 1 for a spend outcome (pt is then expected spend).
struct OfferTerms {
    double rate = 0;     ///< discount rate (percent offers)
    double coupon = 0;   ///< coupon value (coupon offers)
    double contact = 0;  ///< contact cost
};

inline OfferTerms terms_of(const Offer& offer) noexcept {
    return OfferTerms{offer.kind == OfferKind::Percent ? offer.value : 0.0,
                      offer.kind == OfferKind::Coupon ? offer.value : 0.0, offer.contact_cost};
}

/// The one place the formulas live; the solver and every report call it, so their numbers agree to the bit.
/// A negative predicted spend earns no discount.
inline OptionValue evaluate_terms(double p0, double pt, double scale, const OfferTerms& t, double margin) noexcept {
    OptionValue v;
    v.uplift = pt - p0;
    v.revenue = v.uplift * scale;
    // (pt + |pt|)/2 is max(pt, 0) exactly, without the branch a comparison compiles to: the solver calls
    // this for every client and offer at every step, and random scores make such branches unpredictable.
    v.spend = 0.5 * (pt + std::fabs(pt)) * (scale * t.rate + t.coupon) + t.contact;
    v.profit = v.revenue * margin - v.spend;
    return v;
}

/// Binary: p0/pt are purchase probabilities and `basket` the client's basket value.
/// Continuous: p0/pt are expected spend and `basket` is ignored.
/// Coupons need a purchase probability: the caller rejects them for continuous outcomes.
inline OptionValue evaluate_option(double p0, double pt, double basket, const Offer& offer, double margin,
                                   data::OutcomeType outcome) noexcept {
    return evaluate_terms(p0, pt, outcome == data::OutcomeType::Binary ? basket : 1.0, terms_of(offer), margin);
}

}  // namespace uplift::optimize
