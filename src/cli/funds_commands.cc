// Funds from the command line (资金, 项目库, 台账): `fund source|allocation|payee add|list`,
// `fund balances`, `fund report --month`, `fund findings`; `project apply|list|show|step|notice`;
// `ledger post|reverse|list`. Each command is thin: it reads its options, calls service/funds.h
// (acting as the county's administrator named by --actor) and prints human text in Chinese and
// English, or with --json the API's JSON. Exit statuses: 0 done; 2 usage or unusable input (also an
// unknown project, allocation, source or payee); 4 refused by a rule (the ledger's fund.* rules, a
// project step not allowed or at the wrong level, a taken code, a stale --version), the rule named
// in brackets; 1 the database failed. docs/funds.md.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "io/funds_exchange.h"
#include "service/funds.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

ProjectActor CountyActor(const GlobalOptions& g, const Session& s) {
    return ProjectActor{Role::kAdmin, s.plan.county_code, g.actor, NowIso()};
}

std::unexpected<Error> Usage(const std::string& option, const std::string& zh, const std::string& en) {
    return Fail("usage.option", option, zh, en);
}

// 2: input or not found; 4: a rule refused; 1: the database.
int Fails(const Error& e) {
    const bool not_found = e.code.ends_with(".not_found") || e.code == "not_found" || e.code == "fund.unknown";
    const bool input = e.code == "fund.invalid" || e.code.starts_with("usage.") || e.code == "project.invalid" ||
                       e.code == "project.source" || e.code == "json.invalid";
    const bool store = e.code.starts_with("store.") && e.code != "store.duplicate" && e.code != "store.conflict";
    if (not_found || input) {
        std::cerr << "jingzhun: " << e.ToString() << "\n";
        return kExitUsage;
    }
    if (store) {
        std::cerr << "jingzhun: " << e.ToString() << "\n";
        return kExitFindings;
    }
    std::cerr << "jingzhun: " << e.ToString() << " [" << e.code << "]\n";
    return kExitRefused;
}

std::string S(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_null()) return "";
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    return json::serialize(v);
}

void PrintRows(const std::vector<std::vector<std::string>>& rows) {
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
        std::printf("%s\n", line.c_str());
    }
}

Result<Date> DayOr(const std::string& text, const std::string& option) {
    if (text.empty()) return Today();
    return ParseDateOption(text, option);
}

Result<std::string> ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Usage("file", "无法读取文件: " + path, "cannot read the file: " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> SplitComma(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// ------------------------------------------------------------------------------------------ fund

struct SourceAddOptions {
    std::string code, name;
    bool special_poverty = false;
};
struct AllocationAddOptions {
    std::string source, document, amount, earmark;
    int year = 0;
    int64_t id = 0;
};
struct AllocationListOptions {
    int year = 0;
};
struct PayeeAddOptions {
    std::string kind = "contractor", name;
    int64_t id = 0;
};
struct ReportOptions {
    std::string month, unit;
};
struct FindingsOptions {
    std::string as_of;
};

int RunSourceAdd(const GlobalOptions& g, const SourceAddOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::AddFundSource(*s->store, s->plan, {o.code, o.name, o.special_poverty}, Change(g));
    if (!r) return Fails(r.error());
    if (g.json)
        PrintJson(json::object{{"code", r->code}, {"name", r->name}, {"special_poverty", r->special_poverty}});
    else
        std::printf("已添加资金来源 Fund source added: %s %s\n", r->code.c_str(), r->name.c_str());
    return kExitOk;
}

int RunSourceList(const GlobalOptions& g) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::FundSourcesJson(*s->store, s->plan);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"代码 code", "名称 name", "专项扶贫 special_poverty"}};
    for (const json::value& v : r->at("sources").as_array())
        rows.push_back({S(v.at("code")), S(v.at("name")), v.at("special_poverty").as_bool() ? "是 yes" : "否 no"});
    PrintRows(rows);
    return kExitOk;
}

int RunAllocationAdd(const GlobalOptions& g, const AllocationAddOptions& o) {
    auto amount = service::ParseYuan(o.amount, "--amount");
    if (!amount) return ReportError(amount.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    Allocation a{o.id, o.source, o.document, o.year, *amount, SplitComma(o.earmark)};
    auto r = service::AddAllocation(*s->store, s->plan, a, Change(g));
    if (!r) return Fails(r.error());
    if (g.json)
        PrintJson(service::AllocationJson(*r, r->source));
    else
        std::printf("已添加拨付 Allocation added: %lld %s %s %s元\n", static_cast<long long>(r->id), r->source.c_str(),
                    r->document_number.c_str(), FundYuan(r->amount).c_str());
    return kExitOk;
}

int RunAllocationList(const GlobalOptions& g, const AllocationListOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::AllocationsJson(*s->store, s->plan, o.year ? std::optional<int>(o.year) : std::nullopt);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"编号 id", "来源 source", "文号 document", "年度 year", "金额 amount",
                                                "到位 received", "已支出 spent", "未支出 unspent"}};
    for (const json::value& v : r->at("allocations").as_array())
        rows.push_back({S(v.at("id")), S(v.at("source_name")), S(v.at("document_number")), S(v.at("year")),
                        S(v.at("amount")), S(v.at("received")), S(v.at("spent")), S(v.at("unspent"))});
    PrintRows(rows);
    return kExitOk;
}

