// Pairing from the command line (结对帮扶): `cadre list|add`, `pairing assign|set|end|list`,
// `team add|end|days|list`, `visit add|list|overdue`, `place set`. Each command is thin: it reads
// its options, calls service/pairing.h and prints (human text in Chinese and English, or the API's
// JSON with --json). Exit statuses, as the assistance commands': 0 done; 2 usage or unusable input
// (also an unknown household, cadre or team member); 4 refused by the current state (a household
// exited, a cadre over quota or not serving, the same cadre, a stale proposal, a changed household,
// a reused client id, a second first secretary, a stale --version), the code named in brackets;
// 1 the database failed. `cadre import|export` (cadre_exchange_commands.cc) attach to the same
// `cadre` parent through CadreCommand. docs/pairing.md describes the rules.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "core/codes.h"
#include "core/text.h"
#include "service/pairing.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

std::unexpected<Error> Usage(const std::string& option, const std::string& zh, const std::string& en) {
    return Fail("usage.option", option, zh, en);
}

Result<int> CodeOption(const CodeTable& table, const std::string& text, const std::string& option) {
    if (auto code = table.Parse(text)) return *code;
    std::string names;
    for (const CodeEntry& e : table.entries) {
        if (!names.empty()) names += ", ";
        names += std::to_string(e.code) + " " + std::string(e.name);
    }
    return Usage(option, option + " 不是" + std::string(table.label_zh) + "的代码或名称: " + text + "(可用: " + names + ")",
                 option + " is not a code or name of " + std::string(table.id) + ": " + text + " (one of: " + names +
                     ")");
}

Result<std::optional<Date>> OptionalDate(const std::string& text, const std::string& option) {
    if (text.empty()) return std::optional<Date>{};
    auto d = ParseDateOption(text, option);
    if (!d) return std::unexpected(d.error());
    return std::optional<Date>(*d);
}

// The day an option names, or today.
Result<Date> DayOr(const std::string& text, const std::string& option) {
    if (text.empty()) return Today();
    return ParseDateOption(text, option);
}

int Width(std::string_view s) {
    int w = 0;
    size_t pos = 0;
    while (pos < s.size()) {
        const char32_t c = NextCharacter(s, &pos);
        w += c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
                             (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
                             (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000)
                 ? 2
                 : 1;
    }
    return w;
}

std::string Pad(std::string_view s, int width) {
    std::string out(s);
    for (int w = Width(s); w < width; ++w) out += ' ';
    return out;
}

// Prints rows as columns padded to the widest cell (display width: a Chinese character is two).
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
    std::vector<int> widths;
    for (const auto& row : rows)
        for (size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], Width(row[i]));
        }
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) line += (i + 1 < row.size() ? Pad(row[i], widths[i] + 2) : row[i]);
        std::printf("%s\n", line.c_str());
    }
}

std::string S(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_null()) return "";
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    return json::serialize(v);
}

std::string Opt(const std::optional<Date>& d) { return d ? d->ToString() : std::string(); }

std::string RankName(int rank) { return std::to_string(rank) + " " + Str(codes::CadreRank().NameOf(rank)); }

int Fails(const Error& e) { return ReportFailure(e); }

// ------------------------------------------------------------------------------------- cadres

struct CadreListOptions {
    std::string unit, rank, active_on, name;
    int64_t limit = 1000;
};

struct CadreAddOptions {
    std::string name, id_number, unit, rank = "9", phone, township, from, to;
};

json::object CadreJson(const CadreRecord& r, int quota, std::optional<int64_t> load) {
    json::value v = json::parse(CadreToJson(r.cadre));
    json::object o = std::move(v.as_object());
    o["version"] = r.version;
    o["rank_name"] = std::string(codes::CadreRank().NameOf(r.cadre.rank));
    o["quota"] = quota;
    if (load) o["load"] = *load;
    for (const char* key : {"active_from", "active_to"})
        if (!o.contains(key)) o[key] = nullptr;
    return o;
}

int RunCadreList(const GlobalOptions& g, const CadreListOptions& o) {
    CadreFilter f;
    f.division_prefix = o.unit;
    f.name = o.name;
    f.limit = o.limit;
    if (!o.rank.empty()) {
        auto rank = CodeOption(codes::CadreRank(), o.rank, "--rank");
        if (!rank) return ReportError(rank.error());
        f.rank = *rank;
    }
    auto on = OptionalDate(o.active_on, "--active-on");
    if (!on) return ReportError(on.error());
    f.active_on = *on;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    auto list = service::ListCadreLoads(*s->store, s->plan, f);
    if (!list) return Fails(list.error());
    if (g.json) {
        json::array out;
        for (const service::CadreLoad& l : *list) out.push_back(CadreJson(l.record, l.quota, l.load));
        PrintJson({{"cadres", std::move(out)}});
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"编号 id", "姓名 name", "职级 rank", "单位 unit", "乡镇 township",
                                                "结对/限额 load", "在任 serving"}};
    int64_t over = 0;
    for (const service::CadreLoad& l : *list) {
        const Cadre& c = l.record.cadre;
        over += l.load > l.quota;
        rows.push_back({std::to_string(c.id), c.name, RankName(c.rank), c.unit,
                        c.township_code.empty() ? "县直 county" : c.township_code + " " + NameOf(s->tree, c.township_code),
                        std::to_string(l.load) + "/" + std::to_string(l.quota) + (l.load > l.quota ? " 超额 over" : ""),
                        Opt(c.active_from) + "–" + Opt(c.active_to)});
    }
    PrintTable(rows);
    std::printf("共 %zu 名干部 / %zu cadres; 超额 over quota: %lld\n", list->size(), list->size(),
                static_cast<long long>(over));
    return kExitOk;
}

