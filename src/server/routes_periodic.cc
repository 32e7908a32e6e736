// The periodic reports' routes (docs/api.md "Periodic reports"): a report built for a unit and
// period as JSON, .xlsx or PDF; issuing (freezing) one; the issued reports listed, shown as stored
// and compared with the previous one; the submission schedule. A township's account may ask for its
// township and villages; the county's and the battle offices' reports need a county account.
#include <limits>
#include <cstdio>

#include "core/access.h"
#include "io/document_xlsx.h"
#include "server/api_state.h"
#include "server/auth.h"
#include "server/handlers.h"
#include "server/request.h"
#include "service/document_json.h"
#include "service/periodic_reports.h"
#include "service/report_issue.h"
#if __has_include("io/document_pdf.h")
#include "io/document_pdf.h"
#define JZ_HAVE_DOCUMENT_PDF 1
#endif

namespace jz::server::routes {
namespace {
namespace json = boost::json;

std::string Query(const RequestContext& c, const std::string& name) {
    auto it = c.query.find(name);
    return it == c.query.end() ? std::string() : it->second;
}

Error Field(std::string code, std::string field, std::string zh, std::string en) {
    return {.code = std::move(code), .field = std::move(field), .message_zh = std::move(zh), .message_en = std::move(en)};
}

// A report's unit in the caller's scope: an org unit under it, or (a county account) a battle.
std::optional<Response> CheckUnit(ApiState& s, RequestContext& c, const Principal& p, const std::string& unit) {
    auto resolved = service::ResolveReportUnit(s.plan, s.tree, unit);
    if (!resolved) return FaultOf(c, http::status::not_found, resolved.error());
    const bool county_account = p.scope == s.tree.root_code();
    if (!resolved->battle.empty() || resolved->level == OrgLevel::kCounty) {
        if (!county_account) return Forbidden(c);
    } else if (!InScope(p.scope, resolved->code)) {
        return Forbidden(c);
    }
    return std::nullopt;
}

// Service errors by what they mean to the client.
Response ReportFault(const RequestContext& c, const Error& e) {
    if (e.code.starts_with("period.")) return Invalid(c, {e}, true);
    if (e.code == "report.unknown_unit" || e.code == "report.not_found" || e.code == "report.no_previous")
        return FaultOf(c, http::status::not_found, e);
    if (e.code == "report.already_issued") return FaultOf(c, http::status::conflict, e);
    if (e.code == "report.future_period") return FaultOf(c, http::status::unprocessable_entity, e);
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    return FaultOf(c, http::status::internal_server_error, e);
}

// The document as json ({"document"} plus `extra`), or as an .xlsx / PDF download.
Response Send(ApiState& s, RequestContext& c, const Document& doc, const std::string& format, json::object extra,
              http::status status = http::status::ok) {
    const std::string name = "report-" + doc.kind + "-" + doc.unit_code + "-" + doc.period;
    if (format.empty() || format == "json") {
        extra["document"] = service::DocumentJson(doc);
        return Json(c, status, extra);
    }
    if (format == "xlsx") {
        const std::string path = s.TempPath(".xlsx");
        if (auto w = io::WriteDocumentXlsx(doc, path); !w) return FaultOf(c, http::status::internal_server_error, w.error());
        auto res = FileResponse(c.request, path, ContentTypeOf(path), name + ".xlsx", true);
        if (!res) return Fault(c, http::status::internal_server_error, "report.io", "无法读取报告文件", "cannot read the report file");
        return std::move(*res);
    }
    if (format == "pdf") {
#ifdef JZ_HAVE_DOCUMENT_PDF
        auto bytes = io::RenderDocumentPdf(doc, io::PdfLayout{});
        if (!bytes) return FaultOf(c, http::status::internal_server_error, bytes.error());
        const std::string path = s.TempPath(".pdf");
        FILE* f = std::fopen(path.c_str(), "wb");
        const bool ok = f != nullptr && std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
        if (f != nullptr) std::fclose(f);
        auto res = ok ? FileResponse(c.request, path, "application/pdf", name + ".pdf", true) : std::nullopt;
        if (!res) return Fault(c, http::status::internal_server_error, "report.io", "无法写出 PDF", "cannot write the PDF");
        return std::move(*res);
#else
        return Fault(c, http::status::not_implemented, "report.pdf_unavailable", "此版本不能生成 PDF",
                     "this build cannot render PDF");
#endif
    }
    return Invalid(c, {Field("query.invalid", "format", "format 应为 json、xlsx 或 pdf", "format must be json, xlsx or pdf")},
                   true);
}

bool MayIssue(const Principal& p) { return p.role == Role::kAdmin || p.role == Role::kOfficer; }

// The issued report `id`, when in the caller's scope (404 otherwise: its existence is not told).
Result<IssuedReport> IssuedInScope(ApiState& s, const Principal& p, Store& store, int64_t id,
                                   std::optional<Response>& error, RequestContext& c) {
    auto r = service::FindIssued(store, id);
    if (!r) {
        error = ReportFault(c, r.error());
        return std::unexpected(r.error());
    }
    if (auto denied = CheckUnit(s, c, p, r->unit_code)) {
        error = NotFound(c, "已上报报告 " + std::to_string(id), "issued report " + std::to_string(id));
        return Fail("report.not_found", "id", "", "");
    }
    return r;
}

}  // namespace

// GET /api/reports/periodic?kind=&unit=&period=&format=json|xlsx|pdf
Response PeriodicReportRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto kind = ParsePeriodKind(Query(c, "kind"));
    std::vector<Error> errors;
    if (!kind) errors.push_back(Field("query.invalid", "kind", "kind 应为 weekly、monthly、quarterly 或 annual",
                                      "kind must be weekly, monthly, quarterly or annual"));
    const std::string unit = Query(c, "unit").empty() ? p.scope : Query(c, "unit");
    if (Query(c, "period").empty())
        errors.push_back(Field("query.required", "period", "需要 period", "period is required"));
    if (!errors.empty()) return Invalid(c, errors, true);
    if (auto denied = CheckUnit(s, c, p, unit)) return std::move(*denied);
    auto doc = service::BuildPeriodicReport(store, s.plan, s.tree, *kind, unit, Query(c, "period"), s.Today());
    if (!doc) return ReportFault(c, doc.error());
    return Send(s, c, *doc, Query(c, "format"), {});
}

