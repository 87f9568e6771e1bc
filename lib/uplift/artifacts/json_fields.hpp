#pragma once
/// Private helpers of the artifact serialisers (included by artifacts/*.cpp only, never by a header):
/// optional numbers as null, and reads that name the key and the file when a value has the wrong type.

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"

namespace uplift::artifacts::json_fields {

using Json = nlohmann::ordered_json;

/// The kind of a JSON value as a message names it ("must be a number, not a string").
template <class AnyJson>
const char* type_of(const AnyJson& j) {
    switch (j.type()) {
    case AnyJson::value_t::null: return "null";
    case AnyJson::value_t::object: return "an object";
    case AnyJson::value_t::array: return "an array";
    case AnyJson::value_t::string: return "a string";
    case AnyJson::value_t::boolean: return "a boolean";
    case AnyJson::value_t::binary: return "binary data";
    case AnyJson::value_t::discarded: return "nothing";
    default: return "a number";
    }
}

/// A defined, finite number, or null (JSON has no NaN; an undefined metric is written as null).
inline Json number(std::optional<double> value) {
    if (!value || !std::isfinite(*value)) return nullptr;
    return *value;
}
inline Json finite(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

/// The parsed document; DataError naming `source` when it is not JSON.
inline Json parse(std::string_view text, const std::string& source) {
    try {
        return Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw DataError(fmt::format("'{}' is not valid JSON: {}", source, e.what()));
    }
}

/// Reads one member with a message naming the key and `source` on a missing key or a wrong type.
class Reader {
public:
    Reader(const Json& j, std::string source) : j_(j), source_(std::move(source)) {
        if (!j_.is_object()) fail("", fmt::format("expected an object, found {}", j_.type_name()));
    }

    template <class T>
    T get(const char* key) const {
        const auto it = j_.find(key);
        if (it == j_.end()) fail(key, "the key is missing");
        return convert<T>(*it, key);
    }
    /// The member, or `fallback` when the key is absent (files written before the key existed).
    template <class T>
    T get_or(const char* key, T fallback) const {
        const auto it = j_.find(key);
        return it == j_.end() ? fallback : convert<T>(*it, key);
    }
    /// Null or absent -> nullopt.
    std::optional<double> number(const char* key) const {
        const auto it = j_.find(key);
        if (it == j_.end() || it->is_null()) return std::nullopt;
        return convert<double>(*it, key);
    }
    /// Null or absent -> NaN.
    double number_or_nan(const char* key) const { return number(key).value_or(std::nan("")); }
    bool has(const char* key) const { return j_.contains(key); }
    bool is_null(const char* key) const {
        const auto it = j_.find(key);
        return it == j_.end() || it->is_null();
    }
    /// A nested object, read with the key path in its messages.
    Reader object(const char* key) const { return Reader(at(key), source_ + ": " + key); }
    const Json& at(const char* key) const {
        const auto it = j_.find(key);
        if (it == j_.end()) fail(key, "the key is missing");
        return *it;
    }
    const std::string& source() const noexcept { return source_; }
    [[noreturn]] void fail(std::string_view key, std::string_view what) const {
        if (key.empty()) throw DataError(fmt::format("'{}': {}", source_, what));
        throw DataError(fmt::format("'{}': key '{}': {}", source_, key, what));
    }

private:
    template <class T>
    T convert(const Json& value, const char* key) const {
        try {
            return value.get<T>();
        } catch (const nlohmann::json::exception& e) {
            fail(key, e.what());
        }
    }

    const Json& j_;
    std::string source_;
};

}  // namespace uplift::artifacts::json_fields