int RunPayeeAdd(const GlobalOptions& g, const PayeeAddOptions& o) {
    auto kind = service::ParsePayeeKind(o.kind);
    if (!kind) return ReportError(Usage("--kind", "收款人类型应为 contractor 或 beneficiary", "--kind must be contractor or beneficiary").error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::AddPayee(*s->store, Payee{o.id, *kind, o.name}, Change(g));
    if (!r) return Fails(r.error());
    if (g.json)
        PrintJson(json::object{{"id", r->id}, {"kind", service::PayeeKindName(r->kind)}, {"name", r->name}});
    else
        std::printf("已添加收款人 Payee added: %lld %s\n", static_cast<long long>(r->id), r->name.c_str());
    return kExitOk;
}

int RunPayeeList(const GlobalOptions& g) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::PayeesJson(*s->store);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"编号 id", "类型 kind", "名称 name"}};
    for (const json::value& v : r->at("payees").as_array()) rows.push_back({S(v.at("id")), S(v.at("kind")), S(v.at("name"))});
    PrintRows(rows);
    return kExitOk;
}

int RunBalances(const GlobalOptions& g) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::FundBalancesJson(*s->store, s->plan);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"来源 source", "下达 allocated", "到位 received", "已安排 budgeted",
                                                "已支出 spent", "质保金 deposit", "未支出 unspent"}};
    auto add = [&](const std::string& name, const json::value& v) {
        rows.push_back({name, S(v.at("allocated")), S(v.at("received")), S(v.at("budgeted")), S(v.at("spent")),
                        S(v.at("deposit_held")), S(v.at("unspent"))});
    };
    for (const json::value& v : r->at("sources").as_array()) add(S(v.at("name")), v);
    add("合计 total", r->at("totals"));
    PrintRows(rows);
    return kExitOk;
}

