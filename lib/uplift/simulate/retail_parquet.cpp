#include <fmt/format.h>

#include "uplift/io/file_writer.hpp"
#include "uplift/io/parquet_options.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/simulate/retail_files.hpp"

namespace uplift::simulate {

namespace {

/// {'client_id': 'VARCHAR', ...} from a header line: every column read as text, no type sniffing.
std::string text_columns(const std::string& header) {
    std::string out = "{";
    std::string name;
    for (const char ch : header) {
        if (ch == ',' || ch == '\n') {
            if (out.size() > 1) out += ", ";
            out += io::quote_literal(name) + ": 'VARCHAR'";
            name.clear();
        } else {
            name.push_back(ch);
        }
    }
    return out + "}";
}

}  // namespace

void convert_to_parquet(const std::filesystem::path& dir, const std::vector<CsvTable>& tables, int threads) {
    // DuckDB streams CSV to Parquet in bounded memory; insertion order is kept (its default), so the
    // rows stay in the CSV's order.
    io::Session session({.threads = threads, .memory_limit = "2GB"});
    for (const auto& table : tables) {
        const auto csv = dir / (table.name + ".csv");
        const auto parquet = dir / (table.name + ".parquet");
        session.execute(fmt::format(
            "COPY (SELECT * FROM read_csv({}, header = true, delim = ',', quote = '\"', escape = '\"', "
            "auto_detect = false, columns = {})) TO {} ({})",
            io::quote_literal(csv.string()), text_columns(table.header), io::quote_literal(parquet.string()),
            io::parquet_copy_options));
        std::filesystem::remove(csv);
    }
}

void convert_tables_to_parquet(const std::filesystem::path& dir, int threads) {
    convert_to_parquet(dir,
                       {{"clients", clients_header}, {"products", products_header}, {"purchases", purchases_header},
                        {"campaign", campaign_header}},
                       threads);
}

void write_products(const std::filesystem::path& dir, const ProductCatalogue& products, const IdCoder& ids) {
    io::FileWriter file(dir / "products.csv");
    std::string text = products_header;
    products.append_csv(text, ids);
    file.write(text);
    file.close();
}

void write_summary(const std::filesystem::path& dir, const std::string& json) {
    io::FileWriter file(dir / "simulate.json");
    file.write(json);
    file.close();
}

}  // namespace uplift::simulate
