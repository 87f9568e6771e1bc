#pragma once
/// A computed report as a file: a self-contained HTML page (inline CSS, SVG and script; no URL anywhere), Markdown
/// for e-mail, or JSON for other tools. All three render the same Report, so their numbers agree.

#include <filesystem>
#include <string>

#include "uplift/report/report_model.hpp"

namespace uplift::report {

enum class OutputFormat { Html, Markdown, Json };

/// From the extension: .html/.htm, .md/.markdown, .json. Throws UsageError for any other.
OutputFormat output_format_of(const std::filesystem::path& path);

std::string render_html(const Report& report);
std::string render_markdown(const Report& report);
/// Model-quality numbers under "evaluation" are exactly artifacts::to_json() of the same evaluation (what
/// `upliftctl evaluate --json` prints); the plan's under "plan" are copied from plan.json.
std::string render_json(const Report& report);

std::string render(const Report& report, OutputFormat format);

}  // namespace uplift::report
