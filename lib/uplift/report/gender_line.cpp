#include "uplift/report/gender_line.hpp"

#include <fmt/format.h>

namespace uplift::report {

std::string gender_line(const artifacts::GenderImputation& record, Lang lang, const NumberFormat& nf) {
    const std::string known = nf.count(static_cast<double>(record.known));
    const std::string folds = nf.count(static_cast<double>(record.folds));
    if (record.applied && record.cv_f1) {
        return fmt::format(fmt::runtime(tr(lang, Msg::GenderApplied)), nf.count(static_cast<double>(record.imputed)),
                           nf.number(*record.cv_f1, 3), known, folds);
    }
    // Below the gate (its F1 was measured), or too few known genders to fit anything.
    if (record.cv_f1 && record.min_f1) {
        return fmt::format(fmt::runtime(tr(lang, Msg::GenderSkippedF1)), nf.number(*record.cv_f1, 3), known, folds,
                           nf.number(*record.min_f1, 2));
    }
    return fmt::format(fmt::runtime(tr(lang, Msg::GenderSkippedFew)), known);
}

}  // namespace uplift::report