int RunCadreAdd(const GlobalOptions& g, const CadreAddOptions& o) {
    Cadre c;
    c.name = o.name;
    c.id_number = o.id_number;
    c.unit = o.unit;
    auto rank = CodeOption(codes::CadreRank(), o.rank, "--rank");
    if (!rank) return ReportError(rank.error());
    c.rank = *rank;
    c.phone = o.phone;
    c.township_code = o.township;
    auto from = OptionalDate(o.from, "--from");
    if (!from) return ReportError(from.error());
    auto to = OptionalDate(o.to, "--to");
    if (!to) return ReportError(to.error());
    c.active_from = *from;
    c.active_to = *to;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::AddCadre(*s->store, s->plan, c, Change(g));
    if (!r) return Fails(r.error());
    const int quota = QuotaOf(s->plan, r->cadre.rank);
    if (g.json) {
        PrintJson(CadreJson(*r, quota, int64_t{0}));
        return kExitOk;
    }
    std::printf("已添加干部 Cadre added: %lld %s\n", static_cast<long long>(r->cadre.id), r->cadre.name.c_str());
    std::printf("  职级 rank      %s (限额 quota %d)\n", RankName(r->cadre.rank).c_str(), quota);
    if (!r->cadre.unit.empty()) std::printf("  单位 unit      %s\n", r->cadre.unit.c_str());
    std::printf("  乡镇 township  %s\n", r->cadre.township_code.empty() ? "县直 county-wide" : r->cadre.township_code.c_str());
    return kExitOk;
}

// ------------------------------------------------------------------------------------ pairing

struct AssignOptions {
    std::string unit, on;
    bool yes = false;
    int64_t limit = 200;
};

struct SetOptions {
    std::string household;
    int64_t cadre = 0;
    std::string from, reason;
    bool allow_over_quota = false;
};

struct EndOptions {
    std::string household, on, reason;
};

struct PairingListOptions {
    std::string household, unit;
    int64_t cadre = 0;
    bool current = false;
    int64_t limit = 1000;
};

std::string ReasonText(std::string_view reason) {
    if (reason == "no_cadre") return "无在任干部 no active cadre";
    if (reason == "no_capacity") return "干部均已满额 every active cadre at quota";
    return std::string(reason);
}

void PrintProposal(const json::object& p, const OrgTree& tree, int64_t limit) {
    const json::object& counts = p.at("counts").as_object();
    std::printf("结对分配方案 Assignment proposal — %s, %s\n", S(p.at("scope")).c_str(), S(p.at("on")).c_str());
    std::printf("  需要帮扶责任人的农户 households needing a cadre: %s\n", S(counts.at("households")).c_str());
    std::printf("  已有结对(保留) kept:                         %s\n", S(counts.at("kept")).c_str());
    std::printf("  新结对 new pairs:                            %s (同乡镇 same township %s, 其他 other %s)\n",
                S(counts.at("pairs")).c_str(), S(counts.at("same_township")).c_str(),
                S(counts.at("other_township")).c_str());
    std::printf("  无法覆盖 cannot be covered:                  %s (无在任干部 no cadre %s, 满额 no capacity %s)\n",
                S(counts.at("uncovered")).c_str(), S(counts.at("no_cadre")).c_str(), S(counts.at("no_capacity")).c_str());
    std::printf("  方案摘要 digest: %s\n", S(p.at("digest")).c_str());
    const json::array& pairs = p.at("pairs").as_array();
    if (!pairs.empty()) {
        std::printf("\n新结对 New pairs:\n");
        std::vector<std::vector<std::string>> rows{{"户编号 household", "村 village", "干部 cadre", "同乡镇 same township"}};
        for (const json::value& v : pairs) {
            if (static_cast<int64_t>(rows.size()) > limit) break;
            const json::object& o = v.as_object();
            rows.push_back({S(o.at("household_code")), NameOf(tree, S(o.at("division_code"))),
                            S(o.at("cadre_id")) + " " + S(o.at("cadre_name")),
                            o.at("same_township").as_bool() ? "是 yes" : "否 no"});
        }
        PrintTable(rows);
        if (static_cast<int64_t>(pairs.size()) > limit)
            std::printf("…… 另有 %lld 对未显示 / %lld more not shown (--limit, --json)\n",
                        static_cast<long long>(pairs.size() - limit), static_cast<long long>(pairs.size() - limit));
    }
    const json::array& uncovered = p.at("uncovered").as_array();
    if (!uncovered.empty()) {
        std::printf("\n无法覆盖 Cannot be covered:\n");
        std::vector<std::vector<std::string>> rows{{"户编号 household", "村 village", "原因 reason"}};
        for (const json::value& v : uncovered) {
            if (static_cast<int64_t>(rows.size()) > limit) break;
            const json::object& o = v.as_object();
            rows.push_back({S(o.at("household_code")), NameOf(tree, S(o.at("division_code"))),
                            ReasonText(S(o.at("reason")))});
        }
        PrintTable(rows);
        if (static_cast<int64_t>(uncovered.size()) > limit)
            std::printf("…… 另有 %lld 户未显示 / %lld more not shown\n", static_cast<long long>(uncovered.size() - limit),
                        static_cast<long long>(uncovered.size() - limit));
    }
}

