// What every API handler shares to read a request and write an answer: JSON answers, errors and
// their statuses ({"error": {"code", "message", "fields"}}), query and path parameters, JSON bodies
// read field by field, versions (ETag / If-Match), files sent as downloads, and the masked views of
// households and persons. Stateless: every function here may run on any thread at once; the
// references it takes are used only during the call.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/error.h"
#include "core/household.h"
#include "server/http.h"
#include "service/household_input.h"
#include "store/store.h"

namespace jz::server {


// The session cookie's name.
inline constexpr std::string_view kCookie = "jz_session";
inline constexpr int64_t kMaxPageSize = 200;

// ------------------------------------------------------------------------------------- answers

Response Json(const RequestContext& c, http::status status, const boost::json::value& v);
boost::json::array FieldsJson(const std::vector<Error>& fields);
// 429 with Retry-After (whole seconds, at least one) and no caching.
Response TooMany(const RequestContext& c, std::chrono::seconds wait, std::string_view code,
                 const std::string& zh, const std::string& en);
Response Fault(const RequestContext& c, http::status status, std::string_view code, const std::string& zh,
               const std::string& en, const std::vector<Error>& fields = {});
// A domain error: its field becomes the one field entry.
Response FaultOf(const RequestContext& c, http::status status, const Error& e);
// Store failures: a conflict or a lock is the client's to retry; anything else is ours.
Response StoreFault(const RequestContext& c, const Error& e);
Response NotFound(const RequestContext& c, const std::string& what_zh, const std::string& what_en);
Response Forbidden(const RequestContext& c);
// 400 named after the first field error, with all of them.
Response BadFields(const RequestContext& c, const std::vector<Error>& errors);
// 400 "request.invalid" with every field error (`what`: which part of the request was wrong).
Response Invalid(const RequestContext& c, const std::vector<Error>& errors, bool query);
// A refused or failed service operation (service::KindOf), by what it means to the client.
Response DynamicFault(const RequestContext& c, const Error& e);

// ------------------------------------------------------------------------------------- reading

std::string CookieValue(const Request& request, std::string_view name);
// An integer query parameter in [lo, hi]; nullopt when absent (or after adding an error).
std::optional<int64_t> IntParam(const RequestContext& c, const std::string& name,
                                std::vector<Error>& errors, int64_t lo, int64_t hi);
// A code-table parameter: the code or its name.
std::optional<int> CodeParam(const RequestContext& c, const std::string& name, const CodeTable& table,
                             std::vector<Error>& errors);
// ?year= in 1900..2100 (query.required when `required` and absent).
std::optional<int> YearQuery(const RequestContext& c, std::vector<Error>& errors, bool required);
// A positive integer path parameter ({id}); nullopt when it is not one.
std::optional<int64_t> IdParam(const RequestContext& c, const std::string& name);
// The {year} path parameter in 1900..2100.
std::optional<int> YearPath(const RequestContext& c);

boost::json::value ParseJson(const std::string& body, std::vector<Error>& errors);
// The body as a JSON object: malformed JSON or another kind of value is an error on "body".
boost::json::value ParseJsonObject(const std::string& body, std::vector<Error>& errors);
// A string member, or "" when absent or not a string.
std::string Str(const boost::json::object& o, std::string_view key);

// A request body that must be a JSON object with only the `allowed` keys (a misspelt key would
// otherwise be ignored silently); its typed fields are read one by one, each bad field or unknown
// key adding its error. ok() says whether the body is an object at all, which a handler answers
// before reading fields.
struct BodyReader {
    BodyReader(const std::string& body, std::initializer_list<std::string_view> allowed);
    boost::json::value value;
    std::vector<Error> errors;
    bool parsed = false;
    bool ok() const { return parsed; }
    const boost::json::object& object() const { return value.get_object(); }
    std::optional<std::string> Text(std::string_view key, bool required);
    std::optional<int64_t> Int(std::string_view key, bool required, int64_t lo, int64_t hi);
    std::optional<Date> DateField(std::string_view key, bool required);
};

// ------------------------------------------------------------------------------------ versions

std::string ETagOf(int64_t version);
enum class IfMatch { kMissing, kMatches, kStale };
// The request's If-Match against the stored version ("*" matches any).
IfMatch CheckIfMatch(const RequestContext& c, int64_t version);

// ------------------------------------------------------------------------------ personal data

// A person / a household JSON object as a masked user sees them (access.h, "What a masked user may
// learn"): the ID number's address code only, the birth year in place of the birth date, the phone
// masked.
void MaskPersonJson(boost::json::object& person);
void MaskHouseholdJson(boost::json::object& h);
// The household JSON with its version, masked for roles that may not see personal data.
std::string HouseholdBody(const Household& h, int64_t version, bool mask);
// A change-log entry as the API shows it (before/after parsed back to JSON).
boost::json::object EntryJson(const ChangeLogEntry& e);
// Reports carry the change log's head, so an issued report anchors the chain outside the database
// (jingzhun audit verify --head; docs/architecture.md).
boost::json::value WithChainHead(Store& store, boost::json::value report);

// -------------------------------------------------------------------------------------- files

std::string_view ContentTypeOf(const std::filesystem::path& p);
// Sends a file of the API (an export, an import's error file) with Cache-Control: no-store; when
// `remove` the name is unlinked once open (the open descriptor keeps it readable). nullopt when it
// cannot be opened. (The workbench's files: StaticFile, static_files.h.)
std::optional<Response> FileResponse(const Request& request, const std::filesystem::path& path,
                                     std::string_view content_type, const std::string& download_name,
                                     bool remove);

}  // namespace jz::server
