#include "uplift/artifacts/plan_manifest.hpp"

#include "uplift/artifacts/json_fields.hpp"

namespace uplift::artifacts {

using json_fields::Json;

std::string to_json(const PlanManifest& m) {
    Json files = Json::array();
    for (const PlanManifestFile& f : m.files) {
        files.push_back({{"value", f.value},
                         {"file", f.file},
                         {"rows", f.rows},
                         {"contacts", f.contacts},
                         {"held_out", f.held_out}});
    }
    const Json j = {{"split_by", m.split_by}, {"format", m.format},     {"separator", m.separator},
                    {"bom", m.bom},           {"columns", m.columns},   {"plan_json", m.plan_json},
                    {"rows", m.rows},         {"files", std::move(files)}};
    return j.dump(2) + "\n";
}

PlanManifest plan_manifest_from_json(std::string_view text, const std::string& source) {
    const Json doc = json_fields::parse(text, source);
    const json_fields::Reader r(doc, source);
    PlanManifest m;
    m.split_by = r.get<std::string>("split_by");
    m.format = r.get<std::string>("format");
    m.separator = r.get_or<std::string>("separator", "");
    m.bom = r.get_or<bool>("bom", false);
    m.columns = r.get_or<std::vector<std::string>>("columns", {});
    m.plan_json = r.get_or<std::string>("plan_json", "");
    m.rows = r.get<std::int64_t>("rows");
    const Json& files = r.at("files");
    if (!files.is_array()) r.fail("files", "expected an array");
    for (const Json& f : files) {
        const json_fields::Reader fr(f, source + ": files[]");
        m.files.push_back(PlanManifestFile{fr.get<std::string>("value"), fr.get<std::string>("file"),
                                           fr.get<std::int64_t>("rows"), fr.get_or<std::int64_t>("contacts", 0),
                                           fr.get_or<std::int64_t>("held_out", 0)});
    }
    return m;
}

}  // namespace uplift::artifacts
