#pragma once
/// The feature manifest of retail features: what each output column means. It travels in the output's
/// metadata so `features --list`, a report or an analyst can explain any column without the code. The
/// record and its JSON are an artifact (artifacts/table_metadata.hpp).

#include "uplift/artifacts/table_metadata.hpp"

namespace uplift::features {

using artifacts::RetailFeature;

}  // namespace uplift::features
