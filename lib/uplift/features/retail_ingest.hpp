#pragma once
/// `ingest` retail mode, whole. It sits in features/ because it composes two layers: data/ checks and
/// types the input tables (data/ingest_retail.hpp), then the derived tables that `features` reads
/// (retail_derived.hpp) are written beside them, into the same folder, before it appears under its final
/// name. data/ stays below features/ (the layer order that tests/unit/test_layers.cpp enforces).

#include "uplift/data/ingest_retail.hpp"
#include "uplift/io/session.hpp"

namespace uplift::features {

/// Checks and types the tables and writes `options.out` atomically: the typed Parquet tables, the derived
/// tables transactions.parquet and product_firsts.parquet, rejects/ and ingest.json (which lists the counts
/// of both). Throws DataError for a missing header column or a table whose reject rate exceeds the limit,
/// and writes nothing under `options.out` then.
data::RetailIngestSummary ingest_retail(io::Session& session, const data::RetailIngestOptions& options);

}  // namespace uplift::features
