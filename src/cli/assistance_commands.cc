// The assistance ledger from the command line (一户一本台账): `assistance list|add|sign|delete`.
// Each command is thin: it reads its options, calls service/assistance.h and prints the record
// (human text, or the API's JSON with --json). Exit statuses: 0 done; 2 usage or unusable input
// (also an unknown household or item); 4 refused (a deregistered household's read-only items, a
// deleted item, an item already signed, a stale --version); 1 the database failed.
// `assistance import|export` (ledger_exchange_commands.cc) attach to the same parent command
// through AssistanceCommand.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "core/codes.h"
#include "core/text.h"
#include "service/assistance.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

struct ListOptions {
    std::string household;
    std::string unit;
    int measure = 0;
    std::string from, to;
    bool unsigned_only = false;
    bool deleted = false;
    int64_t limit = 1000;
};

struct AddOptions {
    std::string item_code;
    std::string household;
    std::vector<std::string> members;
    int measure = 0;
    std::string category, kind;
    std::string start, end;
    std::string amount, periodic_amount, period;
    std::string fund_ref, notes;
    std::string signed_on, signed_by;
};

struct SignOptions {
    std::string code;
    std::string on;
    std::string by;
    std::optional<int64_t> version;
};

struct DeleteOptions {
    std::string code;
    std::string reason;
    std::optional<int64_t> version;
};

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

std::unexpected<Error> Usage(const std::string& option, const std::string& zh, const std::string& en) {
    return Fail("usage.option", option, zh, en);
}

// A code of `table` given as its code or name (`option` names it in errors).
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

Result<std::optional<Fen>> YuanOption(const std::string& text, const std::string& option) {
    if (text.empty()) return std::optional<Fen>{};
    if (auto fen = ParseCenti(text)) return std::optional<Fen>(*fen);
    return Usage(option, option + " 应为金额(元,最多两位小数): " + text,
                 option + " must be an amount in yuan with at most two decimals: " + text);
}

