#pragma once
/// The report's one line on the recovered gender of retail features (features --impute-gender), from the
/// record train copied into model.json: how many clients got a predicted gender and how well the
/// cross-validation measured it, or that imputation was skipped and why.

#include <string>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/report/i18n.hpp"
#include "uplift/report/number_format.hpp"

namespace uplift::report {

/// Plain text in the report's language (the renderers escape it).
std::string gender_line(const artifacts::GenderImputation& record, Lang lang, const NumberFormat& nf);

}  // namespace uplift::report
