#include "service/funds.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace jz::service {
namespace json = boost::json;
namespace {

std::unexpected<Error> Invalid(std::string field, std::string zh, std::string en) {
    return Fail("fund.invalid", std::move(field), std::move(zh), std::move(en));
}

bool IsCode(std::string_view s) {
    if (s.empty() || s.size() > 40) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// The parts of an account: kind, project, allocation, payee.
struct AccountParts {
    std::string kind;  // allocation, project, deposit, payee, treasury, interest
    int64_t project = 0, allocation = 0, payee = 0;
};
int64_t ToId(std::string_view s) {
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}
AccountParts PartsOf(std::string_view account) {
    AccountParts out;
    const size_t c1 = account.find(':');
    out.kind = std::string(account.substr(0, c1));
    if (c1 == std::string_view::npos) return out;
    std::string_view rest = account.substr(c1 + 1);
    if (out.kind == "allocation") {
        out.allocation = ToId(rest);
    } else if (out.kind == "payee") {
        out.payee = ToId(rest);
    } else if (out.kind == "project" || out.kind == "deposit") {
        const size_t c2 = rest.find(':');
        out.project = ToId(rest.substr(0, c2));
        if (c2 != std::string_view::npos) out.allocation = ToId(rest.substr(c2 + 1));
    }
    return out;
}
bool Held(const AccountParts& a) { return a.kind == "allocation" || a.kind == "project" || a.kind == "deposit"; }

Result<std::vector<FundEntry>> AllEntries(Store& store) {
    auto listed = store.ListFundEntriesBy(FundEntryQuery{});
    if (!listed) return std::unexpected(listed.error());
    std::vector<FundEntry> out;
    out.reserve(listed->size());
    for (const ListedFundEntry& l : *listed) out.push_back(l.stored.entry);
    return out;
}

std::string SourceNameOf(const std::vector<FundSource>& sources, const std::string& code) {
    for (const FundSource& s : sources)
        if (s.code == code) return s.name;
    return code;
}

// Money of each allocation (received, budgeted, spent, deposit held, unspent) from the entries.
struct AllocationMoney {
    Fen received = 0, budgeted = 0, spent = 0, deposit_held = 0, unspent = 0;
};
void Account(std::map<int64_t, AllocationMoney>& m, const FundEntry& e) {
    const AccountParts from = PartsOf(e.from_account), to = PartsOf(e.to_account);
    const Fen a = e.amount;
    if ((from.kind == "treasury" || from.kind == "interest") && to.kind == "allocation") m[to.allocation].received += a;
    if (to.kind == "treasury" || to.kind == "interest") m[from.allocation].received -= a;
    if (from.kind == "allocation" && to.kind == "project") m[to.allocation].budgeted += a;
    if (from.kind == "project" && to.kind == "allocation") m[from.allocation].budgeted -= a;
    if (to.kind == "payee") m[from.allocation].spent += a;
    if (from.kind == "payee") m[to.allocation].spent -= a;
    if (to.kind == "deposit") m[to.allocation].deposit_held += a;
    if (from.kind == "deposit") m[from.allocation].deposit_held -= a;
    if (Held(to)) m[to.allocation].unspent += a;
    if (Held(from)) m[from.allocation].unspent -= a;
}

json::object MoneyFields(Fen allocated, const AllocationMoney& m) {
    return json::object{{"allocated", FundYuan(allocated)},       {"received", FundYuan(m.received)},
                        {"budgeted", FundYuan(m.budgeted)},       {"spent", FundYuan(m.spent)},
                        {"deposit_held", FundYuan(m.deposit_held)}, {"unspent", FundYuan(m.unspent)}};
}

std::string DateText(const Date& d) { return d.ToString(); }
Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }

// Reading JSON fields.
struct Reader {
    const json::object& o;
    std::vector<Error> errors;
    std::string prefix;
    std::string Name(std::string_view key) const { return prefix + std::string(key); }
    std::string Str(std::string_view key, bool required = false) {
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) Miss(key);
            return {};
        }
        if (!v->is_string()) {
            errors.push_back(Error{.code = "fund.invalid", .field = Name(key), .message_zh = Name(key) + "应为文本",
                                   .message_en = Name(key) + " must be a string"});
            return {};
        }
        return std::string(v->get_string());
    }
    void Miss(std::string_view key) {
        errors.push_back(Error{.code = "fund.invalid", .field = Name(key), .message_zh = "缺少" + Name(key),
                               .message_en = Name(key) + " is required"});
    }
    int64_t Int(std::string_view key, bool required = false) {
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) Miss(key);
            return 0;
        }
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64() && v->get_uint64() < (1ULL << 62)) return static_cast<int64_t>(v->get_uint64());
        if (v->is_string()) {
            const std::string_view s = v->get_string();
            int64_t x = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
            if (ec == std::errc() && p == s.data() + s.size()) return x;
        }
        errors.push_back(Error{.code = "fund.invalid", .field = Name(key), .message_zh = Name(key) + "应为整数",
                               .message_en = Name(key) + " must be an integer"});
        return 0;
    }
    std::optional<Fen> Money(std::string_view key, bool required = false) {
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) Miss(key);
            return std::nullopt;
        }
        std::string text;
        if (v->is_string())
            text = std::string(v->get_string());
        else if (v->is_int64())
            text = std::to_string(v->get_int64());
        else {
            errors.push_back(Error{.code = "fund.invalid", .field = Name(key),
                                   .message_zh = Name(key) + "应为金额文本,如\"1234.50\"",
                                   .message_en = Name(key) + " must be an amount string such as \"1234.50\""});
            return std::nullopt;
        }
        auto f = ParseYuan(text, Name(key));
        if (!f) {
            errors.push_back(f.error());
            return std::nullopt;
        }
        return *f;
    }
    std::optional<Date> Day(std::string_view key, bool required = false) {
        const std::string s = Str(key, required);
        if (s.empty()) return std::nullopt;
        auto d = Date::Parse(s);
        if (!d)
            errors.push_back(Error{.code = "fund.invalid", .field = Name(key), .message_zh = Name(key) + "应为日期 YYYY-MM-DD",
                                   .message_en = Name(key) + " must be a date YYYY-MM-DD"});
        return d;
    }
};