Result<std::optional<Date>> OptionalDate(const std::string& text, const std::string& option) {
    if (text.empty()) return std::optional<Date>{};
    auto d = ParseDateOption(text, option);
    if (!d) return std::unexpected(d.error());
    return std::optional<Date>(*d);
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

std::string MoneyText(const std::optional<Fen>& v) { return v ? FormatCenti(*v) : std::string("–"); }

std::string AmountText(const AssistanceItem& item) {
    std::string out;
    if (item.amount) out = FormatCenti(*item.amount);
    if (item.periodic_amount) {
        if (!out.empty()) out += " + ";
        out += FormatCenti(*item.periodic_amount) + "/" +
               (item.period == codes::kPeriodYearly ? "年 yr" : "月 mo");
    }
    return out.empty() ? "–" : out;
}

void PrintRecord(const AssistanceRecord& r, const Plan& plan) {
    const AssistanceItem& i = r.item;
    const PlanMeasure* m = plan.FindMeasure(i.measure);
    std::printf("帮扶项目 Assistance item %s (version %lld)%s\n", i.item_code.c_str(), static_cast<long long>(r.version),
                r.deleted ? "  已删除 DELETED" : "");
    std::printf("  户编号 household      %s (%s)\n", i.household_code.c_str(), r.division_code.c_str());
    std::string members;
    for (const std::string& id : i.member_ids) members += (members.empty() ? "" : ", ") + id;
    std::printf("  受益成员 members      %s\n", members.empty() ? "全户 the whole household" : members.c_str());
    std::printf("  措施 measure          %d %s\n", i.measure, m ? m->name.c_str() : "?");
    std::printf("  类别 category         %d %s\n", i.category, Str(codes::AssistanceCategory().NameOf(i.category)).c_str());
    std::printf("  方式 kind             %d %s\n", i.kind, Str(codes::AssistanceKind().NameOf(i.kind)).c_str());
    std::printf("  期间 period           %s – %s\n", i.start_date.ToString().c_str(),
                i.end_date ? i.end_date->ToString().c_str() : "");
    std::printf("  金额 amount (yuan)    %s\n", AmountText(i).c_str());
    if (!i.fund_ref.empty()) std::printf("  项目/资金 fund        %s\n", i.fund_ref.c_str());
    if (!i.notes.empty()) std::printf("  备注 notes            %s\n", i.notes.c_str());
    if (i.signed_on)
        std::printf("  签字确认 signed off   %s %s\n", i.signed_on->ToString().c_str(), i.signed_by.c_str());
    else
        std::printf("  签字确认 signed off   未确认 unconfirmed\n");
    if (r.deleted) std::printf("  删除原因 reason       %s\n", r.delete_reason.c_str());
}

int PrintResult(const GlobalOptions& g, const Result<AssistanceRecord>& r, const Plan& plan) {
    if (!r) return ReportFailure(r.error());
    if (g.json)
        PrintJson(service::AssistanceJson(*r));
    else
        PrintRecord(*r, plan);
    return kExitOk;
}

// --------------------------------------------------------------------------------------- list

int RunList(const GlobalOptions& g, const ListOptions& o) {
    AssistanceFilter f;
    if (!o.household.empty()) f.household_code = o.household;
    f.division_prefix = o.unit;
    if (o.measure) f.measure = o.measure;
    auto from = OptionalDate(o.from, "--from");
    if (!from) return ReportError(from.error());
    auto to = OptionalDate(o.to, "--to");
    if (!to) return ReportError(to.error());
    if (*from && *to && **to < **from)
        return ReportError(Usage("--to", "--to 早于 --from", "--to is before --from").error());
    f.from = *from;
    f.to = *to;
    if (o.unsigned_only) f.signed_off = false;
    f.include_deleted = o.deleted;
    f.limit = o.limit;
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    if (!o.unit.empty() && !s->tree.Find(o.unit))
        return ReportError(Usage("--unit", "未知的行政区划代码: " + o.unit, "unknown division code: " + o.unit).error());
    if (o.measure && !s->plan.FindMeasure(o.measure))
        return ReportError(Usage("--measure", "计划中没有第" + std::to_string(o.measure) + "项措施",
                                 "the plan has no measure " + std::to_string(o.measure))
                               .error());
    auto items = s->store->ListAssistance(f);
    if (!items) return ReportFailure(items.error());
    auto total = s->store->CountAssistance(f);
    if (!total) return ReportFailure(total.error());
    if (g.json) {
        json::array out;
        for (const AssistanceRecord& r : *items) out.push_back(service::AssistanceJson(r));
        PrintJson({{"total", *total}, {"items", std::move(out)}});
        return kExitOk;
    }
    std::printf("%s %s %s %s %s %s %s %s\n", Pad("项目编号 item", 24).c_str(), Pad("户编号 household", 20).c_str(),
                Pad("措施 measure", 20).c_str(), Pad("类别 category", 22).c_str(), Pad("开始 start", 11).c_str(),
                Pad("结束 end", 11).c_str(), Pad("金额 amount", 20).c_str(), "签字 signed");
    for (const AssistanceRecord& r : *items) {
        const AssistanceItem& i = r.item;
        const PlanMeasure* m = s->plan.FindMeasure(i.measure);
        std::string sign = i.signed_on ? i.signed_on->ToString() + " " + i.signed_by : "未确认 unconfirmed";
        if (r.deleted) sign += "  已删除 deleted";
        std::printf("%s %s %s %s %s %s %s %s\n", Pad(i.item_code, 24).c_str(), Pad(i.household_code, 20).c_str(),
                    Pad(std::to_string(i.measure) + " " + (m ? m->name : "?"), 20).c_str(),
                    Pad(Str(codes::AssistanceCategory().NameOf(i.category)), 22).c_str(),
                    Pad(i.start_date.ToString(), 11).c_str(), Pad(i.end_date ? i.end_date->ToString() : "", 11).c_str(),
                    Pad(AmountText(i), 20).c_str(), sign.c_str());
    }
    std::printf("共 %lld 项 items: %lld%s\n", static_cast<long long>(*total), static_cast<long long>(*total),
                static_cast<int64_t>(items->size()) < *total
                    ? (" (显示前 " + std::to_string(items->size()) + " 项 first shown; --limit)").c_str()
                    : "");
    return kExitOk;
}

// ---------------------------------------------------------------------------------------- add

Result<AssistanceItem> ItemOf(const AddOptions& o) {
    AssistanceItem item;
    item.item_code = o.item_code;
    item.household_code = o.household;
    item.member_ids = o.members;
    item.measure = o.measure;
    auto category = CodeOption(codes::AssistanceCategory(), o.category, "--category");
    if (!category) return std::unexpected(category.error());
    item.category = *category;
    auto kind = CodeOption(codes::AssistanceKind(), o.kind, "--kind");
    if (!kind) return std::unexpected(kind.error());
    item.kind = *kind;
    auto start = ParseDateOption(o.start, "--start");
    if (!start) return std::unexpected(start.error());
    item.start_date = *start;
    auto end = OptionalDate(o.end, "--end");
    if (!end) return std::unexpected(end.error());
    item.end_date = *end;
    auto amount = YuanOption(o.amount, "--amount");
    if (!amount) return std::unexpected(amount.error());
    item.amount = *amount;
    auto periodic = YuanOption(o.periodic_amount, "--periodic-amount");
    if (!periodic) return std::unexpected(periodic.error());
    item.periodic_amount = *periodic;
    if (!o.period.empty()) {
        auto period = CodeOption(codes::AssistancePeriod(), o.period, "--period");
        if (!period) return std::unexpected(period.error());
        item.period = *period;
    }
    item.fund_ref = o.fund_ref;
    item.notes = o.notes;
    auto signed_on = OptionalDate(o.signed_on, "--signed-on");
    if (!signed_on) return std::unexpected(signed_on.error());
    item.signed_on = *signed_on;
    item.signed_by = o.signed_by;
    return item;
}

int RunAdd(const GlobalOptions& g, const AddOptions& o) {
    auto item = ItemOf(o);
    if (!item) return ReportError(item.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    return PrintResult(g, service::AddAssistance(*s->store, s->plan, std::move(*item), Change(g)), s->plan);
}

// ------------------------------------------------------------------------------- sign, delete

// The version to change: the one given, else the item's current one.
Result<int64_t> VersionOf(Store& store, const std::string& code, const std::optional<int64_t>& given) {
    if (given) return *given;
    auto found = store.FindAssistance(code);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return Fail("assistance.not_found", "item_code", "找不到帮扶项目 " + code, "assistance item " + code + " not found");
    return (*found)->version;
}

int RunSign(const GlobalOptions& g, const SignOptions& o) {
    auto on = ParseDateOption(o.on, "--on");
    if (!on) return ReportError(on.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto version = VersionOf(*s->store, o.code, o.version);
    if (!version) return ReportFailure(version.error());
    return PrintResult(g, service::SignAssistance(*s->store, o.code, *version, *on, o.by, Change(g)), s->plan);
}

int RunDelete(const GlobalOptions& g, const DeleteOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto version = VersionOf(*s->store, o.code, o.version);
    if (!version) return ReportFailure(version.error());
    return PrintResult(g, service::DeleteAssistance(*s->store, o.code, *version, o.reason, Change(g)), s->plan);
}

}  // namespace

CLI::App& AssistanceCommand(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "assistance"; }))
        return *sub;
    CLI::App* cmd = app.add_subcommand("assistance", "The assistance ledger (一户一本台账): items delivered to households");
    cmd->require_subcommand(1);
    return *cmd;
}

void RegisterAssistanceCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    CLI::App& parent = AssistanceCommand(registry.app());

    auto list = std::make_shared<ListOptions>();
    auto* list_cmd = parent.add_subcommand("list", "List assistance items, ordered by item code");
    list_cmd->add_option("--household", list->household, "Items of this household");
    list_cmd->add_option("--unit", list->unit, "Items of households under this org unit (county, township, village)");
    list_cmd->add_option("--measure", list->measure, "Items of this measure (the plan's number)");
    list_cmd->add_option("--from", list->from, "In force on some day from this date (YYYY-MM-DD)");
    list_cmd->add_option("--to", list->to, "... to this date");
    list_cmd->add_flag("--unsigned", list->unsigned_only, "Only items not yet signed off by the household");
    list_cmd->add_flag("--deleted", list->deleted, "Include deleted items (kept on record)");
    list_cmd->add_option("--limit", list->limit, "At most this many (default 1000)")
        ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
    registry.Runs(list_cmd, [&g, list] { return RunList(g, *list); });

    auto add = std::make_shared<AddOptions>();
    auto* add_cmd = parent.add_subcommand("add", "Add an item to a household's ledger and print it");
    add_cmd->add_option("--household", add->household, "Household code")->required();
    add_cmd->add_option("--item-code", add->item_code, "Item code (default: <household>-NNN, the next number)");
    add_cmd->add_option("--member", add->members, "ID number of a member who receives it (repeat; none: the household)");
    add_cmd->add_option("--measure", add->measure, "The plan's measure number (1..10)")->required();
    add_cmd->add_option("--category", add->category, "Category: code or name (帮扶类别, e.g. 34 or 生态补偿)")->required();
    add_cmd->add_option("--kind", add->kind, "Kind: code or name (帮扶方式: 现金, 实物, 服务, 贷款, 岗位, 股份)")->required();
    add_cmd->add_option("--start", add->start, "Start date (YYYY-MM-DD)")->required();
    add_cmd->add_option("--end", add->end, "End date of a continuing item");
    add_cmd->add_option("--amount", add->amount, "One-off amount in yuan (cash, value of goods, principal, share)");
    add_cmd->add_option("--periodic-amount", add->periodic_amount, "Continuing payment in yuan per --period");
    add_cmd->add_option("--period", add->period, "Payment period: code or name (按月 monthly, 按年 yearly)");
    add_cmd->add_option("--fund", add->fund_ref, "Project or fund code");
    add_cmd->add_option("--notes", add->notes, "Notes (at most 500 characters)");
    add_cmd->add_option("--signed-on", add->signed_on, "The household's sign-off date (else unconfirmed)");
    add_cmd->add_option("--signed-by", add->signed_by, "Who signed");
    registry.Runs(add_cmd, [&g, add] { return RunAdd(g, *add); });

    auto sign = std::make_shared<SignOptions>();
    auto* sign_cmd = parent.add_subcommand("sign", "Record the household's sign-off of an item");
    sign_cmd->add_option("code", sign->code, "Item code")->required();
    sign_cmd->add_option("--on", sign->on, "Sign-off date (YYYY-MM-DD)")->required();
    sign_cmd->add_option("--by", sign->by, "Who signed")->required();
    sign_cmd->add_option("--version", sign->version, "Refuse unless the item is still at this version");
    registry.Runs(sign_cmd, [&g, sign] { return RunSign(g, *sign); });

    auto del = std::make_shared<DeleteOptions>();
    auto* del_cmd = parent.add_subcommand("delete", "Delete an item (kept on record with the reason)");
    del_cmd->add_option("code", del->code, "Item code")->required();
    del_cmd->add_option("--reason", del->reason, "Why (1..500 characters)")->required();
    del_cmd->add_option("--version", del->version, "Refuse unless the item is still at this version");
    registry.Runs(del_cmd, [&g, del] { return RunDelete(g, *del); });
}

}  // namespace jz::cli
