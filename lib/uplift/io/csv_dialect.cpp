#include "uplift/io/csv_dialect.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "uplift/core/errors.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

std::string show_char(char c) {
    if (c == '\t') return "'\\t'";
    return fmt::format("'{}'", c);
}

void check(const CsvDialect& d) {
    if (d.delimiter == '"' || d.delimiter == '\n' || d.delimiter == '\r' || d.delimiter == '\0') {
        throw UsageError(fmt::format("--delimiter {} cannot separate fields; give one character such as ',' ';' "
                                     "or '\\t'", show_char(d.delimiter)));
    }
    if (d.decimal != '.' && d.decimal != ',') {
        throw UsageError(fmt::format("--decimal {} is not a decimal mark; give '.' or ','", show_char(d.decimal)));
    }
    if (d.decimal == d.delimiter) {
        throw UsageError(fmt::format("--decimal {} is also the --delimiter; a file with decimal commas is usually "
                                     "separated by ';' (--delimiter ';')", show_char(d.decimal)));
    }
    for (const auto& v : d.na_values) {
        if (v.empty() || v.find_first_of("\"\r\n") != std::string::npos) {
            throw UsageError(fmt::format("--na-values: '{}' cannot be a missing-value word (empty, or holds a quote "
                                         "or line break)", v));
        }
    }
    if (d.encoding != "utf-8" && d.encoding != "latin-1") {
        throw UsageError(fmt::format("--encoding '{}' is not supported; give utf-8 or latin-1, or convert the file "
                                     "first (iconv -f {} -t utf-8)", d.encoding, d.encoding));
    }
}

std::string read_csv_options(const CsvDialect& d, const std::string& columns, std::size_t max_line_size) {
    std::string nulls = "''";
    for (const auto& v : d.na_values) nulls += ", " + quote_literal(v);
    // DuckDB's default limit is 2 MB a line; a longer (measured) record must still read, with its own number.
    const std::size_t line_size = std::max<std::size_t>(max_line_size + 1024, 2000000);
    return fmt::format("header = true, auto_detect = false, columns = {}, delim = {}, quote = '\"', escape = '\"', "
                       "comment = '', skip = 0, decimal_separator = {}, nullstr = [{}], encoding = {}, "
                       "max_line_size = {}",
                       columns, quote_literal(std::string(1, d.delimiter)), quote_literal(std::string(1, d.decimal)),
                       nulls, quote_literal(d.encoding), line_size);
}

}  // namespace uplift::io