int RunReport(const GlobalOptions& g, const ReportOptions& o) {
    int year = 0, month = 0;
    if (o.month.size() != 7 || o.month[4] != '-' || std::sscanf(o.month.c_str(), "%4d-%2d", &year, &month) != 2)
        return ReportError(Usage("--month", "--month 应为 YYYY-MM", "--month must be YYYY-MM").error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    const std::string prefix = o.unit == s->plan.county_code ? std::string() : o.unit;
    auto r = service::MonthlyReportJson(*s->store, s->plan, s->tree, year, month, prefix);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::printf("扶贫资金月报 Monthly expenditure report %s(报送期限 due %s)\n", S(r->at("month")).c_str(), S(r->at("due")).c_str());
    const json::value& t = r->at("totals");
    std::printf("本月支出 spent this month %s; 本年累计 this year %s; 已安排 budgeted %s; 下达 allocated %s; 未支出 unspent %s\n",
                S(t.at("spent_month")).c_str(), S(t.at("spent_year")).c_str(), S(t.at("budgeted")).c_str(),
                S(t.at("allocated")).c_str(), S(t.at("unspent")).c_str());
    for (const char* part : {"by_source", "by_earmark", "by_project", "by_township"}) {
        const json::array& rows_json = r->at(part).as_array();
        if (rows_json.empty()) continue;
        std::printf("\n%s\n", part);
        std::vector<std::vector<std::string>> rows{{"key", "名称 name", "本月 month", "本年 year", "已安排 budgeted",
                                                    "下达 allocated", "未支出 unspent"}};
        for (const json::value& v : rows_json)
            rows.push_back({S(v.at("key")), S(v.at("name")), S(v.at("spent_month")), S(v.at("spent_year")),
                            S(v.at("budgeted")), S(v.at("allocated")), S(v.at("unspent"))});
        PrintRows(rows);
    }
    return kExitOk;
}

int RunFindings(const GlobalOptions& g, const FindingsOptions& o) {
    auto as_of = DayOr(o.as_of, "--as-of");
    if (!as_of) return ReportError(as_of.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::FindingsJson(*s->store, s->plan, *as_of, "");
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    const json::array& f = r->at("findings").as_array();
    for (const json::value& v : f)
        std::printf("[%s] %s: %s / %s\n", S(v.at("severity")).c_str(), S(v.at("rule")).c_str(),
                    S(v.at("message_zh")).c_str(), S(v.at("message_en")).c_str());
    std::printf("共 %zu 项发现 / %zu findings as of %s\n", f.size(), f.size(), as_of->ToString().c_str());
    return kExitOk;
}

// --------------------------------------------------------------------------------------- project

struct ApplyOptions {
    std::string file, date, notes;
};
struct ProjectListOptions {
    std::string state, unit, q;
    int64_t limit = 1000, offset = 0;
};
struct ProjectRefOptions {
    std::string project;
};
struct StepOptions {
    std::string project, step, date, outcome, notes, refs, reapproved;
    int64_t version = 0;
};

void PrintProject(const json::object& p) {
    std::printf("项目 Project %s %s (%s %s)\n", S(p.at("code")).c_str(), S(p.at("name")).c_str(),
                S(p.at("state")).c_str(), S(p.at("state_zh")).c_str());
    std::printf("  编号 id %s, 版本 version %s, 地点 division %s\n", S(p.at("id")).c_str(), S(p.at("version")).c_str(),
                S(p.at("division_code")).c_str());
    std::printf("  金额 approved %s%s\n", S(p.at("approved")).c_str(),
                p.at("reapproved").is_null() ? "" : (" (重新批复 reapproved " + S(p.at("reapproved")) + ")").c_str());
    std::printf("  实施期 period %s – %s\n", S(p.at("period_start")).c_str(), S(p.at("period_end")).c_str());
    for (const json::value& s : p.at("steps").as_array())
        std::printf("  %s %s %s → %s (%s) %s\n", S(s.at("date")).c_str(), S(s.at("step")).c_str(),
                    S(s.at("from_state")).c_str(), S(s.at("to_state")).c_str(), S(s.at("outcome")).c_str(),
                    S(s.at("actor")).c_str());
}

int RunApply(const GlobalOptions& g, const ApplyOptions& o) {
    auto text = ReadFile(o.file);
    if (!text) return ReportError(text.error());
    boost::system::error_code ec;
    json::value body = json::parse(*text, ec);
    if (ec) return ReportError(Usage("file", "文件不是有效的 JSON: " + o.file, "the file is not valid JSON: " + o.file).error());
    auto proposal = service::ProjectFromJson(body);
    if (!proposal) return Fails(proposal.error());
    auto date = DayOr(o.date, "--date");
    if (!date) return ReportError(date.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::ApplyProject(*s->store, s->plan, *proposal, *date, o.notes, CountyActor(g, *s), Change(g));
    if (!r) return Fails(r.error());
    const json::object record = service::ProjectRecordJson(*r);
    if (g.json)
        PrintJson(record);
    else
        PrintProject(record);
    return kExitOk;
}

int RunProjectList(const GlobalOptions& g, const ProjectListOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    LibraryProjectFilter f;
    f.state = o.state;
    f.division_prefix = o.unit == s->plan.county_code ? std::string() : o.unit;
    f.q = o.q;
    f.limit = o.limit;
    f.offset = o.offset;
    if (!f.state.empty() && !IsProjectLibraryState(f.state))
        return ReportError(Usage("--state", "未知的项目状态: " + f.state, "unknown project state: " + f.state).error());
    auto r = service::ProjectListJson(*s->store, s->tree, f);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"编号 id", "代码 code", "名称 name", "地点 division", "状态 state",
                                                "金额 approved", "已支付 paid", "受益户 households"}};
    for (const json::value& v : r->at("projects").as_array())
        rows.push_back({S(v.at("id")), S(v.at("code")), S(v.at("name")), S(v.at("division_name")), S(v.at("state_zh")),
                        S(v.at("approved")), S(v.at("paid")), S(v.at("beneficiaries"))});
    PrintRows(rows);
    std::printf("共 %s 个项目 / %s projects\n", S(r->at("total")).c_str(), S(r->at("total")).c_str());
    return kExitOk;
}

int RunProjectShow(const GlobalOptions& g, const ProjectRefOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto p = service::FindProject(*s->store, o.project);
    if (!p) return Fails(p.error());
    auto r = service::ProjectShowJson(*s->store, s->plan, *p, CountyActor(g, *s));
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    PrintProject(r->at("project").as_object());
    const json::value& m = r->at("money");
    std::printf("  资金 money: 已安排 budgeted %s, 已支付 paid %s, 质保金 deposit %s, 阶段上限 stage cap %s\n",
                S(m.at("budgeted")).c_str(), S(m.at("paid")).c_str(), S(m.at("deposit_held")).c_str(),
                S(m.at("stage_cap")).c_str());
    std::printf("  分录 entries: %zu; 受益户 households: %zu\n", r->at("entries").as_array().size(),
                r->at("households").as_array().size());
    std::string allowed;
    for (const json::value& v : r->at("allowed_steps").as_array()) allowed += (allowed.empty() ? "" : ", ") + S(v);
    std::printf("  可办理 allowed steps: %s\n", allowed.empty() ? "—" : allowed.c_str());
    return kExitOk;
}

int RunProjectStep(const GlobalOptions& g, const StepOptions& o) {
    ProjectStepRequest req;
    req.step = o.step;
    auto date = DayOr(o.date, "--date");
    if (!date) return ReportError(date.error());
    req.date = *date;
    req.outcome = o.outcome;
    req.notes = o.notes;
    req.refs = o.refs;
    if (!o.reapproved.empty()) {
        auto f = service::ParseYuan(o.reapproved, "--reapproved");
        if (!f) return ReportError(f.error());
        req.reapproved = *f;
    }
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto p = service::FindProject(*s->store, o.project);
    if (!p) return Fails(p.error());
    auto r = service::TakeProjectStep(*s->store, s->plan, p->id, req,
                                      o.version ? std::optional<int64_t>(o.version) : std::nullopt, CountyActor(g, *s),
                                      Change(g));
    if (!r) return Fails(r.error());
    const json::object record = service::ProjectRecordJson(*r);
    if (g.json)
        PrintJson(json::object{{"project", record}});
    else
        PrintProject(record);
    return kExitOk;
}

int RunProjectNotice(const GlobalOptions& g, const ProjectRefOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto p = service::FindProject(*s->store, o.project);
    if (!p) return Fails(p.error());
    auto r = service::ProjectNoticeJson(*s->store, s->plan, s->tree, *p);
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::printf("扶贫资金项目公示 Notice of a poverty-alleviation project\n");
    std::printf("项目 %s %s\n地点 place: %s\n建设任务 task: %s\n补助标准 subsidy: %s\n", S(r->at("code")).c_str(),
                S(r->at("name")).c_str(), S(r->at("place")).c_str(), S(r->at("task")).c_str(),
                S(r->at("subsidy_standard")).c_str());
    for (const json::value& v : r->at("sources").as_array())
        std::printf("资金来源 source: %s %s元\n", S(v.at("source_name")).c_str(), S(v.at("amount")).c_str());
    std::printf("金额 amount: %s元; 实施期 %s – %s; 实施单位 %s; 责任人 %s\n绩效目标 target: %s\n",
                S(r->at("amount")).c_str(), S(r->at("period_start")).c_str(), S(r->at("period_end")).c_str(),
                S(r->at("unit")).c_str(), S(r->at("responsible")).c_str(), S(r->at("performance_target")).c_str());
    for (const json::value& v : r->at("households").as_array())
        std::printf("受益户 household: %s %s %s\n", S(v.at("household_code")).c_str(), S(v.at("head_name")).c_str(),
                    S(v.at("how")).c_str());
    std::printf("公示期 posted %s 至 until %s(不少于 %s 天)。监督举报电话 hotline: %s\n", S(r->at("posted_on")).c_str(),
                S(r->at("until")).c_str(), S(r->at("days")).c_str(), S(r->at("hotline")).c_str());
    return kExitOk;
}

// ---------------------------------------------------------------------------------------- ledger

struct PostOptions {
    std::string kind, date, amount, stage, refs, decision, file;
    int64_t allocation = 0, project = 0, payee = 0, to_allocation = 0;
};
struct ReverseOptions {
    int64_t entry = 0;
    std::string date, refs;
};
struct LedgerListOptions {
    int64_t allocation = 0, project = 0, limit = 1000, offset = 0;
    std::string kind, from, to;
};

int PrintPosted(const GlobalOptions& g, const std::vector<FundEntry>& posted) {
    json::array out;
    for (const FundEntry& e : posted) out.push_back(service::EntryJson(e));
    if (g.json) {
        PrintJson(json::object{{"entries", std::move(out)}});
        return kExitOk;
    }
    for (const FundEntry& e : posted)
        std::printf("已记账 Posted %lld: %s %s %s → %s %s元\n", static_cast<long long>(e.id), e.date.ToString().c_str(),
                    std::string(FundEntryKindName(e.kind)).c_str(), e.from_account.c_str(), e.to_account.c_str(),
                    FundYuan(e.amount).c_str());
    return kExitOk;
}

int RunPost(const GlobalOptions& g, const PostOptions& o) {
    std::vector<FundEntry> batch;
    if (!o.file.empty()) {
        auto text = ReadFile(o.file);
        if (!text) return ReportError(text.error());
        boost::system::error_code ec;
        json::value body = json::parse(*text, ec);
        if (ec) return ReportError(Usage("--file", "文件不是有效的 JSON: " + o.file, "the file is not valid JSON: " + o.file).error());
        auto entries = service::EntriesFromJson(body);
        if (!entries) return Fails(entries.error());
        batch = std::move(*entries);
    } else {
        if (o.kind.empty()) return ReportError(Usage("--kind", "须给出 --kind 或 --file", "give --kind or --file").error());
        auto kind = ParseFundEntryKind(o.kind);
        if (!kind) return ReportError(Usage("--kind", "未知的分录类型: " + o.kind, "unknown entry kind: " + o.kind).error());
        auto date = DayOr(o.date, "--date");
        if (!date) return ReportError(date.error());
        FundEntry e;
        e.kind = *kind;
        e.date = *date;
        e.allocation = o.allocation;
        e.project = o.project;
        e.payee = o.payee;
        e.to_allocation = o.to_allocation;
        if (*kind != FundEntryKind::kReversal) {
            auto amount = service::ParseYuan(o.amount, "--amount");
            if (!amount) return ReportError(amount.error());
            e.amount = *amount;
        }
        e.stage = o.stage;
        e.refs = o.refs;
        e.decision_id = o.decision;
        batch.push_back(std::move(e));
    }
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::PostEntries(*s->store, s->plan, batch, Today(), Change(g));
    if (!r) return Fails(r.error());
    return PrintPosted(g, *r);
}

int RunReverse(const GlobalOptions& g, const ReverseOptions& o) {
    auto date = DayOr(o.date, "--date");
    if (!date) return ReportError(date.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::ReverseEntry(*s->store, s->plan, o.entry, *date, o.refs, Today(), Change(g));
    if (!r) return Fails(r.error());
    return PrintPosted(g, {*r});
}

int RunLedgerList(const GlobalOptions& g, const LedgerListOptions& o) {
    FundEntryQuery q;
    q.allocation = o.allocation;
    q.project = o.project;
    q.limit = o.limit;
    q.offset = o.offset;
    if (!o.kind.empty()) {
        q.kind = ParseFundEntryKind(o.kind);
        if (!q.kind) return ReportError(Usage("--kind", "未知的分录类型: " + o.kind, "unknown entry kind: " + o.kind).error());
    }
    if (!o.from.empty()) {
        auto d = ParseDateOption(o.from, "--from");
        if (!d) return ReportError(d.error());
        q.from = *d;
    }
    if (!o.to.empty()) {
        auto d = ParseDateOption(o.to, "--to");
        if (!d) return ReportError(d.error());
        q.to = *d;
    }
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto r = service::EntriesJson(*s->store, q, "");
    if (!r) return Fails(r.error());
    if (g.json) {
        PrintJson(*r);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"编号 id", "日期 date", "类型 kind", "从 from", "到 to", "金额 amount",
                                                "冲销 reversed_by"}};
    for (const json::value& v : r->at("entries").as_array())
        rows.push_back({S(v.at("id")), S(v.at("date")), S(v.at("kind")), S(v.at("from_account")), S(v.at("to_account")),
                        S(v.at("amount")), S(v.at("reversed_by"))});
    PrintRows(rows);
    std::printf("共 %s 条分录 / %s entries\n", S(r->at("total")).c_str(), S(r->at("total")).c_str());
    return kExitOk;
}

struct LedgerImportOptions {
    std::string file, errors;
};
struct LedgerExportOptions {
    std::string file, format;
    int64_t allocation = 0, project = 0;
};

// Posts the file's entries all at once (nothing when any row is rejected or a rule refuses one);
// rejected rows go to the error file.
int RunLedgerImport(const GlobalOptions& g, const LedgerImportOptions& o) {
    auto rows = io::ReadFundEntries(o.file);
    if (!rows) return ReportError(rows.error());
    const std::string errors_path = o.errors.empty() ? o.file + ".errors.csv" : o.errors;
    auto reject = [&](const std::vector<Error>& errors, int status) {
        if (auto w = io::WriteFundRowErrors(errors, errors_path); !w) return ReportError(w.error());
        if (g.json) {
            json::array rejected;
            for (const Error& e : errors)
                rejected.push_back(json::object{{"row", e.row}, {"field", e.field}, {"code", e.code}, {"reason", e.Reason()}});
            PrintJson(json::object{{"posted", 0}, {"rejected", std::move(rejected)}, {"errors_file", errors_path}});
        }
        std::cerr << "jingzhun: " << errors.size() << " 行被拒绝,未记账 / rows rejected, nothing posted: " << errors_path
                  << " [" << errors.front().code << "]\n";
        return status;
    };
    if (!rows->errors.empty()) return reject(rows->errors, kExitUsage);
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto posted = service::PostEntries(*s->store, s->plan, rows->entries, Today(), Change(g));
    if (!posted) {
        Error e = posted.error();
        if (e.row >= 1 && e.row <= static_cast<int64_t>(rows->rows.size())) e.row = rows->rows[static_cast<size_t>(e.row - 1)];
        if (!e.code.starts_with("fund.") || e.code == "fund.invalid") return Fails(e);
        return reject({e}, kExitRefused);
    }
    if (g.json) {
        json::array out;
        for (const FundEntry& e : *posted) out.push_back(service::EntryJson(e));
        PrintJson(json::object{{"posted", static_cast<int64_t>(posted->size())}, {"entries", std::move(out)}});
    } else {
        std::printf("已记账 Posted %zu entries from %s\n", posted->size(), o.file.c_str());
    }
    return kExitOk;
}

int RunLedgerExport(const GlobalOptions& g, const LedgerExportOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    FundEntryQuery q;
    q.allocation = o.allocation;
    q.project = o.project;
    auto listed = s->store->ListFundEntriesBy(q);
    if (!listed) return Fails(listed.error());
    std::vector<FundEntry> entries;
    for (const ListedFundEntry& l : *listed) entries.push_back(l.stored.entry);
    auto n = io::WriteFundEntries(entries, o.file, *format);
    if (!n) return Fails(n.error());
    if (g.json)
        PrintJson(json::object{{"file", o.file}, {"entries", *n}});
    else
        std::printf("已导出 Exported %lld entries to %s\n", static_cast<long long>(*n), o.file.c_str());
    return kExitOk;
}

struct FileOptions {
    std::string file, format, errors;
    int year = 0;
};

int RunAllocationImport(const GlobalOptions& g, const FileOptions& o) {
    auto rows = io::ReadAllocations(o.file);
    if (!rows) return ReportError(rows.error());
    const std::string errors_path = o.errors.empty() ? o.file + ".errors.csv" : o.errors;
    auto reject = [&](const std::vector<Error>& errors, int status) {
        if (auto w = io::WriteFundRowErrors(errors, errors_path); !w) return ReportError(w.error());
        std::cerr << "jingzhun: " << errors.size() << " 行被拒绝,未导入 / rows rejected, nothing imported: " << errors_path
                  << " [" << errors.front().code << "]\n";
        return status;
    };
    if (!rows->errors.empty()) return reject(rows->errors, kExitUsage);
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto added = service::AddAllocations(*s->store, s->plan, rows->allocations, Change(g));
    if (!added) {
        Error e = added.error();
        if (e.row >= 1 && e.row <= static_cast<int64_t>(rows->rows.size())) e.row = rows->rows[static_cast<size_t>(e.row - 1)];
        if (e.code.starts_with("store.") && e.code != "store.duplicate") return Fails(e);
        return reject({e}, e.code == "store.duplicate" ? kExitRefused : kExitUsage);
    }
    if (g.json)
        PrintJson(json::object{{"imported", static_cast<int64_t>(added->size())}});
    else
        std::printf("已导入 Imported %zu allocations from %s\n", added->size(), o.file.c_str());
    return kExitOk;
}

int RunAllocationExport(const GlobalOptions& g, const FileOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto all = s->store->ListAllocations();
    if (!all) return Fails(all.error());
    std::vector<Allocation> chosen;
    for (const Allocation& a : *all)
        if (!o.year || a.year == o.year) chosen.push_back(a);
    auto n = io::WriteAllocations(chosen, o.file, *format);
    if (!n) return Fails(n.error());
    if (g.json)
        PrintJson(json::object{{"file", o.file}, {"allocations", *n}});
    else
        std::printf("已导出 Exported %lld allocations to %s\n", static_cast<long long>(*n), o.file.c_str());
    return kExitOk;
}

int RunProjectExport(const GlobalOptions& g, const FileOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto all = s->store->ListLibraryProjects({});
    if (!all) return Fails(all.error());
    auto n = io::WriteProjects(*all, o.file, *format);
    if (!n) return Fails(n.error());
    if (g.json)
        PrintJson(json::object{{"file", o.file}, {"projects", *n}});
    else
        std::printf("已导出 Exported %lld projects to %s\n", static_cast<long long>(*n), o.file.c_str());
    return kExitOk;
}

CLI::App& Parent(CLI::App& app, const std::string& name, const std::string& description) {
    for (CLI::App* sub : app.get_subcommands([&](CLI::App* a) { return a->get_name() == name; })) return *sub;
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->require_subcommand(1);
    return *cmd;
}

}  // namespace

