#include "uplift/io/csv_source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_blocks.hpp"
#include "uplift/core/log.hpp"
#include "uplift/io/file_writer.hpp"

namespace uplift::io {

namespace fs = std::filesystem;


bool has_mixed_line_endings(const fs::path& path) {
    std::size_t crlf = 0;
    std::size_t lf = 0;
    char previous = '\0';
    for_each_file_block(path, [&](const char* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (data[i] == '\n') (previous == '\r' ? crlf : lf) += 1;
            previous = data[i];
        }
    });
    return crlf > 0 && lf > 0;
}

CsvSource::CsvSource(fs::path path) : original_(std::move(path)) {
    if (!has_mixed_line_endings(original_)) return;
    static std::atomic<unsigned> counter{0};
    const fs::path temp = fs::temp_directory_path() /
                          fmt::format("upliftctl-{}-{}-{}", ::getpid(), counter++, original_.filename().string());
    normalised_ = temp;
    try {
        FileWriter out(temp);
        bool pending_cr = false;  // a CR at the end of a block decides only when the next byte is seen
        std::string chunk;
        for_each_file_block(original_, [&](const char* data, std::size_t n) {
            chunk.clear();
            for (std::size_t i = 0; i < n; ++i) {
                if (pending_cr && data[i] != '\n') chunk.push_back('\r');
                pending_cr = data[i] == '\r';
                if (!pending_cr) chunk.push_back(data[i]);
            }
            out.write(chunk);
        });
        if (pending_cr) out.write("\r");
        out.close();
    } catch (...) {
        // The destructor does not run for a constructor that throws: a half copy (a full /tmp) goes here.
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    log::info("'{}' mixes CRLF and LF line endings; reading a copy with LF endings", original_.string());
}

CsvSource::~CsvSource() {
    if (normalised_) {
        std::error_code ignored;
        fs::remove(*normalised_, ignored);
    }
}

}  // namespace uplift::io
