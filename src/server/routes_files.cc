// File routes: imports (an uploaded CSV or .xlsx through the importer, its record and its error
// file) and exports of the registry (CSV, .xlsx).
#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "io/exporter.h"
#include "io/importer.h"
#include "server/api_state.h"
#include "server/handlers.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr size_t kSearchLimit = 1000;  // as the household list: free-text matches considered

bool WriteUpload(const std::string& path, const std::string& body) {
    std::ofstream out(path, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    return static_cast<bool>(out.flush());
}

// The importer's summary as the API answers it: its id, and a URL for the error file, not its path.
json::value SummaryJson(const io::ImportSummary& summary) {
    json::value out = json::parse(summary.ToJson());
    auto& o = out.as_object();
    o["import_id"] = summary.import_id;
    o.erase("errors_file");
    if (!summary.errors_file.empty())
        o["errors_url"] = "/api/imports/" + std::to_string(summary.import_id) + "/errors.csv";
    return out;
}

// The import, when this user may see it: the importer, or an admin whose scope covers theirs.
std::optional<ImportRecord> VisibleImport(const ApiState& s, const RequestContext& c, const Principal& p,
                                          Store& store, std::optional<Response>& error) {
    int64_t id = 0;
    const std::string& text = c.params.at("id");
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    std::optional<ImportRecord> record;
    if (ec == std::errc() && ptr == text.data() + text.size()) {
        auto r = store.FindImport(id);
        if (!r) {
            error.emplace(StoreFault(c, r.error()));
            return std::nullopt;
        }
        record = std::move(*r);
    }
    bool allowed = record && record->actor == p.username;
    if (record && !allowed && p.role == Role::kAdmin) {
        auto owner = store.FindAccount(record->actor);
        allowed = !owner || !*owner ? p.scope == s.tree.root_code() : InScope(p.scope, (*owner)->scope);
    }
    if (!allowed) {
        error.emplace(NotFound(c, "导入 " + text, "import " + text));
        return std::nullopt;
    }
    return record;
}

// The registry as a file, with the list's filters (a masked user's ID numbers masked).
Response Export(ApiState& s, RequestContext& c, const Principal& p, Store& store, io::ExportFormat format) {
    std::vector<Error> errors;
    std::optional<Response> error;
    const IndexQuery q = s.ListFilters(c, p, errors, error);
    if (error) return std::move(*error);
    if (!errors.empty()) return Invalid(c, errors, true);
    if (auto r = s.upkeep.Refresh(store); !r) return StoreFault(c, r.error());
    const char* ext = format == io::ExportFormat::kXlsx ? ".xlsx" : ".csv";
    const std::string path = s.TempPath(ext);
    io::ExportOptions options{path, format, q.division_prefix, MasksPersonalData(p.role), {}, &s.tree};
    // The list's filters beyond the division, answered by the same index as the list; a search (q)
    // exports the households the list finds (the same at most kSearchLimit matches).
    std::unordered_set<std::string> found;
    const auto text = c.query.find("q");
    const bool search = text != c.query.end() && !TrimCell(text->second).empty();
    if (search) {
        if (auto wait = s.searches.Take(c)) {
            const std::string n = std::to_string(std::max<int64_t>(1, wait->count()));
            return TooMany(c, *wait, "search.rate_limited", "搜索过于频繁,请" + n + "秒后再试",
                           "too many searches; try again in " + n + " s");
        }
        const auto match =
            MasksPersonalData(p.role) ? SearchIndex::Match::kExactOnly : SearchIndex::Match::kFull;
        IndexQuery all = q;
        all.offset = 0;
        all.limit = static_cast<int64_t>(kSearchLimit);
        for (std::string& code : s.upkeep.Search(TrimCell(text->second), match, kSearchLimit, all).codes)
            found.insert(std::move(code));
        options.include = [&found](const Household& h) { return found.contains(h.household_code); };
    } else if (q.status || q.cause || q.measure || q.attribute || q.overdue_before || q.planned_exit_year ||
               q.exit_year) {
        options.include = [&s, &q](const Household& h) { return s.upkeep.Matches(h.household_code, q); };
    }
    auto summary = io::ExportRegistry(store, s.plan, options);
    if (!summary) return StoreFault(c, summary.error());
    auto res =
        FileResponse(c.request, path, ContentTypeOf(path), "registry-" + q.division_prefix + ext, true);
    if (!res)
        return FaultOf(c, http::status::internal_server_error,
                       Error{.code = "export.io", .field = "file", .message_zh = "无法读取导出文件", .message_en = "cannot read the exported file"});
    return std::move(*res);
}

}  // namespace

