#pragma once
/// How a user's CSV file is written: delimiter, decimal mark, the words that mean "missing", encoding.
/// Given, never guessed: a sniffer that guesses from a sample turns one stray quote or one odd value into
/// a different dialect for the whole file. Quotes are always RFC 4180 double quotes.

#include <cstddef>
#include <string>
#include <vector>

namespace uplift::io {

struct CsvDialect {
    char delimiter = ',';
    char decimal = '.';                   ///< '.' or ','
    std::vector<std::string> na_values;   ///< read as missing, besides the empty field
    std::string encoding = "utf-8";       ///< utf-8 or latin-1
};

/// Throws UsageError naming the flag (--delimiter, --decimal, --na-values, --encoding) of a bad setting.
void check(const CsvDialect& dialect);

/// The read_csv options for `dialect`, without sniffing: `columns` is the struct literal of names and types
/// (`{'a': 'VARCHAR', ...}`) and `max_line_size` at least the longest record.
std::string read_csv_options(const CsvDialect& dialect, const std::string& columns, std::size_t max_line_size);

/// The flag spelling of a character for messages: ',' for a comma, '\t' for a tab.
std::string show_char(char c);

}  // namespace uplift::io