Result<void> FirstError(const std::vector<Error>& errors) {
    if (errors.empty()) return {};
    return std::unexpected(errors.front());
}

// The field of a refused entry from its rule.
std::string FieldOfRule(const Error& e) {
    const std::string& c = e.code;
    if (c == "fund.negative_list" || c == "fund.earmark_mismatch") return "project";
    if (c == "fund.transfer_without_decision") return "decision_id";
    if (c == "fund.reversal_invalid") return "reverses";
    if (c == "fund.duplicate_id") return "id";
    if (c == "fund.unknown") {
        if (e.message_en.find("payee") != std::string::npos) return "payee";
        if (e.message_en.find("project") != std::string::npos) return "project";
        return "allocation";
    }
    return "amount";
}

}  // namespace

Result<Fen> ParseYuan(std::string_view text, const std::string& field) {
    auto bad = [&] {
        return Invalid(field, field + "应为金额(元,最多两位小数): " + std::string(text),
                       field + " must be an amount in yuan with at most 2 decimals: " + std::string(text));
    };
    if (text.empty() || text.size() > 20) return bad();
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (whole.empty() || frac.size() > 2 || (dot != std::string_view::npos && frac.empty())) return bad();
    auto digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
    if (!digits(whole) || !digits(frac)) return bad();
    if (whole.size() > 14) return bad();
    Fen f = ToId(whole) * 100;
    if (frac.size() >= 1) f += (frac[0] - '0') * 10;
    if (frac.size() == 2) f += frac[1] - '0';
    if (f > kMaxFundAmount) return bad();
    return f;
}

// --- Sources, allocations, payees -------------------------------------------------------------------

Result<std::vector<FundSource>> AllFundSources(Store& store, const Plan& plan) {
    std::vector<FundSource> out = FundSources(plan.funds);
    auto stored = store.ListFundSources();
    if (!stored) return std::unexpected(stored.error());
    for (const FundSource& s : *stored)
        if (std::none_of(out.begin(), out.end(), [&](const FundSource& x) { return x.code == s.code; }))
            out.push_back(s);
    return out;
}