// POST /api/reports/issued {kind, unit, period} (officer, admin)
Response IssueReportRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!MayIssue(p)) return Forbidden(c);
    BodyReader body(c.request.body(), {"kind", "unit", "period"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    const std::string kind_text = body.Text("kind", true).value_or("");
    const std::string unit = body.Text("unit", true).value_or("");
    const std::string period = body.Text("period", true).value_or("");
    const auto kind = ParsePeriodKind(kind_text);
    if (!kind_text.empty() && !kind)
        body.errors.push_back(Field("request.invalid", "kind", "kind 应为 weekly、monthly、quarterly 或 annual",
                                    "kind must be weekly, monthly, quarterly or annual"));
    if (!body.errors.empty()) return BadFields(c, body.errors);
    if (auto denied = CheckUnit(s, c, p, unit)) return std::move(*denied);
    auto issued = service::IssueReport(store, s.plan, s.tree, *kind, unit, period, s.Today(), s.Change(p));
    if (!issued) {
        if (issued.error().code.starts_with("period.")) return BadFields(c, {issued.error()});
        return ReportFault(c, issued.error());
    }
    auto doc = service::DocumentFromJson(issued->document_json);
    if (!doc) return FaultOf(c, http::status::internal_server_error, doc.error());
    return Json(c, http::status::created,
                json::object{{"issued", service::IssuedMetaJson(*issued)}, {"document", service::DocumentJson(*doc)}});
}

// GET /api/reports/issued?unit=&kind=&limit=&offset=
Response ListIssuedRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    const auto limit = IntParam(c, "limit", errors, 1, kMaxPageSize);
    const auto offset = IntParam(c, "offset", errors, 0, int64_t{1} << 40);
    const std::string kind = Query(c, "kind");
    if (!kind.empty() && !ParsePeriodKind(kind))
        errors.push_back(Field("query.invalid", "kind", "kind 应为 weekly、monthly、quarterly 或 annual",
                               "kind must be weekly, monthly, quarterly or annual"));
    if (!errors.empty()) return Invalid(c, errors, true);
    std::string unit = Query(c, "unit");
    // A county account sees every unit's; another account its own unit's unless it names one in scope.
    if (unit.empty() && p.scope != s.tree.root_code()) unit = p.scope;
    if (!unit.empty())
        if (auto denied = CheckUnit(s, c, p, unit)) return std::move(*denied);
    IssuedReportFilter f{.unit_code = unit, .kind = kind, .offset = offset.value_or(0), .limit = limit.value_or(50)};
    auto list = store.ListIssuedReports(f);
    if (!list) return StoreFault(c, list.error());
    auto total = store.CountIssuedReports(f);
    if (!total) return StoreFault(c, total.error());
    json::array items;
    for (const IssuedReport& r : *list) items.push_back(service::IssuedMetaJson(r));
    return Json(c, http::status::ok, json::object{{"issued", std::move(items)}, {"total", *total}});
}

// GET /api/reports/issued/{id}?format=json|xlsx|pdf — the stored document, never recomputed.
Response GetIssuedRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "已上报报告", "issued report");
    std::optional<Response> error;
    auto issued = IssuedInScope(s, p, store, *id, error, c);
    if (!issued) return std::move(*error);
    auto doc = service::DocumentFromJson(issued->document_json);
    if (!doc) return FaultOf(c, http::status::internal_server_error, doc.error());
    return Send(s, c, *doc, Query(c, "format"), json::object{{"issued", service::IssuedMetaJson(*issued)}});
}

// GET /api/reports/issued/{id}/compare?with=ID
Response CompareIssuedRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "已上报报告", "issued report");
    std::vector<Error> errors;
    const auto with = IntParam(c, "with", errors, 1, std::numeric_limits<int64_t>::max());
    if (!errors.empty()) return Invalid(c, errors, true);
    std::optional<Response> error;
    auto issued = IssuedInScope(s, p, store, *id, error, c);
    if (!issued) return std::move(*error);
    if (with) {
        auto other = IssuedInScope(s, p, store, *with, error, c);
        if (!other) return std::move(*error);
    }
    auto compared = service::CompareIssued(store, *id, with);
    if (!compared) return ReportFault(c, compared.error());
    return Json(c, http::status::ok, service::ComparedJson(*compared));
}

// GET /api/reports/due?unit=&as_of=
Response ReportsDueRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    const auto as_of = s.AsOfParam(c, error);
    if (!as_of) return std::move(*error);
    std::string unit = Query(c, "unit");
    if (unit.empty() && p.scope != s.tree.root_code()) unit = p.scope;
    if (!unit.empty())
        if (auto denied = CheckUnit(s, c, p, unit)) return std::move(*denied);
    auto items = service::ReportsDue(store, s.plan, s.tree, *as_of, unit, 500);
    if (!items) return ReportFault(c, items.error());
    return Json(c, http::status::ok, service::DueJson(*as_of, *items));
}

}  // namespace jz::server::routes
