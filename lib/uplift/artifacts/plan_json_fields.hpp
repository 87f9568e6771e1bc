#pragma once
/// Private helpers of the plan and ingest-summary serialisers (included by artifacts/*.cpp only, never by a
/// header).

#include <nlohmann/json.hpp>

namespace uplift::artifacts::plan_json_fields {

/// The kind of a JSON value as a message names it ("must be a number, not a string").
template <class Json>
const char* type_of(const Json& j) {
    switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "nothing";
    default: return "a number";
    }
}

}  // namespace uplift::artifacts::plan_json_fields