int RunAssign(const GlobalOptions& g, const AssignOptions& o) {
    auto on = DayOr(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    auto proposal = service::ProposeAssignment(*s->store, s->plan, o.unit, *on);
    if (!proposal) return Fails(proposal.error());
    json::object shown = service::AssignmentJson(*proposal);
    if (!g.json) PrintProposal(shown, s->tree, o.limit);
    bool apply = o.yes;
    const bool anything = !proposal->proposal.pairs.empty();
    if (!apply && anything && !g.json && isatty(STDIN_FILENO)) {
        std::printf("\n确认建立以上 %zu 个结对? Apply these %zu pairs? [y/N] ", proposal->proposal.pairs.size(),
                    proposal->proposal.pairs.size());
        std::fflush(stdout);
        std::string answer;
        std::getline(std::cin, answer);
        apply = answer == "y" || answer == "Y" || answer == "yes" || answer == "是";
    }
    int64_t applied = 0;
    if (apply && anything) {
        auto made = service::ApplyAssignment(*s->store, s->plan, proposal->scope, *on, proposal->digest, Change(g));
        if (!made) return Fails(made.error());
        applied = *made;
    }
    if (g.json) {
        shown["applied"] = apply && anything;
        shown["pairs_made"] = applied;
        PrintJson(shown);
    } else if (apply && anything) {
        std::printf("\n已建立 %lld 个结对 / %lld pairs made.\n", static_cast<long long>(applied),
                    static_cast<long long>(applied));
    } else if (anything) {
        std::printf("\n未应用: 加 --yes 确认 / Not applied: confirm with --yes.\n");
    } else {
        std::printf("\n没有可新建的结对 / Nothing to assign.\n");
    }
    return kExitOk;
}

void PrintPairing(const Pairing& p, const std::string& cadre_name) {
    std::printf("结对 Pairing %lld: 户 household %s — 干部 cadre %lld %s\n", static_cast<long long>(p.id),
                p.household_code.c_str(), static_cast<long long>(p.cadre_id), cadre_name.c_str());
    std::printf("  起止 period  %s – %s\n", p.from.ToString().c_str(), Opt(p.to).c_str());
    std::printf("  原因 reason  %s\n", p.reason.c_str());
    if (p.to) std::printf("  结束原因 end reason  %s\n", p.end_reason.c_str());
}

json::object PairingObject(const Pairing& p) {
    json::value v = json::parse(PairingToJson(p));
    json::object o = std::move(v.as_object());
    if (!o.contains("to")) o["to"] = nullptr;
    o["current"] = p.current();
    return o;
}

std::string CadreName(Store& store, int64_t id) {
    auto c = store.FindCadre(id);
    return c && *c ? (*c)->cadre.name : std::string();
}

int RunSet(const GlobalOptions& g, const SetOptions& o) {
    auto from = DayOr(o.from, "--from");
    if (!from) return ReportError(from.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    service::SetPairingRequest r{.household_code = o.household, .cadre_id = o.cadre, .from = *from,
                                 .reason = o.reason, .allow_over_quota = o.allow_over_quota};
    auto p = service::SetPairing(*s->store, s->plan, r, Change(g));
    if (!p) return Fails(p.error());
    if (g.json)
        PrintJson(PairingObject(*p));
    else
        PrintPairing(*p, CadreName(*s->store, p->cadre_id));
    return kExitOk;
}

int RunEnd(const GlobalOptions& g, const EndOptions& o) {
    auto on = DayOr(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto p = service::EndPairing(*s->store, o.household, *on, o.reason, Change(g));
    if (!p) return Fails(p.error());
    if (g.json)
        PrintJson(PairingObject(*p));
    else
        PrintPairing(*p, CadreName(*s->store, p->cadre_id));
    return kExitOk;
}

int RunPairingList(const GlobalOptions& g, const PairingListOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.household.empty()) {
        auto h = service::PairingHistoryJson(*s->store, s->plan, o.household, false);
        if (!h) return Fails(h.error());
        if (g.json) {
            PrintJson(*h);
            return kExitOk;
        }
        std::printf("农户 %s 的帮扶责任人 Pairings of household %s\n", o.household.c_str(), o.household.c_str());
        std::vector<std::vector<std::string>> rows{
            {"干部 cadre", "职级 rank", "起 from", "止 to", "原因 reason", "结束原因 end reason"}};
        for (const json::value& v : h->at("pairings").as_array()) {
            const json::object& p = v.as_object();
            rows.push_back({S(p.at("cadre_id")) + " " + S(p.at("cadre_name")), S(p.at("cadre_rank_name")),
                            S(p.at("from")), p.at("to").is_null() ? "现任 current" : S(p.at("to")), S(p.at("reason")),
                            S(p.at("end_reason"))});
        }
        PrintTable(rows);
        return kExitOk;
    }
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    PairingFilter f;
    f.division_prefix = o.unit;
    if (o.cadre) f.cadre_id = o.cadre;
    f.current_only = o.current;
    f.limit = o.limit;
    auto list = s->store->ListPairings(f);
    if (!list) return Fails(list.error());
    if (g.json) {
        json::array out;
        for (const Pairing& p : *list) out.push_back(PairingObject(p));
        PrintJson({{"pairings", std::move(out)}});
        return kExitOk;
    }
    std::map<int64_t, std::string> names;
    std::vector<std::vector<std::string>> rows{{"户编号 household", "干部 cadre", "起 from", "止 to", "原因 reason"}};
    for (const Pairing& p : *list) {
        auto it = names.find(p.cadre_id);
        if (it == names.end()) it = names.emplace(p.cadre_id, CadreName(*s->store, p.cadre_id)).first;
        rows.push_back({p.household_code, std::to_string(p.cadre_id) + " " + it->second, p.from.ToString(),
                        p.to ? p.to->ToString() : "现任 current", p.reason});
    }
    PrintTable(rows);
    std::printf("共 %zu 条 / %zu pairings\n", list->size(), list->size());
    return kExitOk;
}

// -------------------------------------------------------------------------------------- teams

struct TeamAddOptions {
    std::string village;
    int64_t cadre = 0;
    std::string role = "3", from, to;
};

struct TeamEndOptions {
    int64_t member = 0;
    std::string on;
};

struct TeamDaysOptions {
    int64_t member = 0;
    std::string month;
    int days = 0;
};

struct TeamListOptions {
    std::string unit, on;
};

json::object MemberJson(const TeamMember& m) {
    json::value v = json::parse(TeamMemberToJson(m));
    json::object o = std::move(v.as_object());
    if (!o.contains("to")) o["to"] = nullptr;
    o["role_name"] = std::string(codes::TeamRole().NameOf(m.role));
    return o;
}

void PrintMember(const TeamMember& m, const std::string& cadre_name) {
    std::printf("工作队队员 Team member %lld: 村 village %s — 干部 cadre %lld %s\n", static_cast<long long>(m.id),
                m.village_code.c_str(), static_cast<long long>(m.cadre_id), cadre_name.c_str());
    std::printf("  职务 role    %d %s\n", m.role, Str(codes::TeamRole().NameOf(m.role)).c_str());
    std::printf("  起止 period  %s – %s\n", m.from.ToString().c_str(), Opt(m.to).c_str());
}

int RunTeamAdd(const GlobalOptions& g, const TeamAddOptions& o) {
    TeamMember m;
    m.village_code = o.village;
    m.cadre_id = o.cadre;
    auto role = CodeOption(codes::TeamRole(), o.role, "--role");
    if (!role) return ReportError(role.error());
    m.role = *role;
    auto from = DayOr(o.from, "--from");
    if (!from) return ReportError(from.error());
    m.from = *from;
    auto to = OptionalDate(o.to, "--to");
    if (!to) return ReportError(to.error());
    m.to = *to;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!s->tree.Find(o.village))
        return ReportError(Usage("--village", "未知的村代码: " + o.village, "unknown village code: " + o.village).error());
    auto r = service::AddTeamMember(*s->store, s->plan, m, Change(g));
    if (!r) return Fails(r.error());
    if (g.json)
        PrintJson(MemberJson(*r));
    else
        PrintMember(*r, CadreName(*s->store, r->cadre_id));
    return kExitOk;
}

int RunTeamEnd(const GlobalOptions& g, const TeamEndOptions& o) {
    auto on = DayOr(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::EndTeamMember(*s->store, o.member, *on, Change(g));
    if (!r) return Fails(r.error());
    if (g.json)
        PrintJson(MemberJson(*r));
    else
        PrintMember(*r, CadreName(*s->store, r->cadre_id));
    return kExitOk;
}

int RunTeamDays(const GlobalOptions& g, const TeamDaysOptions& o) {
    OnPostDays d;
    d.member_id = o.member;
    d.days = o.days;
    int year = 0, month = 0;
    char tail = 0;
    if (o.month.size() != 7 || std::sscanf(o.month.c_str(), "%4d-%2d%c", &year, &month, &tail) != 2 || month < 1 ||
        month > 12)
        return ReportError(
            Usage("--month", "--month 应为年月 YYYY-MM: " + o.month, "--month must be a month YYYY-MM: " + o.month).error());
    d.year = year;
    d.month = month;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::PutOnPostDays(*s->store, d, Change(g));
    if (!r) return Fails(r.error());
    const bool short_month = d.days < s->plan.pairing.on_post_min_days;
    if (g.json) {
        PrintJson({{"member_id", d.member_id}, {"year", d.year}, {"month", d.month}, {"days", d.days}, {"short", short_month}});
        return kExitOk;
    }
    std::printf("已记录在岗天数 On-post days recorded: 队员 member %lld, %s: %d 天 days%s\n",
                static_cast<long long>(d.member_id), o.month.c_str(), d.days,
                short_month ? ("  不足 " + std::to_string(s->plan.pairing.on_post_min_days) + " 天 short").c_str() : "");
    return kExitOk;
}

int RunTeamList(const GlobalOptions& g, const TeamListOptions& o) {
    auto on = DayOr(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    auto teams = service::TeamsJson(*s->store, s->plan, s->tree, o.unit, *on, false);
    if (!teams) return Fails(teams.error());
    if (g.json) {
        PrintJson(*teams);
        return kExitOk;
    }
    std::printf("驻村工作队 Village work teams on %s (在岗不足 %s 天标出 / months under %s days flagged)\n",
                on->ToString().c_str(), S(teams->at("on_post_min_days")).c_str(), S(teams->at("on_post_min_days")).c_str());
    std::vector<std::vector<std::string>> rows{
        {"村 village", "队员编号 member", "干部 cadre", "职务 role", "起 from", "止 to", "在岗天数 on-post days"}};
    for (const json::value& v : teams->at("villages").as_array()) {
        const json::object& village = v.as_object();
        const std::string name = S(village.at("village_code")) + " " + S(village.at("village_name"));
        const json::array& members = village.at("members").as_array();
        if (members.empty()) {
            rows.push_back({name, "", "无工作队 no team", "", "", "", ""});
            continue;
        }
        for (const json::value& mv : members) {
            const json::object& m = mv.as_object();
            std::string days;
            for (const json::value& d : m.at("on_post").as_array()) {
                const json::object& x = d.as_object();
                if (!days.empty()) days += ", ";
                days += S(x.at("month")).substr(5) + ":" + S(x.at("days")) + (x.at("short").as_bool() ? "!" : "");
            }
            rows.push_back({name, S(m.at("id")), S(m.at("cadre_id")) + " " + S(m.at("cadre_name")), S(m.at("role_name")),
                            S(m.at("from")), S(m.at("to")), days});
        }
    }
    PrintTable(rows);
    const json::object& c = teams->at("counts").as_object();
    std::printf("村 villages %s, 无工作队 without a team %s, 无第一书记 without a first secretary %s, 队员 members %s, "
                "在岗不足的月份 short months %s\n",
                S(c.at("villages")).c_str(), S(c.at("without_team")).c_str(), S(c.at("without_first_secretary")).c_str(),
                S(c.at("members")).c_str(), S(c.at("short_months")).c_str());
    return kExitOk;
}

// ------------------------------------------------------------------------------------- visits

struct VisitAddOptions {
    std::string client_id, household;
    int64_t cadre = 0;
    std::string date, discussed, done, photo, lat, lon;
    std::optional<double> accuracy;
    std::optional<int64_t> household_version;
    bool confirm_changed = false;
};

struct VisitListOptions {
    std::string household, unit, from, to;
    int64_t cadre = 0;
    bool far = false;
    int64_t limit = 100;
};

struct OverdueOptions {
    std::string unit, on;
    int64_t limit = 1000;
};

std::string NewClientId() {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string out = "cli-";
    for (int i = 0; i < 32; ++i) out += hex[rd() % 16];
    return out;
}

void PrintVisit(const Visit& v, bool inserted) {
    std::printf("%s %lld (%s)\n", inserted ? "已记录走访 Visit recorded" : "此走访已记录过 Visit already recorded",
                static_cast<long long>(v.id), v.client_id.c_str());
    std::printf("  户 household  %s   干部 cadre %lld   日期 date %s\n", v.household_code.c_str(),
                static_cast<long long>(v.cadre_id), v.date.ToString().c_str());
    std::printf("  内容 discussed  %s\n", v.discussed.c_str());
    if (!v.done.empty()) std::printf("  办实事 done     %s\n", v.done.c_str());
    if (v.place)
        std::printf("  位置 place      %.6f, %.6f (±%d m)%s\n", v.place->lat_e6 / 1e6, v.place->lon_e6 / 1e6,
                    v.place->accuracy_m,
                    v.distance_m ? (", 距农户 from the household " + std::to_string(*v.distance_m) + " m" +
                                    (v.far ? " — 距离过远 FAR" : ""))
                                       .c_str()
                                 : "");
    if (v.photo != PhotoType::kNone)
        std::printf("  照片 photo      %s, %lld bytes\n", std::string(PhotoMediaType(v.photo)).c_str(),
                    static_cast<long long>(v.photo_bytes));
}

int RunVisitAdd(const GlobalOptions& g, const VisitAddOptions& o) {
    // The API's body, so the command checks exactly what the route checks.
    json::object body{{"client_id", o.client_id.empty() ? NewClientId() : o.client_id},
                      {"household_code", o.household},
                      {"cadre_id", o.cadre},
                      {"date", o.date.empty() ? Today().ToString() : o.date},
                      {"discussed", o.discussed},
                      {"done", o.done},
                      {"confirm_changed", o.confirm_changed}};
    if (o.household_version) body["household_version"] = *o.household_version;
    if (!o.lat.empty() || !o.lon.empty()) {
        if (o.lat.empty() || o.lon.empty())
            return ReportError(Usage(o.lat.empty() ? "--lat" : "--lon", "--lat 与 --lon 须同时给出",
                                     "--lat and --lon go together")
                                   .error());
        json::object place{{"lat", o.lat}, {"lon", o.lon}};
        if (o.accuracy) place["accuracy"] = *o.accuracy;
        body["place"] = std::move(place);
    }
    auto request = service::VisitRequestFromJson(body);
    if (!request) return ReportError(request.error());
    if (!o.photo.empty()) {
        auto bytes = ReadFile(o.photo);
        if (!bytes) return ReportError(bytes.error());
        request->photo = std::move(*bytes);
    }
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::RecordVisit(*s->store, s->plan, *request, Today(), Change(g));
    if (!r) {
        if (r.error().code == "visit.household_changed" && !g.json) {
            if (auto h = service::HouseholdSummaryJson(*s->store, s->plan, s->tree, request->visit.household_code, false))
                std::cerr << "jingzhun: 该户现状 the household now: 第 " << S(h->at("version")) << " 版 version, "
                          << S(h->at("head_name")) << ", " << S(h->at("persons")) << " 人 persons, "
                          << S(h->at("status_name")) << "; 核对后加 --confirm-changed 提交 / check it and add --confirm-changed\n";
        }
        return Fails(r.error());
    }
    if (g.json) {
        json::object out = service::VisitJson(r->visit);
        out["inserted"] = r->inserted;
        PrintJson(out);
    } else {
        PrintVisit(r->visit, r->inserted);
    }
    return kExitOk;
}

int RunVisitList(const GlobalOptions& g, const VisitListOptions& o) {
    VisitFilter f;
    if (!o.household.empty()) f.household_code = o.household;
    if (o.cadre) f.cadre_id = o.cadre;
    f.division_prefix = o.unit;
    auto from = OptionalDate(o.from, "--from");
    if (!from) return ReportError(from.error());
    auto to = OptionalDate(o.to, "--to");
    if (!to) return ReportError(to.error());
    if (*from && *to && **to < **from)
        return ReportError(Usage("--to", "--to 早于 --from", "--to is before --from").error());
    f.from = *from;
    f.to = *to;
    if (o.far) f.far = true;
    f.limit = o.limit;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    auto list = s->store->ListVisits(f);
    if (!list) return Fails(list.error());
    if (g.json) {
        json::array out;
        for (const Visit& v : *list) out.push_back(service::VisitJson(v));
        PrintJson({{"visits", std::move(out)}});
        return kExitOk;
    }
    std::map<int64_t, std::string> names;
    std::vector<std::vector<std::string>> rows{
        {"日期 date", "户编号 household", "干部 cadre", "内容 discussed", "距离 distance", "照片 photo"}};
    for (const Visit& v : *list) {
        auto it = names.find(v.cadre_id);
        if (it == names.end()) it = names.emplace(v.cadre_id, CadreName(*s->store, v.cadre_id)).first;
        std::string discussed = v.discussed;
        if (CountCharacters(discussed) > 20) {
            size_t pos = 0;
            for (int i = 0; i < 20; ++i) NextCharacter(discussed, &pos);
            discussed = discussed.substr(0, pos) + "…";
        }
        rows.push_back({v.date.ToString(), v.household_code, std::to_string(v.cadre_id) + " " + it->second, discussed,
                        v.distance_m ? std::to_string(*v.distance_m) + " m" + (v.far ? " 过远 FAR" : "") : "",
                        v.photo == PhotoType::kNone ? "" : std::string(PhotoMediaType(v.photo))});
    }
    PrintTable(rows);
    std::printf("共 %zu 次走访 / %zu visits%s\n", list->size(), list->size(),
                static_cast<int64_t>(list->size()) == o.limit ? " (--limit)" : "");
    return kExitOk;
}

int RunOverdue(const GlobalOptions& g, const OverdueOptions& o) {
    auto on = DayOr(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && o.unit != s->plan.county_code && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    auto list = service::BuildOverdue(*s->store, s->plan, o.unit, *on, Today());
    if (!list) return Fails(list.error());
    auto out = service::OverdueJson(*s->store, s->tree, *list, o.limit);
    if (!out) return Fails(out.error());
    if (g.json) {
        PrintJson(*out);
        return kExitOk;
    }
    std::printf("走访逾期 Overdue visits on %s (间隔 interval %d 天 days): %s / %s 户 households\n",
                on->ToString().c_str(), list->interval_days, S(out->at("total")).c_str(), S(out->at("paired")).c_str());
    std::vector<std::vector<std::string>> rows{{"户编号 household", "村 village", "干部 cadre", "上次走访 last visit",
                                                "应访日 due", "逾期天数 days overdue", "本季 this quarter"}};
    for (const json::value& v : out->at("households").as_array()) {
        const json::object& h = v.as_object();
        rows.push_back({S(h.at("household_code")), S(h.at("village_name")),
                        S(h.at("cadre_id")) + " " + S(h.at("cadre_name")),
                        h.at("last_visit").is_null() ? "从未 never" : S(h.at("last_visit")), S(h.at("due")),
                        S(h.at("days_overdue")), S(h.at("visits_this_quarter"))});
    }
    PrintTable(rows);
    std::printf("\n按乡镇 By township:\n");
    std::vector<std::vector<std::string>> towns{{"乡镇 township", "结对户 paired", "逾期 overdue"}};
    for (const json::value& v : out->at("by_township").as_array()) {
        const json::object& t = v.as_object();
        towns.push_back({S(t.at("code")) + " " + S(t.at("name")), S(t.at("households")), S(t.at("overdue"))});
    }
    PrintTable(towns);
    if (S(out->at("shown")) != S(out->at("total")))
        std::printf("(显示前 %s 户 first %s shown; --limit, --json for per cadre and village)\n",
                    S(out->at("shown")).c_str(), S(out->at("shown")).c_str());
    return kExitOk;
}

// ------------------------------------------------------------------------------------- places

struct PlaceOptions {
    std::string household, lat, lon, on, source = "survey";
    std::optional<double> accuracy;
};

int RunPlaceSet(const GlobalOptions& g, const PlaceOptions& o) {
    json::object body{{"lat", o.lat}, {"lon", o.lon}, {"recorded_on", o.on.empty() ? Today().ToString() : o.on},
                      {"source", o.source}};
    if (o.accuracy) body["accuracy"] = *o.accuracy;
    auto place = service::PlaceFromJson(body);
    if (!place) return ReportError(place.error());
    place->household_code = o.household;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::PutHouseholdPlace(*s->store, *place, Change(g));
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson({{"household_code", r->household_code},
                   {"division_code", r->division_code},
                   {"lat_e6", r->place.lat_e6},
                   {"lon_e6", r->place.lon_e6},
                   {"accuracy_m", r->place.accuracy_m},
                   {"recorded_on", r->recorded_on.ToString()},
                   {"source", r->source}});
        return kExitOk;
    }
    std::printf("已记录农户位置 Household place recorded: %s at %.6f, %.6f (±%d m), %s, %s\n", r->household_code.c_str(),
                r->place.lat_e6 / 1e6, r->place.lon_e6 / 1e6, r->place.accuracy_m, r->recorded_on.ToString().c_str(),
                r->source.c_str());
    return kExitOk;
}

CLI::App& Parent(CLI::App& app, const std::string& name, const std::string& description) {
    for (CLI::App* sub : app.get_subcommands([&](CLI::App* a) { return a->get_name() == name; })) return *sub;
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->require_subcommand(1);
    return *cmd;
}

}  // namespace

CLI::App& CadreCommand(CLI::App& app) {
    return Parent(app, "cadre", "Cadres who pair with poor households (帮扶干部): rank, unit, township, load against quota");
}

void RegisterPairingCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    CLI::App& cadre = CadreCommand(registry.app());

    auto clist = std::make_shared<CadreListOptions>();
    auto* clist_cmd = cadre.add_subcommand("list", "List cadres with their load against the quota of their rank");
    clist_cmd->add_option("--unit", clist->unit, "Cadres of this county or township (a county sees county-wide ones too)");
    clist_cmd->add_option("--rank", clist->rank, "Rank: code or name (1 县级, 2 正科, 3 副科及以下, 9 职级不详)");
    clist_cmd->add_option("--active-on", clist->active_on, "Only cadres serving on this day (YYYY-MM-DD)");
    clist_cmd->add_option("--name", clist->name, "Only cadres of this exact name");
    clist_cmd->add_option("--limit", clist->limit, "At most this many (default 1000)")
        ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    registry.Runs(clist_cmd, [&g, clist] { return RunCadreList(g, *clist); });

    auto cadd = std::make_shared<CadreAddOptions>();
    auto* cadd_cmd = cadre.add_subcommand("add", "Add a cadre and print it");
    cadd_cmd->add_option("--name", cadd->name, "Name (1..50 characters)")->required();
    cadd_cmd->add_option("--id-number", cadd->id_number, "ID number (18 characters; unique among cadres)");
    cadd_cmd->add_option("--unit", cadd->unit, "Work unit (工作单位)");
    cadd_cmd->add_option("--rank", cadd->rank, "Rank: code or name (default 9 职级不详)");
    cadd_cmd->add_option("--phone", cadd->phone, "Phone number");
    cadd_cmd->add_option("--township", cadd->township, "9-digit township they work in (none: county-wide)");
    cadd_cmd->add_option("--from", cadd->from, "Serving from (YYYY-MM-DD)");
    cadd_cmd->add_option("--to", cadd->to, "Serving until, the last day (YYYY-MM-DD)");
    registry.Runs(cadd_cmd, [&g, cadd] { return RunCadreAdd(g, *cadd); });

    CLI::App& pairing =
        Parent(registry.app(), "pairing", "Households' pairing cadres (结对帮扶) with history, and the assignment");

    auto assign = std::make_shared<AssignOptions>();
    auto* assign_cmd = pairing.add_subcommand(
        "assign", "Propose a cadre for every not-exited household without one; apply only with --yes (or when confirmed)");
    assign_cmd->add_option("--unit", assign->unit, "Households under this county, township or village (default: the county)");
    assign_cmd->add_option("--on", assign->on, "The day the pairings begin (default today)");
    assign_cmd->add_flag("--yes", assign->yes, "Apply the proposal without asking");
    assign_cmd->add_option("--limit", assign->limit, "Rows shown per table (default 200; --json shows all)")
        ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
    registry.Runs(assign_cmd, [&g, assign] { return RunAssign(g, *assign); });

    auto set = std::make_shared<SetOptions>();
    auto* set_cmd = pairing.add_subcommand("set", "Set a household's pairing cadre (the current pairing ends, kept on record)");
    set_cmd->add_option("household", set->household, "Household code")->required();
    set_cmd->add_option("--cadre", set->cadre, "The cadre's id (cadre list)")->required();
    set_cmd->add_option("--from", set->from, "The new pairing's first day (default today)");
    set_cmd->add_option("--reason", set->reason, "Why (1..200 characters)")->required();
    set_cmd->add_flag("--allow-over-quota", set->allow_over_quota, "Pair even when the cadre is at their quota");
    registry.Runs(set_cmd, [&g, set] { return RunSet(g, *set); });

    auto end = std::make_shared<EndOptions>();
    auto* end_cmd = pairing.add_subcommand("end", "End a household's current pairing without a successor");
    end_cmd->add_option("household", end->household, "Household code")->required();
    end_cmd->add_option("--on", end->on, "The last day (default today)");
    end_cmd->add_option("--reason", end->reason, "Why (1..200 characters)")->required();
    registry.Runs(end_cmd, [&g, end] { return RunEnd(g, *end); });

    auto plist = std::make_shared<PairingListOptions>();
    auto* plist_cmd = pairing.add_subcommand("list", "List pairings; with --household, that household's history");
    plist_cmd->add_option("--household", plist->household, "One household's pairings, current first");
    plist_cmd->add_option("--cadre", plist->cadre, "Pairings of this cadre");
    plist_cmd->add_option("--unit", plist->unit, "Pairings of households under this org unit");
    plist_cmd->add_flag("--current", plist->current, "Only current pairings");
    plist_cmd->add_option("--limit", plist->limit, "At most this many (default 1000)")
        ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    registry.Runs(plist_cmd, [&g, plist] { return RunPairingList(g, *plist); });

    CLI::App& team = Parent(registry.app(), "team", "Village work teams (驻村工作队), first secretaries, days on post");

    auto tadd = std::make_shared<TeamAddOptions>();
    auto* tadd_cmd = team.add_subcommand("add", "Put a cadre on a village's work team");
    tadd_cmd->add_option("--village", tadd->village, "12-digit village code")->required();
    tadd_cmd->add_option("--cadre", tadd->cadre, "The cadre's id")->required();
    tadd_cmd->add_option("--role", tadd->role, "Role: code or name (1 第一书记, 2 队长, 3 队员; default 3)");
    tadd_cmd->add_option("--from", tadd->from, "First day (default today)");
    tadd_cmd->add_option("--to", tadd->to, "Last day");
    registry.Runs(tadd_cmd, [&g, tadd] { return RunTeamAdd(g, *tadd); });

    auto tend = std::make_shared<TeamEndOptions>();
    auto* tend_cmd = team.add_subcommand("end", "End a member's time on the team");
    tend_cmd->add_option("member", tend->member, "The member's id (team list)")->required();
    tend_cmd->add_option("--on", tend->on, "The last day (default today)");
    registry.Runs(tend_cmd, [&g, tend] { return RunTeamEnd(g, *tend); });

    auto tdays = std::make_shared<TeamDaysOptions>();
    auto* tdays_cmd = team.add_subcommand("days", "Record a member's days on post in a month (replaces)");
    tdays_cmd->add_option("member", tdays->member, "The member's id")->required();
    tdays_cmd->add_option("--month", tdays->month, "The month (YYYY-MM)")->required();
    tdays_cmd->add_option("--days", tdays->days, "Days on post (0..days in the month)")->required();
    registry.Runs(tdays_cmd, [&g, tdays] { return RunTeamDays(g, *tdays); });

    auto tlist = std::make_shared<TeamListOptions>();
    auto* tlist_cmd = team.add_subcommand("list", "Per village: the team, its first secretary, on-post days this year");
    tlist_cmd->add_option("--unit", tlist->unit, "Villages under this org unit (default: the county)");
    tlist_cmd->add_option("--on", tlist->on, "Members serving on this day; days of its year up to its month (default today)");
    registry.Runs(tlist_cmd, [&g, tlist] { return RunTeamList(g, *tlist); });

    CLI::App& visit = Parent(registry.app(), "visit", "Visits to households (入户走访), and the overdue list");

    auto vadd = std::make_shared<VisitAddOptions>();
    auto* vadd_cmd = visit.add_subcommand("add", "Record a visit (once per --client-id: a repeat changes nothing)");
    vadd_cmd->add_option("--household", vadd->household, "Household code")->required();
    vadd_cmd->add_option("--cadre", vadd->cadre, "The visiting cadre's id")->required();
    vadd_cmd->add_option("--date", vadd->date, "The day of the visit (default today)");
    vadd_cmd->add_option("--discussed", vadd->discussed, "What was discussed (1..2000 characters)")->required();
    vadd_cmd->add_option("--done", vadd->done, "What was done (0..2000 characters)");
    vadd_cmd->add_option("--photo", vadd->photo, "A JPEG or PNG photo (type judged by content; size per the plan)");
    vadd_cmd->add_option("--lat", vadd->lat, "Latitude, decimal degrees (≤ 6 decimals)");
    vadd_cmd->add_option("--lon", vadd->lon, "Longitude, decimal degrees (≤ 6 decimals)");
    vadd_cmd->add_option("--accuracy", vadd->accuracy, "Accuracy of the place in metres");
    vadd_cmd->add_option("--client-id", vadd->client_id, "The visit's id made by the recorder ([A-Za-z0-9-_]{8,64}; default random)");
    vadd_cmd->add_option("--household-version", vadd->household_version,
                         "The household's version the visit was recorded against (refused if it changed)");
    vadd_cmd->add_flag("--confirm-changed", vadd->confirm_changed, "Record even though the household changed since");
    registry.Runs(vadd_cmd, [&g, vadd] { return RunVisitAdd(g, *vadd); });

    auto vlist = std::make_shared<VisitListOptions>();
    auto* vlist_cmd = visit.add_subcommand("list", "List visits, newest first");
    vlist_cmd->add_option("--household", vlist->household, "Visits to this household");
    vlist_cmd->add_option("--cadre", vlist->cadre, "Visits by this cadre");
    vlist_cmd->add_option("--unit", vlist->unit, "Visits to households under this org unit");
    vlist_cmd->add_option("--from", vlist->from, "From this day (YYYY-MM-DD)");
    vlist_cmd->add_option("--to", vlist->to, "To this day");
    vlist_cmd->add_flag("--far", vlist->far, "Only visits farther from the household's place than the plan allows");
    vlist_cmd->add_option("--limit", vlist->limit, "At most this many (default 100)")
        ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    registry.Runs(vlist_cmd, [&g, vlist] { return RunVisitList(g, *vlist); });

    auto overdue = std::make_shared<OverdueOptions>();
    auto* overdue_cmd = visit.add_subcommand(
        "overdue", "Paired households not visited within the plan's interval, most overdue first, with counts per township");
    overdue_cmd->add_option("--unit", overdue->unit, "Households under this org unit (default: the county)");
    overdue_cmd->add_option("--on", overdue->on, "The day (default today; a past day is computed from the visits)");
    overdue_cmd->add_option("--limit", overdue->limit, "Households listed (default 1000; the counts cover all)")
        ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
    registry.Runs(overdue_cmd, [&g, overdue] { return RunOverdue(g, *overdue); });

    CLI::App& place = Parent(registry.app(), "place", "Households' recorded places (for a visit's distance)");
    auto pset = std::make_shared<PlaceOptions>();
    auto* pset_cmd = place.add_subcommand("set", "Record a household's place (replaces)");
    pset_cmd->add_option("household", pset->household, "Household code")->required();
    pset_cmd->add_option("--lat", pset->lat, "Latitude, decimal degrees (≤ 6 decimals)")->required();
    pset_cmd->add_option("--lon", pset->lon, "Longitude, decimal degrees (≤ 6 decimals)")->required();
    pset_cmd->add_option("--accuracy", pset->accuracy, "Accuracy in metres");
    pset_cmd->add_option("--on", pset->on, "The day it was recorded (default today)");
    pset_cmd->add_option("--source", pset->source, "Where it comes from (default survey)");
    registry.Runs(pset_cmd, [&g, pset] { return RunPlaceSet(g, *pset); });
}

}  // namespace jz::cli
