#include "uplift/report/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "uplift/core/errors.hpp"

namespace uplift::report {

OutputFormat output_format_of(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".html" || ext == ".htm") return OutputFormat::Html;
    if (ext == ".md" || ext == ".markdown") return OutputFormat::Markdown;
    if (ext == ".json") return OutputFormat::Json;
    throw UsageError(fmt::format("--out '{}': unknown report format '{}'; use .html, .md or .json", path.string(),
                                 ext.empty() ? "(none)" : ext));
}

std::string render(const Report& report, OutputFormat format) {
    switch (format) {
    case OutputFormat::Html: return render_html(report);
    case OutputFormat::Markdown: return render_markdown(report);
    case OutputFormat::Json: return render_json(report);
    }
    throw InternalError("unknown report format");
}

}  // namespace uplift::report