Result<FundSource> AddFundSource(Store& store, const Plan& plan, const FundSource& source, const ChangeContext& change) {
    if (!IsCode(source.code))
        return Invalid("code", "资金来源代码须为1到40位小写字母、数字或_", "code must be 1 to 40 lower-case letters, digits or _");
    if (source.name.empty() || source.name.size() > 200)
        return Invalid("name", "资金来源名称不能为空", "name must be given");
    auto all = AllFundSources(store, plan);
    if (!all) return std::unexpected(all.error());
    if (std::any_of(all->begin(), all->end(), [&](const FundSource& s) { return s.code == source.code; }))
        return Fail("store.duplicate", "code", "资金来源 " + source.code + " 已存在", "fund source " + source.code + " exists");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store.PutFundSource(source, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return source;
}

Result<json::object> FundSourcesJson(Store& store, const Plan& plan) {
    auto all = AllFundSources(store, plan);
    if (!all) return std::unexpected(all.error());
    json::array a;
    for (const FundSource& s : *all)
        a.push_back(json::object{{"code", s.code}, {"name", s.name}, {"special_poverty", s.special_poverty}});
    return json::object{{"sources", std::move(a)}};
}

namespace {
// Checks `a` against the sources and the stored allocations (giving the next id when 0).
Result<void> CheckAllocation(const std::vector<FundSource>& sources, const std::vector<Allocation>& existing,
                             Allocation& a) {
    for (const FundSource& s : sources)
        if (s.name == a.source) a.source = s.code;
    if (std::none_of(sources.begin(), sources.end(), [&](const FundSource& s) { return s.code == a.source; }))
        return Fail("fund.unknown", "source", "未知的资金来源: " + a.source, "unknown fund source: " + a.source);
    if (a.document_number.empty() || a.document_number.size() > 200)
        return Invalid("document_number", "须填写拨付文号", "document_number must be given");
    if (a.year < 2000 || a.year > 2100) return Invalid("year", "年度应在2000到2100之间", "year must be 2000 to 2100");
    if (a.amount <= 0 || a.amount > kMaxFundAmount) return Invalid("amount", "拨付金额须为正数", "amount must be positive");
    for (size_t i = 0; i < a.earmark.size(); ++i)
        if (!IsCode(a.earmark[i]))
            return Invalid("earmark[" + std::to_string(i) + "]", "用途代码须为小写字母、数字或_",
                           "earmark codes are lower-case letters, digits or _");
    if (a.id == 0) {
        int64_t next = 1;
        for (const Allocation& x : existing) next = std::max(next, x.id + 1);
        a.id = next;
    } else if (std::any_of(existing.begin(), existing.end(), [&](const Allocation& x) { return x.id == a.id; })) {
        return Fail("store.duplicate", "id", "拨付编号 " + std::to_string(a.id) + " 已存在",
                    "allocation " + std::to_string(a.id) + " exists");
    }
    return {};
}
}  // namespace

Result<std::vector<Allocation>> AddAllocations(Store& store, const Plan& plan, std::vector<Allocation> allocations,
                                               const ChangeContext& change) {
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    auto existing = store.ListAllocations();
    if (!existing) return std::unexpected(existing.error());
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    for (size_t i = 0; i < allocations.size(); ++i) {
        Allocation& a = allocations[i];
        if (auto r = CheckAllocation(*sources, *existing, a); !r) {
            Error e = r.error();
            e.row = static_cast<int64_t>(i) + 1;
            return std::unexpected(e);
        }
        if (auto r = store.PutAllocation(a, change); !r) return std::unexpected(r.error());
        existing->push_back(a);
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return allocations;
}

Result<Allocation> AddAllocation(Store& store, const Plan& plan, Allocation a, const ChangeContext& change) {
    auto added = AddAllocations(store, plan, {std::move(a)}, change);
    if (!added) {
        Error e = added.error();
        e.row = 0;
        return std::unexpected(e);
    }
    return added->front();
}

json::object AllocationJson(const Allocation& a, const std::string& source_name) {
    json::array earmark;
    for (const std::string& e : a.earmark) earmark.push_back(json::value(e));
    return json::object{{"id", a.id},
                        {"source", a.source},
                        {"source_name", source_name},
                        {"document_number", a.document_number},
                        {"year", a.year},
                        {"amount", FundYuan(a.amount)},
                        {"earmark", std::move(earmark)}};
}

Result<json::object> AllocationsJson(Store& store, const Plan& plan, std::optional<int> year) {
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    auto allocations = store.ListAllocations();
    if (!allocations) return std::unexpected(allocations.error());
    auto entries = AllEntries(store);
    if (!entries) return std::unexpected(entries.error());
    std::map<int64_t, AllocationMoney> money;
    for (const FundEntry& e : *entries) Account(money, e);
    json::array out;
    for (const Allocation& a : *allocations) {
        if (year && a.year != *year) continue;
        json::object o = AllocationJson(a, SourceNameOf(*sources, a.source));
        const AllocationMoney& m = money[a.id];
        o["received"] = FundYuan(m.received);
        o["budgeted"] = FundYuan(m.budgeted);
        o["spent"] = FundYuan(m.spent);
        o["deposit_held"] = FundYuan(m.deposit_held);
        o["unspent"] = FundYuan(m.unspent);
        out.push_back(std::move(o));
    }
    return json::object{{"allocations", std::move(out)}};
}

std::optional<PayeeKind> ParsePayeeKind(std::string_view name) {
    if (name == "contractor") return PayeeKind::kContractor;
    if (name == "beneficiary") return PayeeKind::kBeneficiary;
    return std::nullopt;
}
std::string_view PayeeKindName(PayeeKind kind) { return kind == PayeeKind::kContractor ? "contractor" : "beneficiary"; }

Result<Payee> AddPayee(Store& store, Payee y, const ChangeContext& change) {
    if (y.name.empty() || y.name.size() > 200) return Invalid("name", "收款人名称不能为空", "name must be given");
    auto existing = store.ListPayees();
    if (!existing) return std::unexpected(existing.error());
    if (y.id == 0) {
        int64_t next = 1;
        for (const Payee& x : *existing) next = std::max(next, x.id + 1);
        y.id = next;
    } else if (std::any_of(existing->begin(), existing->end(), [&](const Payee& x) { return x.id == y.id; })) {
        return Fail("store.duplicate", "id", "收款人编号已存在", "payee " + std::to_string(y.id) + " exists");
    }
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store.PutPayee(y, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return y;
}

Result<json::object> PayeesJson(Store& store) {
    auto payees = store.ListPayees();
    if (!payees) return std::unexpected(payees.error());
    json::array a;
    for (const Payee& y : *payees) a.push_back(json::object{{"id", y.id}, {"kind", PayeeKindName(y.kind)}, {"name", y.name}});
    return json::object{{"payees", std::move(a)}};
}

Result<json::object> FundBalancesJson(Store& store, const Plan& plan) {
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    auto allocations = store.ListAllocations();
    if (!allocations) return std::unexpected(allocations.error());
    auto entries = AllEntries(store);
    if (!entries) return std::unexpected(entries.error());
    std::map<int64_t, AllocationMoney> money;
    for (const FundEntry& e : *entries) Account(money, e);
    std::map<std::string, std::pair<Fen, AllocationMoney>> by_source;
    for (const Allocation& a : *allocations) {
        auto& [allocated, m] = by_source[a.source];
        const AllocationMoney& x = money[a.id];
        allocated += a.amount;
        m.received += x.received, m.budgeted += x.budgeted, m.spent += x.spent;
        m.deposit_held += x.deposit_held, m.unspent += x.unspent;
    }
    json::array rows;
    Fen total_allocated = 0;
    AllocationMoney total;
    for (const FundSource& s : *sources) {
        auto it = by_source.find(s.code);
        const Fen allocated = it == by_source.end() ? 0 : it->second.first;
        const AllocationMoney m = it == by_source.end() ? AllocationMoney{} : it->second.second;
        json::object o{{"code", s.code}, {"name", s.name}};
        for (const auto& kv : MoneyFields(allocated, m)) o[kv.key()] = kv.value();
        rows.push_back(std::move(o));
        total_allocated += allocated;
        total.received += m.received, total.budgeted += m.budgeted, total.spent += m.spent;
        total.deposit_held += m.deposit_held, total.unspent += m.unspent;
    }
    auto balances = store.FundBalances();
    if (!balances) return std::unexpected(balances.error());
    json::array accounts;
    for (const auto& [account, balance] : *balances)
        if (balance != 0) accounts.push_back(json::object{{"account", account}, {"balance", FundYuan(balance)}});
    return json::object{{"sources", std::move(rows)}, {"totals", MoneyFields(total_allocated, total)},
                        {"accounts", std::move(accounts)}};
}

// --- The project library ---------------------------------------------------------------------------

Result<LibraryProject> ApplyProject(Store& store, const Plan& plan, const LibraryProject& proposal, const Date& date,
                                    const std::string& notes, const ProjectActor& who, const ChangeContext& change) {
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    auto applied = jz::ApplyProject(proposal, date, notes, *sources, plan.funds, who);
    if (!applied) return std::unexpected(applied.error());
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto stored = store.InsertLibraryProject(*applied, change);
    if (!stored) return std::unexpected(stored.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return stored;
}

Result<LibraryProject> FindProject(Store& store, const std::string& id_or_code) {
    Result<std::optional<LibraryProject>> found = std::optional<LibraryProject>();
    const bool numeric = !id_or_code.empty() && id_or_code.size() < 18 &&
                         std::all_of(id_or_code.begin(), id_or_code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) found = store.FindLibraryProject(ToId(id_or_code));
    if (found && !*found) found = store.FindLibraryProjectByCode(id_or_code);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return Fail("project.not_found", "id", "项目 " + id_or_code + " 不存在", "no project " + id_or_code);
    return std::move(**found);
}

Result<LibraryProject> TakeProjectStep(Store& store, const Plan& plan, int64_t id, const ProjectStepRequest& request,
                                       std::optional<int64_t> version, const ProjectActor& who,
                                       const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto found = store.FindLibraryProject(id);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return Fail("project.not_found", "id", "项目 " + std::to_string(id) + " 不存在", "no project " + std::to_string(id));
    const LibraryProject& before = **found;
    if (version && *version != before.version)
        return Fail("store.conflict", "version", "项目已被他人修改", "the project was changed by someone else");
    auto next = jz::TakeProjectStep(before, request, plan.funds, who);
    if (!next) return std::unexpected(next.error());
    auto stored = store.UpdateLibraryProject(before, *next, change);
    if (!stored) return std::unexpected(stored.error());
    if (MoneyStateOf(stored->state)) {
        const FundProject view = MoneyView(*stored);
        auto current = store.FindFundProject(view.id);
        if (!current) return std::unexpected(current.error());
        if (!*current || **current != view)
            if (auto r = store.PutFundProject(view, change); !r) return std::unexpected(r.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return stored;
}

json::object ProjectRecordJson(const LibraryProject& p) {
    json::array sources, beneficiaries, steps;
    for (const ProjectSourceShare& s : p.sources)
        sources.push_back(json::object{{"source", s.source}, {"amount", FundYuan(s.amount)}});
    for (const ProjectBeneficiary& b : p.beneficiaries)
        beneficiaries.push_back(json::object{{"household_code", b.household_code}, {"how", b.how}});
    for (const ProjectStep& s : p.steps)
        steps.push_back(json::object{{"step", s.step},           {"date", DateText(s.date)}, {"actor", s.actor},
                                     {"at", s.at},               {"outcome", s.outcome},     {"notes", s.notes},
                                     {"refs", s.refs},           {"from_state", s.from_state},
                                     {"to_state", s.to_state}});
    json::object o{{"id", p.id},
                   {"code", p.code},
                   {"name", p.name},
                   {"division_code", p.division_code},
                   {"task", p.task},
                   {"subsidy_standard", p.subsidy_standard},
                   {"use", p.use},
                   {"sources", std::move(sources)},
                   {"approved", FundYuan(p.approved)},
                   {"reapproved", p.reapproved ? json::value(FundYuan(*p.reapproved)) : json::value(nullptr)},
                   {"period_start", DateText(p.period_start)},
                   {"period_end", DateText(p.period_end)},
                   {"unit", p.unit},
                   {"responsible", p.responsible},
                   {"performance_target", p.performance_target},
                   {"beneficiaries", std::move(beneficiaries)},
                   {"state", p.state},
                   {"state_zh", ProjectLibraryStateZh(p.state)},
                   {"version", p.version},
                   {"steps", std::move(steps)},
                   {"notice_posted_on", p.notice_posted_on ? json::value(DateText(*p.notice_posted_on)) : json::value(nullptr)},
                   {"notice_until", p.notice_until ? json::value(DateText(*p.notice_until)) : json::value(nullptr)}};
    return o;
}

Result<LibraryProject> ProjectFromJson(const json::value& body) {
    if (!body.is_object()) return Invalid("", "请求体应为 JSON 对象", "the body must be a JSON object");
    Reader r{body.get_object(), {}, ""};
    LibraryProject p;
    p.code = r.Str("code", true);
    p.name = r.Str("name", true);
    p.division_code = r.Str("division_code", true);
    p.task = r.Str("task");
    p.subsidy_standard = r.Str("subsidy_standard");
    p.use = r.Str("use", true);
    if (auto v = r.Money("approved", true)) p.approved = *v;
    p.reapproved = r.Money("reapproved");
    if (auto d = r.Day("period_start", true)) p.period_start = *d;
    if (auto d = r.Day("period_end", true)) p.period_end = *d;
    p.unit = r.Str("unit");
    p.responsible = r.Str("responsible");
    p.performance_target = r.Str("performance_target");
    if (const json::value* s = body.get_object().if_contains("sources"); s && s->is_array()) {
        const json::array& a = s->get_array();
        for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_object()) {
                r.errors.push_back(Error{.code = "fund.invalid", .field = "sources[" + std::to_string(i) + "]",
                                         .message_zh = "资金来源应为对象", .message_en = "a source must be an object"});
                continue;
            }
            Reader x{a[i].get_object(), {}, "sources[" + std::to_string(i) + "]."};
            ProjectSourceShare share{x.Str("source", true), x.Money("amount", true).value_or(0)};
            r.errors.insert(r.errors.end(), x.errors.begin(), x.errors.end());
            p.sources.push_back(std::move(share));
        }
    } else if (s && !s->is_null()) {
        r.errors.push_back(Error{.code = "fund.invalid", .field = "sources", .message_zh = "sources应为数组",
                                 .message_en = "sources must be an array"});
    }
    if (const json::value* s = body.get_object().if_contains("beneficiaries"); s && s->is_array()) {
        const json::array& a = s->get_array();
        for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_object()) {
                r.errors.push_back(Error{.code = "fund.invalid", .field = "beneficiaries[" + std::to_string(i) + "]",
                                         .message_zh = "受益户应为对象", .message_en = "a beneficiary must be an object"});
                continue;
            }
            Reader x{a[i].get_object(), {}, "beneficiaries[" + std::to_string(i) + "]."};
            ProjectBeneficiary b{x.Str("household_code", true), x.Str("how")};
            r.errors.insert(r.errors.end(), x.errors.begin(), x.errors.end());
            p.beneficiaries.push_back(std::move(b));
        }
    }
    if (auto e = FirstError(r.errors); !e) return std::unexpected(e.error());
    return p;
}

Result<json::object> ProjectListJson(Store& store, const OrgTree& tree, const LibraryProjectFilter& filter) {
    auto list = store.ListLibraryProjects(filter);
    if (!list) return std::unexpected(list.error());
    auto total = store.CountLibraryProjects(filter);
    if (!total) return std::unexpected(total.error());
    auto money = store.ListFundProjects();
    if (!money) return std::unexpected(money.error());
    std::map<int64_t, ProjectMoney> by_id;
    for (const auto& [p, m] : *money) by_id[p.id] = m;
    json::array rows;
    for (const LibraryProject& p : *list) {
        const OrgUnit* unit = tree.Find(p.division_code);
        const ProjectMoney m = by_id.contains(p.id) ? by_id[p.id] : ProjectMoney{};
        rows.push_back(json::object{{"id", p.id},
                                    {"code", p.code},
                                    {"name", p.name},
                                    {"division_code", p.division_code},
                                    {"division_name", unit ? unit->name() : std::string()},
                                    {"state", p.state},
                                    {"state_zh", ProjectLibraryStateZh(p.state)},
                                    {"approved", FundYuan(p.reapproved.value_or(p.approved))},
                                    {"budgeted", FundYuan(m.budgeted)},
                                    {"paid", FundYuan(m.paid)},
                                    {"deposit_held", FundYuan(m.deposit_held)},
                                    {"beneficiaries", static_cast<int64_t>(p.beneficiaries.size())}});
    }
    return json::object{{"projects", std::move(rows)}, {"total", *total}};
}

json::object EntryJson(const FundEntry& e, int64_t reversed_by) {
    return json::object{{"id", e.id},
                        {"date", DateText(e.date)},
                        {"kind", FundEntryKindName(e.kind)},
                        {"allocation", e.allocation},
                        {"project", e.project ? json::value(e.project) : json::value(nullptr)},
                        {"payee", e.payee ? json::value(e.payee) : json::value(nullptr)},
                        {"to_allocation", e.to_allocation ? json::value(e.to_allocation) : json::value(nullptr)},
                        {"amount", FundYuan(e.amount)},
                        {"stage", e.stage},
                        {"refs", e.refs},
                        {"decision_id", e.decision_id},
                        {"reverses", e.reverses ? json::value(e.reverses) : json::value(nullptr)},
                        {"from_account", e.from_account},
                        {"to_account", e.to_account},
                        {"reversed_by", reversed_by ? json::value(reversed_by) : json::value(nullptr)}};
}

Result<json::object> ProjectShowJson(Store& store, const Plan& plan, const LibraryProject& p, const ProjectActor& who) {
    json::object out{{"project", ProjectRecordJson(p)}};
    auto view = store.FindFundProject(p.id);
    if (!view) return std::unexpected(view.error());
    auto money_list = store.ListFundProjects();
    if (!money_list) return std::unexpected(money_list.error());
    ProjectMoney m;
    for (const auto& [fp, pm] : *money_list)
        if (fp.id == p.id) m = pm;
    FundLedger ledger(plan.funds);
    const FundProject fp = *view ? **view : MoneyView(p);
    (void)ledger.AddProject(fp);
    ledger.RestoreProjectMoney(p.id, m);
    const bool has_money = MoneyStateOf(p.state).has_value();
    out["money"] = json::object{{"budgeted", FundYuan(m.budgeted)},
                                {"paid", FundYuan(m.paid)},
                                {"deposit_held", FundYuan(m.deposit_held)},
                                {"base", FundYuan(ledger.BaseAmount(fp))},
                                {"stage_cap", FundYuan(has_money ? ledger.StageCap(fp) : 0)}};
    FundEntryQuery q;
    q.project = p.id;
    auto entries = store.ListFundEntriesBy(q);
    if (!entries) return std::unexpected(entries.error());
    json::array e;
    for (const ListedFundEntry& l : *entries) e.push_back(EntryJson(l.stored.entry, l.reversed_by));
    out["entries"] = std::move(e);
    json::array households;
    for (const ProjectBeneficiary& b : p.beneficiaries) {
        json::object h{{"household_code", b.household_code}, {"how", b.how}};
        auto found = store.FindHousehold(b.household_code);
        if (!found) return std::unexpected(found.error());
        if (*found) {
            const Person* head = (*found)->household.head();
            h["head_name"] = head ? json::value(head->name) : json::value(nullptr);
            h["division_code"] = (*found)->household.division_code;
        } else {
            h["head_name"] = nullptr;
            h["division_code"] = nullptr;
        }
        AssistanceFilter f;
        f.household_code = b.household_code;
        f.limit = 10000;
        auto items = store.ListAssistance(f);
        if (!items) return std::unexpected(items.error());
        json::array its;
        for (const AssistanceRecord& r : *items) {
            if (r.item.fund_ref != p.code) continue;
            its.push_back(json::object{{"item_code", r.item.item_code},
                                       {"measure", r.item.measure},
                                       {"category", r.item.category},
                                       {"kind", r.item.kind},
                                       {"start_date", DateText(r.item.start_date)},
                                       {"amount", r.item.amount ? json::value(FundYuan(*r.item.amount)) : json::value(nullptr)},
                                       {"signed_off", r.item.signed_off()}});
        }
        h["items"] = std::move(its);
        households.push_back(std::move(h));
    }
    out["households"] = std::move(households);
    json::array allowed;
    for (const std::string& s : AllowedProjectStepsFor(p, who)) allowed.push_back(json::value(s));
    out["allowed_steps"] = std::move(allowed);
    return out;
}

Result<json::object> ProjectNoticeJson(Store& store, const Plan& plan, const OrgTree& tree, const LibraryProject& p) {
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    std::optional<Date> posted;
    for (const ProjectStep& s : p.steps)
        if (s.step == "notice") posted = s.date;
    const long days = std::max(plan.funds.notice_days, 10);
    json::array src;
    for (const ProjectSourceShare& s : p.sources)
        src.push_back(json::object{{"source", s.source}, {"source_name", SourceNameOf(*sources, s.source)},
                                   {"amount", FundYuan(s.amount)}});
    // The place: the village (and its township) names.
    std::string place;
    if (p.division_code.size() >= 9)
        if (const OrgUnit* t = tree.Find(p.division_code.substr(0, 9))) place = t->name();
    if (p.division_code.size() == 12)
        if (const OrgUnit* v = tree.Find(p.division_code)) place += v->name();
    json::array households;
    for (const ProjectBeneficiary& b : p.beneficiaries) {
        auto found = store.FindHousehold(b.household_code);
        if (!found) return std::unexpected(found.error());
        const Person* head = *found ? (*found)->household.head() : nullptr;
        households.push_back(json::object{{"household_code", b.household_code},
                                          {"head_name", head ? json::value(head->name) : json::value(nullptr)},
                                          {"how", b.how}});
    }
    return json::object{{"code", p.code},
                        {"name", p.name},
                        {"place", place},
                        {"task", p.task},
                        {"subsidy_standard", p.subsidy_standard},
                        {"sources", std::move(src)},
                        {"amount", FundYuan(p.reapproved.value_or(p.approved))},
                        {"period_start", DateText(p.period_start)},
                        {"period_end", DateText(p.period_end)},
                        {"unit", p.unit},
                        {"responsible", p.responsible},
                        {"performance_target", p.performance_target},
                        {"households", std::move(households)},
                        {"posted_on", posted ? json::value(DateText(*posted)) : json::value(nullptr)},
                        {"until", posted ? json::value(DateText(AddDays(*posted, days))) : json::value(nullptr)},
                        {"days", days},
                        {"hotline", "12317"}};
}

// --- Entries ----------------------------------------------------------------------------------------

Result<std::vector<FundEntry>> EntriesFromJson(const json::value& body) {
    if (!body.is_object()) return Invalid("", "请求体应为 JSON 对象", "the body must be a JSON object");
    const json::value* list = body.get_object().if_contains("entries");
    if (!list || !list->is_array() || list->get_array().empty())
        return Invalid("entries", "entries应为非空数组", "entries must be a non-empty array");
    const json::array& a = list->get_array();
    if (a.size() > 10000) return Invalid("entries", "一次最多10000条", "at most 10000 entries at once");
    std::vector<FundEntry> out;
    for (size_t i = 0; i < a.size(); ++i) {
        const std::string at = "entries[" + std::to_string(i) + "].";
        if (!a[i].is_object()) return Invalid("entries[" + std::to_string(i) + "]", "应为对象", "must be an object");
        Reader r{a[i].get_object(), {}, at};
        FundEntry e;
        if (auto d = r.Day("date", true)) e.date = *d;
        const std::string kind = r.Str("kind", true);
        if (!kind.empty()) {
            auto k = ParseFundEntryKind(kind);
            if (!k) return Invalid(at + "kind", "未知的分录类型: " + kind, "unknown entry kind: " + kind);
            e.kind = *k;
        }
        e.allocation = r.Int("allocation");
        e.project = r.Int("project");
        e.payee = r.Int("payee");
        e.to_allocation = r.Int("to_allocation");
        e.amount = r.Money("amount", e.kind != FundEntryKind::kReversal).value_or(0);
        e.stage = r.Str("stage");
        e.refs = r.Str("refs");
        e.decision_id = r.Str("decision_id");
        e.reverses = r.Int("reverses");
        if (auto err = FirstError(r.errors); !err) return std::unexpected(err.error());
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<FundEntry>> PostEntries(Store& store, const Plan& plan, const std::vector<FundEntry>& batch,
                                           const Date& today, const ChangeContext& change) {
    Error refused;
    {
        auto tx = Transaction::Begin(store);
        if (!tx) return std::unexpected(tx.error());
        auto posted = store.PostFundEntries(batch, plan.funds, change);
        if (posted) {
            if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
            return posted;
        }
        if (!posted.error().code.starts_with("fund.")) return std::unexpected(posted.error());
        refused = posted.error();
    }  // rolled back
    const int64_t row = refused.row > 0 ? refused.row : 1;
    const size_t index = static_cast<size_t>(std::min<int64_t>(row, static_cast<int64_t>(batch.size())) - 1);
    refused.field = "entries[" + std::to_string(index) + "]." + FieldOfRule(refused);
    refused.row = row;
    FundRefusal record{.refused_on = today,
                       .rule = refused.code,
                       .field = refused.field,
                       .message_zh = refused.message_zh,
                       .message_en = refused.message_en,
                       .entry_json = batch.empty() ? "{}" : json::serialize(EntryJson(batch[index]))};
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store.InsertFundRefusal(record, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return std::unexpected(refused);
}

Result<FundEntry> ReverseEntry(Store& store, const Plan& plan, int64_t id, const Date& date, const std::string& refs,
                               const Date& today, const ChangeContext& change) {
    FundEntry e;
    e.kind = FundEntryKind::kReversal;
    e.date = date;
    e.reverses = id;
    e.refs = refs;
    auto posted = PostEntries(store, plan, {e}, today, change);
    if (!posted) return std::unexpected(posted.error());
    return posted->front();
}

Result<json::object> EntriesJson(Store& store, const FundEntryQuery& query, const std::string& division_prefix) {
    std::set<int64_t> allowed;
    const bool scoped = !division_prefix.empty();
    if (scoped) {
        auto projects = store.ListFundProjects();
        if (!projects) return std::unexpected(projects.error());
        for (const auto& [p, m] : *projects)
            if (p.division_code.starts_with(division_prefix)) allowed.insert(p.id);
    }
    FundEntryQuery q = query;
    if (scoped) q.limit = 0, q.offset = 0;
    auto listed = store.ListFundEntriesBy(q);
    if (!listed) return std::unexpected(listed.error());
    json::array rows;
    int64_t total = 0;
    if (!scoped) {
        auto count = store.CountFundEntriesBy(query);
        if (!count) return std::unexpected(count.error());
        total = *count;
        for (const ListedFundEntry& l : *listed) rows.push_back(EntryJson(l.stored.entry, l.reversed_by));
    } else {
        int64_t skipped = 0;
        for (const ListedFundEntry& l : *listed) {
            if (!allowed.contains(l.stored.entry.project)) continue;
            ++total;
            if (skipped < query.offset) {
                ++skipped;
                continue;
            }
            if (query.limit > 0 && static_cast<int64_t>(rows.size()) >= query.limit) continue;
            rows.push_back(EntryJson(l.stored.entry, l.reversed_by));
        }
    }
    return json::object{{"entries", std::move(rows)}, {"total", total}};
}

// --- Report and findings ----------------------------------------------------------------------------

namespace {
struct ReportRow {
    std::string name;
    Fen spent_month = 0, spent_year = 0, budgeted = 0, allocated = 0, unspent = 0;
};
json::object RowJson(const std::string& key, const ReportRow& r) {
    return json::object{{"key", key},
                        {"name", r.name},
                        {"spent_month", FundYuan(r.spent_month)},
                        {"spent_year", FundYuan(r.spent_year)},
                        {"budgeted", FundYuan(r.budgeted)},
                        {"allocated", FundYuan(r.allocated)},
                        {"unspent", FundYuan(r.unspent)}};
}
json::object TotalsJson(const ReportRow& r) {
    json::object o = RowJson("", r);
    o.erase("key");
    o.erase("name");
    return o;
}
}  // namespace

Result<json::object> MonthlyReportJson(Store& store, const Plan& plan, const OrgTree& tree, int year, int month,
                                       const std::string& division_prefix) {
    if (month < 1 || month > 12 || year < 2000 || year > 2100)
        return Invalid("month", "月份应为 YYYY-MM", "month must be YYYY-MM");
    const Date first{year, month, 1};
    const Date next_first = month == 12 ? Date{year + 1, 1, 1} : Date{year, month + 1, 1};
    const Date last = AddDays(next_first, -1);
    auto sources = AllFundSources(store, plan);
    if (!sources) return std::unexpected(sources.error());
    auto allocations = store.ListAllocations();
    if (!allocations) return std::unexpected(allocations.error());
    auto projects = store.ListFundProjects();
    if (!projects) return std::unexpected(projects.error());
    auto entries = AllEntries(store);
    if (!entries) return std::unexpected(entries.error());
    std::map<int64_t, const Allocation*> alloc;
    for (const Allocation& a : *allocations) alloc[a.id] = &a;
    std::map<int64_t, const FundProject*> proj;
    for (const auto& [p, m] : *projects) proj[p.id] = &p;
    const bool scoped = !division_prefix.empty();
    auto in_scope = [&](int64_t project) {
        auto it = proj.find(project);
        return it != proj.end() && it->second->division_code.starts_with(division_prefix);
    };

    std::map<std::string, ReportRow> by_source, by_earmark, by_project, by_township;
    auto earmark_key = [&](int64_t a) {
        auto it = alloc.find(a);
        if (it == alloc.end() || it->second->earmark.empty()) return std::string("*");
        std::string k;
        for (const std::string& e : it->second->earmark) k += (k.empty() ? "" : ",") + e;
        return k;
    };
    auto source_key = [&](int64_t a) {
        auto it = alloc.find(a);
        return it == alloc.end() ? std::string("?") : it->second->source;
    };
    auto township_of = [&](int64_t p) {
        auto it = proj.find(p);
        return it == proj.end() ? std::string() : it->second->division_code.substr(0, 9);
    };
    // Apply `delta` to every row an (allocation, project) pair belongs to.
    auto add = [&](int64_t a, int64_t p, auto field, Fen delta) {
        if (scoped && !in_scope(p)) return;
        if (a) {
            by_source[source_key(a)].*field += delta;
            by_earmark[earmark_key(a)].*field += delta;
        }
        if (p) {
            by_project[std::to_string(p)].*field += delta;
            by_township[township_of(p)].*field += delta;
        }
    };
    for (const FundEntry& e : *entries) {
        if (e.date > last) continue;
        const AccountParts from = PartsOf(e.from_account), to = PartsOf(e.to_account);
        const Fen x = e.amount;
        const bool this_year = e.date.year == year, this_month = this_year && e.date >= first;
        if (to.kind == "payee") {
            if (this_year) add(from.allocation, from.project, &ReportRow::spent_year, x);
            if (this_month) add(from.allocation, from.project, &ReportRow::spent_month, x);
        }
        if (from.kind == "payee") {
            if (this_year) add(to.allocation, to.project, &ReportRow::spent_year, -x);
            if (this_month) add(to.allocation, to.project, &ReportRow::spent_month, -x);
        }
        if (from.kind == "allocation" && to.kind == "project") add(to.allocation, to.project, &ReportRow::budgeted, x);
        if (from.kind == "project" && to.kind == "allocation") add(from.allocation, from.project, &ReportRow::budgeted, -x);
        if (Held(to)) add(to.allocation, to.project, &ReportRow::unspent, x);
        if (Held(from)) add(from.allocation, from.project, &ReportRow::unspent, -x);
    }
    if (!scoped)
        for (const Allocation& a : *allocations)
            if (a.year <= year) {
                by_source[a.source].allocated += a.amount;
                by_earmark[earmark_key(a.id)].allocated += a.amount;
            }
    for (const auto& [p, m] : *projects) {
        if (scoped && !p.division_code.starts_with(division_prefix)) continue;
        const Fen base = p.reapproved.value_or(p.approved);
        ReportRow& r = by_project[std::to_string(p.id)];
        r.allocated += base;
        r.name = p.name;
        by_township[p.division_code.substr(0, 9)].allocated += base;
    }
    json::array src, ear, pro, tow;
    ReportRow totals;
    auto sum_into = [](ReportRow& t, const ReportRow& r) {
        t.spent_month += r.spent_month, t.spent_year += r.spent_year, t.budgeted += r.budgeted;
        t.allocated += r.allocated, t.unspent += r.unspent;
    };
    if (!scoped) {
        for (auto& [k, r] : by_source) {
            r.name = SourceNameOf(*sources, k);
            sum_into(totals, r);
            src.push_back(RowJson(k, r));
        }
        for (auto& [k, r] : by_earmark) {
            r.name = k == "*" ? "不限用途 / any use" : k;
            ear.push_back(RowJson(k, r));
        }
    }
    // Projects in id order.
    std::vector<std::pair<int64_t, const ReportRow*>> ordered;
    for (const auto& [k, r] : by_project) ordered.emplace_back(ToId(k), &r);
    std::sort(ordered.begin(), ordered.end());
    for (const auto& [id, r] : ordered) {
        pro.push_back(RowJson(std::to_string(id), *r));
        if (scoped) sum_into(totals, *r);
    }
    for (auto& [k, r] : by_township) {
        const OrgUnit* u = tree.Find(k);
        r.name = u ? u->name() : k;
        tow.push_back(RowJson(k, r));
    }
    char month_text[8], due[11];
    std::snprintf(month_text, sizeof month_text, "%04d-%02d", year % 10000, month % 100);
    std::snprintf(due, sizeof due, "%04d-%02d-05", next_first.year % 10000, next_first.month % 100);
    return json::object{{"month", month_text},      {"due", due},           {"totals", TotalsJson(totals)},
                        {"by_source", std::move(src)}, {"by_earmark", std::move(ear)},
                        {"by_project", std::move(pro)}, {"by_township", std::move(tow)}};
}

Result<json::object> FindingsJson(Store& store, const Plan& plan, const Date& as_of, const std::string& division_prefix) {
    const bool scoped = !division_prefix.empty();
    json::array out;
    auto allocations = store.ListAllocations();
    if (!allocations) return std::unexpected(allocations.error());
    auto entries = AllEntries(store);
    if (!entries) return std::unexpected(entries.error());
    if (!scoped) {
        FundLedger ledger(plan.funds);
        for (const Allocation& a : *allocations) (void)ledger.AddAllocation(a);
        auto balances = store.FundBalances();
        if (!balances) return std::unexpected(balances.error());
        for (const auto& [account, balance] : *balances) ledger.RestoreBalance(account, balance);
        std::vector<FundEntry> upto;
        for (const FundEntry& e : *entries)
            if (e.date <= as_of) upto.push_back(e);
        for (const IdleFund& f : FindIdleFunds(ledger, upto, as_of))
            out.push_back(json::object{
                {"rule", "fund.idle"},
                {"severity", "warning"},
                {"allocation", f.allocation},
                {"amount", FundYuan(f.unspent)},
                {"since", DateText(f.since)},
                {"days", f.days},
                {"message_zh", "拨付" + std::to_string(f.allocation) + "尚有" + FundYuan(f.unspent) + "元未支出,已闲置" +
                                   std::to_string(f.days) + "天"},
                {"message_en", "allocation " + std::to_string(f.allocation) + " has " + FundYuan(f.unspent) +
                                   " yuan unspent, idle for " + std::to_string(f.days) + " days"}});
    }
    auto money = store.ListFundProjects();
    if (!money) return std::unexpected(money.error());
    std::map<int64_t, ProjectMoney> by_id;
    for (const auto& [p, m] : *money) by_id[p.id] = m;
    LibraryProjectFilter f;
    f.division_prefix = division_prefix;
    auto projects = store.ListLibraryProjects(f);
    if (!projects) return std::unexpected(projects.error());
    std::set<int64_t> in_scope;
    for (const LibraryProject& p : *projects) {
        in_scope.insert(p.id);
        const ProjectMoney m = by_id.contains(p.id) ? by_id[p.id] : ProjectMoney{};
        std::optional<Date> accepted;
        for (const ProjectStep& s : p.steps)
            if (s.step == "accept") accepted = s.date;
        if (m.deposit_held > 0 && accepted && as_of.DaysSinceEpoch() - accepted->DaysSinceEpoch() > 365) {
            const long days = as_of.DaysSinceEpoch() - accepted->DaysSinceEpoch();
            out.push_back(json::object{
                {"rule", "fund.deposit_overdue"},
                {"severity", "warning"},
                {"project", p.id},
                {"amount", FundYuan(m.deposit_held)},
                {"since", DateText(*accepted)},
                {"days", days},
                {"message_zh", "项目" + p.code + "验收已" + std::to_string(days) + "天,质量保证金" + FundYuan(m.deposit_held) +
                                   "元仍未退还"},
                {"message_en", "project " + p.code + " was accepted " + std::to_string(days) + " days ago and still holds " +
                                   FundYuan(m.deposit_held) + " yuan of quality deposit"}});
        }
        if (auto started = StartedWithoutNotice(p, plan.funds); started && *started <= as_of)
            out.push_back(json::object{
                {"rule", "fund.notice_missing"},
                {"severity", "breach"},
                {"project", p.id},
                {"since", DateText(*started)},
                {"message_zh", "项目" + p.code + "已开工,但没有满" + std::to_string(plan.funds.notice_days) + "天的县级公示"},
                {"message_en", "project " + p.code + " started without a county notice of " +
                                   std::to_string(plan.funds.notice_days) + " days"}});
    }
    auto refusals = store.ListFundRefusals();
    if (!refusals) return std::unexpected(refusals.error());
    for (const FundRefusal& r : *refusals) {
        if (r.refused_on > as_of) continue;
        std::optional<int64_t> project, allocation;
        std::optional<std::string> amount;
        boost::system::error_code ec;
        json::value entry = json::parse(r.entry_json, ec);
        if (!ec && entry.is_object()) {
            const json::object& o = entry.get_object();
            if (auto* v = o.if_contains("project"); v && v->is_int64()) project = v->get_int64();
            if (auto* v = o.if_contains("allocation"); v && v->is_int64() && v->get_int64()) allocation = v->get_int64();
            if (auto* v = o.if_contains("amount"); v && v->is_string()) amount = std::string(v->get_string());
        }
        if (scoped && (!project || !in_scope.contains(*project))) continue;
        json::object o{{"rule", r.rule},
                       {"severity", "breach"},
                       {"since", DateText(r.refused_on)},
                       {"refusal", r.id},
                       {"actor", r.actor},
                       {"message_zh", "拒绝过账: " + r.message_zh},
                       {"message_en", "posting refused: " + r.message_en}};
        if (allocation) o["allocation"] = *allocation;
        if (project) o["project"] = *project;
        if (amount) o["amount"] = *amount;
        out.push_back(std::move(o));
    }
    return json::object{{"as_of", DateText(as_of)}, {"findings", std::move(out)}};
}

}  // namespace jz::service