CLI::App& FundCommand(CLI::App& app) {
    return Parent(app, "fund", "Funds (资金): sources, allocations, payees, balances, the monthly report, findings");
}
CLI::App& ProjectCommand(CLI::App& app) {
    return Parent(app, "project", "The project library (项目库): apply, steps with levels and publicity, notice");
}
CLI::App& FundLedgerCommand(CLI::App& app) {
    return Parent(app, "ledger", "The funds ledger (资金台账): post and reverse entries, list them");
}

void RegisterFundsCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    CLI::App& fund = FundCommand(registry.app());

    CLI::App* source = fund.add_subcommand("source", "Fund sources (资金来源)");
    source->require_subcommand(1);
    auto sadd = std::make_shared<SourceAddOptions>();
    auto* sadd_cmd = source->add_subcommand("add", "Add a fund source beyond the built-in five and the plan's");
    sadd_cmd->add_option("--code", sadd->code, "Code [a-z0-9_]{1,40}")->required();
    sadd_cmd->add_option("--name", sadd->name, "Name")->required();
    sadd_cmd->add_flag("--special-poverty", sadd->special_poverty, "Special poverty funds (the negative list applies)");
    registry.Runs(sadd_cmd, [&g, sadd] { return RunSourceAdd(g, *sadd); });
    auto* slist_cmd = source->add_subcommand("list", "List the fund sources");
    registry.Runs(slist_cmd, [&g] { return RunSourceList(g); });

    CLI::App* allocation = fund.add_subcommand("allocation", "Allocations (资金拨付): a document granting an amount");
    allocation->require_subcommand(1);
    auto aadd = std::make_shared<AllocationAddOptions>();
    auto* aadd_cmd = allocation->add_subcommand("add", "Add an allocation");
    aadd_cmd->add_option("--source", aadd->source, "Fund source code")->required();
    aadd_cmd->add_option("--document", aadd->document, "Document number (文号)")->required();
    aadd_cmd->add_option("--year", aadd->year, "Year")->required();
    aadd_cmd->add_option("--amount", aadd->amount, "Amount in yuan (\"1234.50\")")->required();
    aadd_cmd->add_option("--earmark", aadd->earmark, "Allowed use codes, comma-separated (none: any use)");
    aadd_cmd->add_option("--id", aadd->id, "Id (default: the next one)");
    registry.Runs(aadd_cmd, [&g, aadd] { return RunAllocationAdd(g, *aadd); });
    auto alist = std::make_shared<AllocationListOptions>();
    auto* alist_cmd = allocation->add_subcommand("list", "List allocations with received, budgeted, spent, unspent");
    alist_cmd->add_option("--year", alist->year, "Only this year's");
    registry.Runs(alist_cmd, [&g, alist] { return RunAllocationList(g, *alist); });
    auto aimp = std::make_shared<FileOptions>();
    auto* aimp_cmd = allocation->add_subcommand("import", "Add the allocations of a spreadsheet (csv or xlsx): all or nothing");
    aimp_cmd->add_option("file", aimp->file, "The file")->required();
    aimp_cmd->add_option("--errors", aimp->errors, "Where rejected rows go (default FILE.errors.csv)");
    registry.Runs(aimp_cmd, [&g, aimp] { return RunAllocationImport(g, *aimp); });
    auto aexp = std::make_shared<FileOptions>();
    auto* aexp_cmd = allocation->add_subcommand("export", "Write the allocations (csv or xlsx)");
    aexp_cmd->add_option("file", aexp->file, "The file (.xlsx: xlsx, else csv)")->required();
    aexp_cmd->add_option("--format", aexp->format, "csv, csv-nobom, gb18030 or xlsx (default from the extension)");
    aexp_cmd->add_option("--year", aexp->year, "Only this year's");
    registry.Runs(aexp_cmd, [&g, aexp] { return RunAllocationExport(g, *aexp); });

    CLI::App* payee = fund.add_subcommand("payee", "Payees (收款人): contractors and beneficiaries");
    payee->require_subcommand(1);
    auto padd = std::make_shared<PayeeAddOptions>();
    auto* padd_cmd = payee->add_subcommand("add", "Add a payee");
    padd_cmd->add_option("--kind", padd->kind, "contractor (default) or beneficiary");
    padd_cmd->add_option("--name", padd->name, "Name")->required();
    padd_cmd->add_option("--id", padd->id, "Id (default: the next one)");
    registry.Runs(padd_cmd, [&g, padd] { return RunPayeeAdd(g, *padd); });
    auto* plist_cmd = payee->add_subcommand("list", "List payees");
    registry.Runs(plist_cmd, [&g] { return RunPayeeList(g); });

    auto* bal_cmd = fund.add_subcommand("balances", "Balances by source, totals and every account's balance");
    registry.Runs(bal_cmd, [&g] { return RunBalances(g); });

    auto rep = std::make_shared<ReportOptions>();
    auto* rep_cmd = fund.add_subcommand("report", "The monthly expenditure report (扶贫资金月报, due the 5th of next month)");
    rep_cmd->add_option("--month", rep->month, "The month (YYYY-MM)")->required();
    rep_cmd->add_option("--unit", rep->unit, "A township: only its projects' rows");
    registry.Runs(rep_cmd, [&g, rep] { return RunReport(g, *rep); });

    auto fin = std::make_shared<FindingsOptions>();
    auto* fin_cmd = fund.add_subcommand("findings", "Findings: idle funds, deposits overdue, notices missing, refused postings");
    fin_cmd->add_option("--as-of", fin->as_of, "The day (default today)");
    registry.Runs(fin_cmd, [&g, fin] { return RunFindings(g, *fin); });

    CLI::App& project = ProjectCommand(registry.app());
    auto apply = std::make_shared<ApplyOptions>();
    auto* apply_cmd = project.add_subcommand("apply", "Apply for a project: the record as a JSON file (the API's body)");
    apply_cmd->add_option("file", apply->file, "JSON file with the record's fields")->required();
    apply_cmd->add_option("--date", apply->date, "The day of the application (default today)");
    apply_cmd->add_option("--notes", apply->notes, "Notes");
    registry.Runs(apply_cmd, [&g, apply] { return RunApply(g, *apply); });

    auto plist = std::make_shared<ProjectListOptions>();
    auto* plist2 = project.add_subcommand("list", "List projects");
    plist2->add_option("--state", plist->state, "Only this state (applied ... closed, rejected)");
    plist2->add_option("--unit", plist->unit, "Projects under this township or village");
    plist2->add_option("--q", plist->q, "In the code or the name");
    plist2->add_option("--limit", plist->limit, "At most this many (default 1000)")->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    plist2->add_option("--offset", plist->offset, "Skip this many")->check(CLI::Range(int64_t{0}, int64_t{1'000'000'000}));
    registry.Runs(plist2, [&g, plist] { return RunProjectList(g, *plist); });

    auto show = std::make_shared<ProjectRefOptions>();
    auto* show_cmd = project.add_subcommand("show", "A project: record, money, entries, households, allowed steps");
    show_cmd->add_option("project", show->project, "Id or code")->required();
    registry.Runs(show_cmd, [&g, show] { return RunProjectShow(g, *show); });

    auto step = std::make_shared<StepOptions>();
    auto* step_cmd = project.add_subcommand("step", "Take a step: notice, object, review, appraise, approve, reapprove, start, near_completion, accept, close");
    step_cmd->add_option("project", step->project, "Id or code")->required();
    step_cmd->add_option("--step", step->step, "The step")->required();
    step_cmd->add_option("--date", step->date, "The day (default today)");
    step_cmd->add_option("--outcome", step->outcome, "rejected (review, appraise, approve); default the usual one");
    step_cmd->add_option("--notes", step->notes, "Notes");
    step_cmd->add_option("--refs", step->refs, "Document numbers");
    step_cmd->add_option("--reapproved", step->reapproved, "reapprove: the new amount in yuan");
    step_cmd->add_option("--version", step->version, "Refuse unless the project is at this version");
    registry.Runs(step_cmd, [&g, step] { return RunProjectStep(g, *step); });

    auto notice = std::make_shared<ProjectRefOptions>();
    auto* notice_cmd = project.add_subcommand("notice", "The publicity notice (公示) of a project");
    notice_cmd->add_option("project", notice->project, "Id or code")->required();
    registry.Runs(notice_cmd, [&g, notice] { return RunProjectNotice(g, *notice); });
    auto pexp = std::make_shared<FileOptions>();
    auto* pexp_cmd = project.add_subcommand("export", "Write the project library (csv or xlsx)");
    pexp_cmd->add_option("file", pexp->file, "The file (.xlsx: xlsx, else csv)")->required();
    pexp_cmd->add_option("--format", pexp->format, "csv, csv-nobom, gb18030 or xlsx (default from the extension)");
    registry.Runs(pexp_cmd, [&g, pexp] { return RunProjectExport(g, *pexp); });

    CLI::App& ledger = FundLedgerCommand(registry.app());
    auto post = std::make_shared<PostOptions>();
    auto* post_cmd = ledger.add_subcommand("post", "Post one entry (options) or a batch (--file, the API's JSON): all or nothing");
    post_cmd->add_option("--file", post->file, "JSON {\"entries\":[...]}");
    post_cmd->add_option("--kind", post->kind, "receive, budget, disburse, retain_deposit, release_deposit, interest, transfer");
    post_cmd->add_option("--date", post->date, "The day (default today)");
    post_cmd->add_option("--allocation", post->allocation, "Allocation id");
    post_cmd->add_option("--project", post->project, "Project id");
    post_cmd->add_option("--payee", post->payee, "Payee id");
    post_cmd->add_option("--to-allocation", post->to_allocation, "transfer: the receiving allocation");
    post_cmd->add_option("--amount", post->amount, "Amount in yuan");
    post_cmd->add_option("--stage", post->stage, "disburse: the stage");
    post_cmd->add_option("--refs", post->refs, "Document numbers");
    post_cmd->add_option("--decision", post->decision, "The approved decision's id");
    registry.Runs(post_cmd, [&g, post] { return RunPost(g, *post); });

    auto rev = std::make_shared<ReverseOptions>();
    auto* rev_cmd = ledger.add_subcommand("reverse", "Reverse an entry (a correction is a reversing entry)");
    rev_cmd->add_option("entry", rev->entry, "The entry's id")->required();
    rev_cmd->add_option("--date", rev->date, "The day (default today)");
    rev_cmd->add_option("--refs", rev->refs, "Document numbers");
    registry.Runs(rev_cmd, [&g, rev] { return RunReverse(g, *rev); });

    auto llist = std::make_shared<LedgerListOptions>();
    auto* llist_cmd = ledger.add_subcommand("list", "List entries");
    llist_cmd->add_option("--allocation", llist->allocation, "Entries of this allocation");
    llist_cmd->add_option("--project", llist->project, "Entries of this project");
    llist_cmd->add_option("--kind", llist->kind, "Entries of this kind");
    llist_cmd->add_option("--from", llist->from, "From this day");
    llist_cmd->add_option("--to", llist->to, "To this day");
    llist_cmd->add_option("--limit", llist->limit, "At most this many (default 1000)")->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    llist_cmd->add_option("--offset", llist->offset, "Skip this many")->check(CLI::Range(int64_t{0}, int64_t{1'000'000'000}));
    registry.Runs(llist_cmd, [&g, llist] { return RunLedgerList(g, *llist); });

    auto limp = std::make_shared<LedgerImportOptions>();
    auto* limp_cmd = ledger.add_subcommand("import", "Post the entries of a spreadsheet (csv or xlsx, docs/import-format.md): all or nothing");
    limp_cmd->add_option("file", limp->file, "The file")->required();
    limp_cmd->add_option("--errors", limp->errors, "Where rejected rows go (default FILE.errors.csv)");
    registry.Runs(limp_cmd, [&g, limp] { return RunLedgerImport(g, *limp); });

    auto lexp = std::make_shared<LedgerExportOptions>();
    auto* lexp_cmd = ledger.add_subcommand("export", "Write the entries in the exchange layout (csv or xlsx)");
    lexp_cmd->add_option("file", lexp->file, "The file (.xlsx: xlsx, else csv)")->required();
    lexp_cmd->add_option("--format", lexp->format, "csv, csv-nobom, gb18030 or xlsx (default from the extension)");
    lexp_cmd->add_option("--allocation", lexp->allocation, "Only this allocation's entries");
    lexp_cmd->add_option("--project", lexp->project, "Only this project's entries");
    registry.Runs(lexp_cmd, [&g, lexp] { return RunLedgerExport(g, *lexp); });
}

}  // namespace jz::cli
