// Printing's routes (issue 17, docs/printing.md): a household's card (扶贫手册/明白卡) as PDF, every
// card of a village in one PDF, and the village register (村有册) or township book (乡有簿) as PDF or
// .xlsx. The same services the CLI runs (service/household_card.h, service/registers.h), rendered
// by io/household_card_pdf.h, io/document_pdf.h and io/document_xlsx.h. Files are downloads
// (Content-Disposition attachment, Cache-Control no-store).
//
// Scope: a household's card follows the household's visibility (404 outside the scope); an org
// unit must lie within the caller's scope (403 otherwise; 404 when unknown). Masked roles
// (MasksPersonalData): ID numbers, birth dates (year only) and phones masked in cards and
// registers as the household routes mask them.
//
// The QR code's base: ApiConfig::public_url (serve --public-url / public_url in the config file);
// else the request's own http://host[:port] when its host is the host the server listens on; else
// http://localhost:8080. A Host header alone never chooses where a printed code points.
#include <boost/json.hpp>

#include "core/access.h"
#include "io/document_pdf.h"
#include "io/household_card_pdf.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/household_card.h"
#include "service/registers.h"
#if __has_include("io/document_xlsx.h")
#include "io/document_xlsx.h"
#define JZ_HAVE_DOCUMENT_XLSX 1
#endif

