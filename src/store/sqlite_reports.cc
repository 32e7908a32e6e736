// Issued (frozen) periodic reports: migration 011's issued_reports table.
#include <sodium.h>

#include <boost/json.hpp>

#include "store/sqlite_internal.h"

namespace jz {

std::string HexBlake2b(std::string_view text) {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       nullptr, 0);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof digest);
    for (unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::string IssuedReportJson(const IssuedReport& r) {
    boost::json::object o{{"id", r.id},
                          {"kind", r.kind},
                          {"unit_code", r.unit_code},
                          {"unit_name", r.unit_name},
                          {"period", r.period},
                          {"as_of", r.as_of.ToString()},
                          {"issued_at", r.issued_at},
                          {"issued_by", r.issued_by},
                          {"hash", r.hash}};
    return boost::json::serialize(o);
}

}  // namespace jz

namespace jz::sqlite_internal {
namespace {

constexpr char kInsert[] =
    "INSERT INTO issued_reports (id, kind, unit_code, unit_name, period, as_of, issued_at, issued_by,"
    " document_json, hash, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr char kNextId[] = "SELECT coalesce(max(id), 0) + 1 FROM issued_reports";
constexpr char kExists[] = "SELECT id FROM issued_reports WHERE kind=?1 AND unit_code=?2 AND period=?3";
constexpr char kFind[] = "SELECT " JZ_ISSUED_REPORT_COLUMNS " FROM issued_reports WHERE id=?1";
constexpr char kList[] = "SELECT " JZ_ISSUED_REPORT_COLUMNS
                         " FROM issued_reports WHERE (?1 = '' OR unit_code = ?1) AND (?2 = '' OR kind = ?2)"
                         " AND (?3 = '' OR period = ?3) ORDER BY id DESC LIMIT ?4 OFFSET ?5";
constexpr char kCount[] = "SELECT count(*) FROM issued_reports WHERE (?1 = '' OR unit_code = ?1) AND (?2 = '' OR kind = ?2)"
                          " AND (?3 = '' OR period = ?3)";

void BindFilter(sqlite3_stmt* st, const IssuedReportFilter& f) {
    BindText(st, 1, f.unit_code);
    BindText(st, 2, f.kind);
    BindText(st, 3, f.period);
}

}  // namespace

IssuedReport ReadIssuedReport(sqlite3_stmt* st) {
    IssuedReport r;
    r.id = sqlite3_column_int64(st, 0);
    r.kind = Text(st, 1);
    r.unit_code = Text(st, 2);
    r.unit_name = Text(st, 3);
    r.period = Text(st, 4);
    r.as_of = Date::Parse(Text(st, 5)).value_or(Date{});
    r.issued_at = Text(st, 6);
    r.issued_by = Text(st, 7);
    r.document_json = Text(st, 8);
    r.hash = Text(st, 9);
    r.seq = sqlite3_column_int64(st, 10);
    return r;
}

Result<IssuedReport> SqliteStore::InsertIssuedReport(const IssuedReport& report, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    {
        auto st = Prepare(kExists);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, report.kind);
        BindText(*st, 2, report.unit_code);
        BindText(*st, 3, report.period);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) {
            const std::string id = std::to_string(sqlite3_column_int64(*st, 0));
            return Fail("store.duplicate", "period",
                        report.unit_name + report.period + "的" + report.kind + "报告已上报（编号 " + id + "）",
                        "the " + report.kind + " report of " + report.unit_code + " for " + report.period +
                            " is already issued (id " + id + ")");
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertIssuedReport"));
    }
    auto next = QueryInt(kNextId);
    if (!next) return std::unexpected(next.error());
    IssuedReport stored = report;
    stored.id = *next;
    stored.issued_at = change.at;
    stored.issued_by = change.actor;
    stored.hash = HexBlake2b(stored.document_json);
    stored.seq = chain_seq_ + 1;  // the entry LogChange writes next
    auto st = Prepare(kInsert);
    if (!st) return std::unexpected(st.error());
    const std::string as_of = stored.as_of.ToString();
    sqlite3_bind_int64(*st, 1, stored.id);
    BindText(*st, 2, stored.kind);
    BindText(*st, 3, stored.unit_code);
    BindText(*st, 4, stored.unit_name);
    BindText(*st, 5, stored.period);
    BindText(*st, 6, as_of);
    BindText(*st, 7, stored.issued_at);
    BindText(*st, 8, stored.issued_by);
    BindText(*st, 9, stored.document_json);
    BindText(*st, 10, stored.hash);
    sqlite3_bind_int64(*st, 11, stored.seq);
    if (auto r = StepDone(*st, "InsertIssuedReport"); !r) return std::unexpected(r.error());
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    if (auto r = LogChange(change, *county, "issued_report", std::to_string(stored.id), "insert", "",
                           IssuedReportJson(stored));
        !r)
        return std::unexpected(r.error());
    return stored;
}

Result<std::optional<IssuedReport>> SqliteStore::FindIssuedReport(int64_t id) {
    auto st = Prepare(kFind);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<IssuedReport>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindIssuedReport"));
    return std::optional<IssuedReport>(ReadIssuedReport(*st));
}

Result<std::vector<IssuedReport>> SqliteStore::ListIssuedReports(const IssuedReportFilter& filter) {
    auto st = Prepare(kList);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindFilter(*st, filter);
    sqlite3_bind_int64(*st, 4, filter.limit);
    sqlite3_bind_int64(*st, 5, filter.offset);
    std::vector<IssuedReport> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadIssuedReport(*st));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListIssuedReports"));
    return out;
}

Result<int64_t> SqliteStore::CountIssuedReports(const IssuedReportFilter& filter) {
    auto st = Prepare(kCount);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindFilter(*st, filter);
    if (sqlite3_step(*st) != SQLITE_ROW) return std::unexpected(LastError("CountIssuedReports"));
    return sqlite3_column_int64(*st, 0);
}

}  // namespace jz::sqlite_internal