Response Import(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    const std::string& body = c.request.body();
    if (body.empty())
        return Fault(c, http::status::bad_request, "import.empty", "请上传CSV或.xlsx文件",
                     "upload a CSV or .xlsx file as the body");
    const bool xlsx = body.starts_with(std::string_view("PK\x03\x04", 4));
    std::string name = c.query.contains("filename") ? c.query.at("filename") : std::string();
    if (name.empty()) name = xlsx ? "upload.xlsx" : "upload.csv";
    const std::string path = s.TempPath(xlsx ? ".xlsx" : ".csv");
    const std::string errors_tmp = path + ".errors.csv";
    if (!WriteUpload(path, body))
        return FaultOf(c, http::status::internal_server_error,
                       Error{.code = "import.io", .field = "file", .message_zh = "无法保存上传文件", .message_en = "cannot store the uploaded file"});
    io::ImportOptions options{
        path, c.query.contains("sheet") ? c.query.at("sheet") : "", errors_tmp, s.Change(p), s.ScopeFilter(p),
        name};
    options.limits = s.config.import_limits;
    options.stop = s.import_stop.get_token();  // requested when the server stops
    auto summary = io::ImportRegistry(store, s.plan, s.tree, options);
    std::error_code ignored;
    fs::remove(path, ignored);
    if (!summary) {
        fs::remove(errors_tmp, ignored);
        const Error& e = summary.error();
        if (e.code.starts_with("store.")) return StoreFault(c, e);
        if (e.code == "import.cancelled") return FaultOf(c, http::status::service_unavailable, e);
        return FaultOf(c, http::status::bad_request, e);
    }
    if (!summary->errors_file.empty()) fs::rename(errors_tmp, s.ErrorsPath(summary->import_id), ignored);
    // An import changes many households: let the next list see them.
    if (auto r = s.upkeep.Refresh(store); !r) return StoreFault(c, r.error());
    return Json(c, http::status::ok, SummaryJson(*summary));
}

Response GetImport(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto record = VisibleImport(s, c, p, store, error);
    if (!record) return std::move(*error);
    json::error_code ec;
    json::value summary =
        record->summary_json.empty() ? json::value(nullptr) : json::parse(record->summary_json, ec);
    if (summary.is_object()) summary.as_object().erase("errors_file");  // a path on the server
    return Json(c, http::status::ok,
                json::object{{"import_id", record->id},
                             {"started_at", record->started_at},
                             {"actor", record->actor},
                             {"file_name", record->file_name},
                             {"summary", ec ? json::value(nullptr) : summary},
                             {"errors_url",
                              fs::exists(s.ErrorsPath(record->id))
                                  ? json::value("/api/imports/" + std::to_string(record->id) + "/errors.csv")
                                  : json::value(nullptr)}});
}

Response ImportErrors(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto record = VisibleImport(s, c, p, store, error);
    if (!record) return std::move(*error);
    auto res = FileResponse(c.request, s.ErrorsPath(record->id), "text/csv; charset=utf-8",
                            "import-" + std::to_string(record->id) + ".errors.csv", false);
    if (!res) return NotFound(c, "错误文件(此次导入全部接受)", "error file (the import rejected nothing)");
    return std::move(*res);
}

// An empty file in the import layout (the header row), built from the layout's own table.
Response ImportTemplate(ApiState& s, RequestContext& c, const Principal&, Store&) {
    std::string format = "xlsx";
    if (auto it = c.query.find("format"); it != c.query.end() && !it->second.empty()) format = it->second;
    if (format != "xlsx" && format != "csv")
        return Invalid(c,
                       {{.code = "query.format", .field = "format", .message_zh = "格式应为 xlsx 或 csv", .message_en = "format must be xlsx or csv"}},
                       true);
    const bool xlsx = format == "xlsx";
    const std::string ext = xlsx ? ".xlsx" : ".csv";
    const std::string path = s.TempPath(ext);
    if (auto r = io::WriteImportTemplate(path, xlsx ? io::ExportFormat::kXlsx : io::ExportFormat::kCsv); !r)
        return FaultOf(c, http::status::internal_server_error, r.error());
    auto res = FileResponse(c.request, path, ContentTypeOf(path), "import-template" + ext, true);
    if (!res)
        return FaultOf(c, http::status::internal_server_error,
                       Error{.code = "export.io", .field = "file", .message_zh = "无法读取模板文件", .message_en = "cannot read the template file"});
    return std::move(*res);
}

Response ExportCsv(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    return Export(s, c, p, store, io::ExportFormat::kCsv);
}

Response ExportXlsx(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    return Export(s, c, p, store, io::ExportFormat::kXlsx);
}

}  // namespace jz::server::routes
