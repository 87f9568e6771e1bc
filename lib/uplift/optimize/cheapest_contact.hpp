#pragma once
/// A budget below every contact's expected cost cannot buy a plan: optimize refuses it as bad data (exit 3)
/// naming the cheapest contact, instead of writing an empty list that looks like a plan.

#include <cstddef>

#include "uplift/optimize/instance.hpp"

namespace uplift::optimize {

struct CheapestContact {
    double spend = 0;  ///< expected spend of the contact: contact cost plus expected discount
    std::size_t client = 0;
    std::size_t offer = 0;
};

/// The (client, offer) with the smallest expected spend (ties: the first in client, then offer order).
/// The instance must have a client and an offer.
CheapestContact cheapest_contact(const Instance& instance);

/// Throws DataError ("budget 0.05 is below the cheapest contact's cost 0.1 (offer 'A', channel 'email'): no
/// client can be contacted; ...") when not even the cheapest contact fits `budget`. No clients: nothing to check.
void check_budget_reaches_a_contact(const Instance& instance, double budget);

}  // namespace uplift::optimize
