#pragma once
/// Parameters declared once, in XGBoost's manner (DMLC_DECLARE_FIELD): name, flag, default, bounds and
/// help in one place. A stage declares its parameters as constants and binds them to its options struct
/// in one ParamTable; from that table come the library's checks, the record of the run (model.json
/// `parameters`), the CLI options (apps/upliftctl/cli_common.hpp: add_param) and the rows a docs test
/// compares with the command's options table.

#include <fmt/format.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "uplift/core/errors.hpp"

namespace uplift {

/// How a value is written in a record, a message and the docs: fmt's shortest round trip for a double
/// (what model.json has always carried), plain decimal for an integer.
template <class T>
std::string param_text(const T& value) {
    return fmt::format("{}", value);
}

/// A numeric parameter. Bounds are inclusive; `off`, when set, is one more accepted value outside them
/// that switches the feature off (e.g. --cv 0); a parameter with `off` has both bounds.
template <class T>
struct Param {
    std::string_view name;  ///< key in the run's record; names the value in messages when there is no flag
    std::string_view flag;  ///< CLI flag ("--max-depth"); empty when only the library sets it
    T default_value{};
    std::optional<T> min, max;
    std::optional<T> off;
    std::string_view help;

    /// What a message calls the parameter: its flag, or its name for a library-only parameter.
    std::string_view label() const { return flag.empty() ? name : flag; }

    /// "[1, 32]", ">= 0", "<= 5", "0 or [2, 100]", or "" when unbounded.
    std::string range_text() const {
        std::string range;
        if (min && max) {
            range = fmt::format("[{}, {}]", param_text(*min), param_text(*max));
        } else if (min) {
            range = ">= " + param_text(*min);
        } else if (max) {
            range = "<= " + param_text(*max);
        }
        if (off && !range.empty()) return fmt::format("{} or {}", param_text(*off), range);
        return range;
    }

    /// Why `value` is refused ("--holdout must be in [0, 0.9], got 0.95"), or nothing when it is accepted.
    /// The negated comparisons also refuse a NaN.
    std::optional<std::string> violation(const T& value) const {
        if (off && value == *off) return std::nullopt;
        const bool low = min && !(value >= *min);
        const bool high = max && !(value <= *max);
        if (!low && !high) return std::nullopt;
        if (off) {
            return fmt::format("{} must be {} (off) or in [{}, {}], got {}", label(), param_text(*off),
                               param_text(*min), param_text(*max), param_text(value));
        }
        return fmt::format("{} must be {}{}, got {}", label(), min && max ? "in " : "", range_text(), param_text(value));
    }

    /// UsageError (exit 2) with violation()'s message.
    void check(const T& value) const {
        if (auto message = violation(value)) throw UsageError(*message);
    }
};

/// A text parameter: one of `choices` (empty: free text). An empty default means "not set".
struct TextParam {
    std::string_view name;
    std::string_view flag;
    std::string_view default_value;
    std::span<const std::string_view> choices;
    std::string_view help;

    std::string_view label() const { return flag.empty() ? name : flag; }
    /// "s|t|x" for a choice, "" for free text.
    std::string range_text() const { return fmt::format("{}", fmt::join(choices, "|")); }
};

/// One declared parameter as the docs show it: flag (or name), default and accepted values, as text.
struct ParamRow {
    std::string name;
    std::string flag;
    std::string default_text;
    std::string range_text;
};

/// A stage's parameters bound to its options struct. Each entry reads its value from the options and
/// says whether the run records it (some are recorded only when they apply, e.g. --dr-folds).
template <class Options>
class ParamTable {
public:
    using Applies = bool (*)(const Options&);
    template <class T>
    struct Field {
        const Param<T>* param;
        T (*get)(const Options&);
        Applies recorded;  ///< nullptr: always recorded
    };
    struct TextField {
        const TextParam* param;
        std::string (*get)(const Options&);  ///< the recorded text
        Applies recorded;                    ///< nullptr: always; never() for a parameter kept elsewhere
    };
    using Entry = std::variant<Field<int>, Field<double>, TextField>;

    static bool never(const Options&) { return false; }

    ParamTable(std::initializer_list<Entry> entries) : entries_(entries) {}

    /// Checks every numeric parameter in declaration order; the first violation is a UsageError.
    void check(const Options& options) const {
        for (const auto& e : entries_) {
            if (const auto* i = std::get_if<Field<int>>(&e)) i->param->check(i->get(options));
            if (const auto* d = std::get_if<Field<double>>(&e)) d->param->check(d->get(options));
        }
    }

    /// The run's record: name → value text, for every parameter that applies.
    std::map<std::string, std::string> record(const Options& options) const {
        std::map<std::string, std::string> out;
        for (const auto& e : entries_) {
            std::visit(
                [&](const auto& f) {
                    if (f.recorded != nullptr && !f.recorded(options)) return;
                    out[std::string(f.param->name)] = param_text(f.get(options));
                },
                e);
        }
        return out;
    }

    /// Every declaration, in order, as the docs show it.
    std::vector<ParamRow> rows() const {
        std::vector<ParamRow> out;
        for (const auto& e : entries_) {
            std::visit(
                [&](const auto& f) {
                    const auto& p = *f.param;
                    out.push_back({std::string(p.name), std::string(p.flag), param_text(p.default_value),
                                   p.range_text()});
                },
                e);
        }
        return out;
    }

    /// Names of the parameters whose value in `options` differs from the declared default (a test that
    /// the options struct's initialisers agree with the declarations expects none).
    std::vector<std::string> not_at_default(const Options& options) const {
        std::vector<std::string> out;
        for (const auto& e : entries_) {
            std::visit(
                [&](const auto& f) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(f)>, TextField>) {
                        if (f.param->default_value.empty()) return;
                        if (f.get(options) != f.param->default_value) out.emplace_back(f.param->name);
                    } else {
                        if (f.get(options) != f.param->default_value) out.emplace_back(f.param->name);
                    }
                },
                e);
        }
        return out;
    }

private:
    std::vector<Entry> entries_;
};

}  // namespace uplift