namespace jz::server::routes {
namespace {

constexpr const char* kPdf = "application/pdf";
constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

Response Download(const RequestContext& c, std::string bytes, std::string_view type, const std::string& name) {
    http::response<http::string_body> res{http::status::ok, c.request.version()};
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::content_disposition, "attachment; filename=\"" + name + "\"");
    res.keep_alive(c.request.keep_alive());
    res.body() = std::move(bytes);
    res.prepare_payload();
    return res;
}

std::string BaseUrl(const ApiState& s, const RequestContext& c) {
    std::string base = s.config.public_url;
    if (base.empty()) {
        const std::string host(c.request[http::field::host]);
        std::string name = host;
        if (!name.empty() && name.front() == '[') {
            name = name.substr(0, name.find(']') + 1);
        } else if (auto colon = name.rfind(':'); colon != std::string::npos) {
            name = name.substr(0, colon);
        }
        const bool safe = !host.empty() && host.find_first_not_of(
                                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                                               std::string::npos;
        base = safe && !s.config.listen_host.empty() && name == s.config.listen_host ? "http://" + host
                                                                                      : "http://localhost:8080";
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

Response PrintFault(const RequestContext& c, const Error& e) {
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    return FaultOf(c, http::status::bad_request, e);
}

// The org unit {code} when it is known (404) and within the caller's scope (403).
const OrgUnit* UnitInScope(const ApiState& s, const RequestContext& c, const Principal& p,
                           std::optional<Response>& error) {
    const std::string& code = c.params.at("code");
    const OrgUnit* u = s.tree.Find(code);
    if (!u) {
        error.emplace(NotFound(c, "组织机构 " + code, "org unit " + code));
        return nullptr;
    }
    if (!InScope(p.scope, code)) {
        error.emplace(Forbidden(c));
        return nullptr;
    }
    return u;
}

}  // namespace

// GET /api/households/{code}/card?as_of= — the card as PDF (card-<code>.pdf).
Response HouseholdCardRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    auto as_of = s.AsOfParam(c, error);
    if (!as_of) return std::move(*error);
    service::CardOptions o{.as_of = *as_of, .mask = MasksPersonalData(p.role), .base_url = BaseUrl(s, c)};
    auto card = service::BuildHouseholdCard(store, s.plan, s.tree, h->household.household_code, o);
    if (!card) return PrintFault(c, card.error());
    auto pdf = io::RenderHouseholdCardsPdf({*card}, "扶贫手册 " + card->household_code + " " + card->head_name);
    if (!pdf) return PrintFault(c, pdf.error());
    return Download(c, std::move(pdf->bytes), kPdf, "card-" + card->household_code + ".pdf");
}

// GET /api/org-units/{code}/cards?as_of= — every card of a village (12 digits) in one PDF.
Response VillageCardsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    const OrgUnit* u = UnitInScope(s, c, p, error);
    if (!u) return std::move(*error);
    if (u->code.size() != 12 || u->level != OrgLevel::kVillage)
        return Fault(c, http::status::bad_request, "card.not_a_village", "须为村(12 位代码)",
                     "the org unit must be a village (12 digits)");
    auto as_of = s.AsOfParam(c, error);
    if (!as_of) return std::move(*error);
    service::CardOptions o{.as_of = *as_of, .mask = MasksPersonalData(p.role), .base_url = BaseUrl(s, c)};
    auto cards = service::BuildVillageCards(store, s.plan, s.tree, u->code, o);
    if (!cards) return PrintFault(c, cards.error());
    auto pdf = io::RenderHouseholdCardsPdf(*cards, "扶贫手册 " + u->name());
    if (!pdf) return PrintFault(c, pdf.error());
    return Download(c, std::move(pdf->bytes), kPdf, "cards-" + u->code + ".pdf");
}

// GET /api/org-units/{code}/register?format=xlsx|pdf&as_of=&year= — the village register (12
// digits) or the township book (9 digits).
Response RegisterRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    const OrgUnit* u = UnitInScope(s, c, p, error);
    if (!u) return std::move(*error);
    std::vector<Error> errors;
    std::string format = "pdf";
    if (auto it = c.query.find("format"); it != c.query.end() && !it->second.empty()) format = it->second;
    if (format != "pdf" && format != "xlsx")
        errors.push_back({.code = "query.format", .field = "format", .message_zh = "格式应为 pdf 或 xlsx",
                          .message_en = "format must be pdf or xlsx"});
#ifndef JZ_HAVE_DOCUMENT_XLSX
    if (format == "xlsx")
        errors.push_back({.code = "query.format", .field = "format", .message_zh = "本版本尚不能输出 xlsx",
                          .message_en = "this build cannot write .xlsx yet"});
#endif
    const auto year = YearQuery(c, errors, false);
    if (!errors.empty()) return Invalid(c, errors, true);
    const bool village = u->code.size() == 12 && u->level == OrgLevel::kVillage;
    const bool township = u->code.size() == 9 && u->level == OrgLevel::kTownship;
    if (!village && !township)
        return Fault(c, http::status::bad_request, "register.unknown_unit", "须为村(12 位)或乡镇(9 位)",
                     "the org unit must be a village (12 digits) or a township (9 digits)");
    auto as_of = s.AsOfParam(c, error);
    if (!as_of) return std::move(*error);
    auto doc = service::BuildRegister(
        store, s.plan, s.tree, u->code,
        service::RegisterOptions{.as_of = *as_of, .year = year.value_or(0), .mask = MasksPersonalData(p.role)});
    if (!doc) return PrintFault(c, doc.error());
    const std::string name = std::string(village ? "register-" : "book-") + u->code;
    if (format == "pdf") {
        auto pdf = io::RenderDocumentPdf(*doc, io::PdfLayout{.landscape = true});
        if (!pdf) return PrintFault(c, pdf.error());
        return Download(c, std::move(*pdf), kPdf, name + ".pdf");
    }
#ifdef JZ_HAVE_DOCUMENT_XLSX
    const std::string path = s.TempPath(".xlsx");
    if (auto w = io::WriteDocumentXlsx(*doc, path); !w)
        return FaultOf(c, http::status::internal_server_error, w.error());
    auto res = FileResponse(c.request, path, kXlsx, name + ".xlsx", true);
    if (!res)
        return FaultOf(c, http::status::internal_server_error,
                       Error{.code = "export.io", .field = "file", .message_zh = "无法读取生成的文件",
                             .message_en = "cannot read the written file"});
    return std::move(*res);
#else
    (void)kXlsx;
    return PrintFault(c, Error{.code = "query.format", .field = "format", .message_zh = "本版本尚不能输出 xlsx",
                               .message_en = "this build cannot write .xlsx yet"});
#endif
}

}  // namespace jz::server::routes
