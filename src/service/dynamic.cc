#include "service/dynamic.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "core/codes.h"
#include "core/id_number.h"
#include "service/as_of.h"
#include "service/assistance.h"
#include "service/household_input.h"
#include "service/shares.h"
#include "store/procedure_json.h"

namespace jz::service {
namespace json = boost::json;
namespace {

// The dated change a case made to its household (core/as_of.h), recorded right after the
// household's own change so that figures as of an earlier day can undo it.
Result<int64_t> RecordEvent(Store& store, const std::optional<Household>& before, const std::optional<Household>& after,
                            ProcedureKind kind, const Date& date, int64_t case_id, const ChangeContext& cc) {
    HouseholdEvent event = EventOf(before, after);
    event.effective_on = date;
    event.kind = std::string(ProcedureKindName(kind));
    event.case_id = case_id;
    return store.RecordHouseholdEvent(event, cc);
}

std::unexpected<Error> NotFound(std::string what_zh, std::string what_en) {
    return Fail("not_found", "", "找不到" + what_zh, what_en + " not found");
}

ChangeContext Change(const Actor& actor, const std::string& now) {
    return ChangeContext{actor.username, now, {}};
}

// A field's problem as the operation's error; `field` (when given) replaces its field.
std::unexpected<Error> AsError(Error f, std::string field = {}) {
    if (!field.empty()) f.field = std::move(field);
    return std::unexpected(std::move(f));
}

// The importer's registry check (一人多户): the first clash as the error. `field` overrides its field.
Result<void> NoMemberElsewhere(Store& store, const Household& h, const std::string& scope,
                               std::string field = {}) {
    auto clashes = CheckAgainstRegistry(store, h, scope);
    if (!clashes) return std::unexpected(clashes.error());
    if (!clashes->empty()) return AsError(clashes->front(), std::move(field));
    return {};
}

// One household's facts as the exit standard reads them for `year`: the registry's, with the
// ledger's computed income per head of the year and the year's cover gaps (ages on `on`).
Result<HouseholdFacts> ExitFacts(Store& store, const Household& h, int year, const Date& on) {
    HouseholdFacts facts = FactsOf(h);
    LedgerFacts ledger;
    auto income = store.FindIncome(h.household_code, year);
    if (!income) return std::unexpected(income.error());
    if (*income)
        if (auto per_head = NetIncomePerHead((*income)->record)) ledger.income_per_head[h.household_code] = *per_head;
    auto cover = store.ListCoverage(h.household_code);
    if (!cover) return std::unexpected(cover.error());
    std::erase_if(*cover, [&](const PersonCoverage& c) { return c.year != year; });
    ledger.gaps[h.household_code] = GapsOf(*cover, h, on);
    ApplyLedgerFacts(ledger, facts);
    return facts;
}

// A deregistered household's code is never registered again.
Result<void> NotDeregistered(Store& store, const std::string& code) {
    auto gone = store.IsDeregistered(code);
    if (!gone) return std::unexpected(gone.error());
    if (*gone)
        return Fail("household.deregistered", "household_code", "该户编号已销户,不能再次使用",
                    "this household code was deregistered and cannot be used again");
    return {};
}

}  // namespace

std::expected<JoiningMember, std::vector<Error>> AcceptJoiningMember(const json::value& person,
                                                                          const Household& current,
                                                                          const AssemblyContext& context) {
    json::object probe = json::parse(HouseholdToJson(current)).as_object();
    json::object joining = person.is_object() ? person.get_object() : json::object{};
    json::object head = probe["members"].as_array().front().as_object();
    joining["relation"] = joining.contains("relation") ? joining["relation"] : json::value("之子");
    probe["members"] = json::array{head, joining};
    // members[1].x → person.x; members[1] or members → person.
    auto about_person = [](std::vector<Error> all) {
        std::vector<Error> person_errors;
        for (Error& fe : all)
            if (fe.field.starts_with("members[1]."))
                person_errors.push_back(
                    {.code = fe.code,
                     .field = "person." + fe.field.substr(11),
                     .message_zh = fe.message_zh,
                     .message_en = fe.message_en});
            else if (fe.field.starts_with("members[1]") || fe.field == "members")
                person_errors.push_back({.code = fe.code, .field = "person", .message_zh = fe.message_zh, .message_en = fe.message_en});
        return person_errors;
    };
    auto accepted = AcceptHouseholdJson(probe, context);
    if (!accepted) {
        std::vector<Error> errors = about_person(accepted.error());
        if (errors.empty()) errors = std::move(accepted.error());
        return std::unexpected(std::move(errors));
    }
    JoiningMember out;
    for (const Person& m : accepted->household.members)
        if (m.relation != codes::kRelationHead) out.person = m;
    out.warnings = about_person(std::move(accepted->warnings));
    return out;
}

FailureKind KindOf(const Error& e) {
    if (e.code == "not_found" || e.code == "household.not_found" || e.code == "assistance.not_found")
        return FailureKind::kNotFound;
    // Pairing (service/pairing.h): not found, and refusals of the current state.
    if (e.code == "cadre.not_found" || e.code == "pairing.not_found" || e.code == "team.not_found" ||
        e.code == "visit.not_found")
        return FailureKind::kNotFound;
    if (e.code == "household.exited" || e.code == "cadre.inactive" || e.code == "pairing.same_cadre" ||
        e.code == "pairing.over_quota" || e.code == "pairing.current_exists" || e.code == "pairing.ended" ||
        e.code == "pairing.proposal_stale" || e.code == "team.first_secretary_exists" ||
        e.code == "visit.household_changed" || e.code == "visit.client_id_reused")
        return FailureKind::kRefused;
    // Asset-income shares (service/shares.h).
    if (e.code == "shares.not_found") return FailureKind::kNotFound;
    if (e.code == "shares.exists" || e.code == "shares.disposed" || e.code == "shares.dividend_declared")
        return FailureKind::kRefused;
    if (e.code == "procedure.permission") return FailureKind::kForbidden;
    if (e.code == "store.conflict") return FailureKind::kConflict;
    if (e.code.starts_with("procedure.") || e.code == "household.exists" ||
        e.code == "household.deregistered" || e.code == "store.duplicate" || e.code == "store.deregistered" ||
        e.code == "assistance.exists" || e.code == "assistance.deleted" || e.code == "assistance.already_signed")
        return FailureKind::kRefused;
    if (e.code.starts_with("store.")) return FailureKind::kStore;
    return FailureKind::kInput;
}

StepContext Dynamic::Context(const Actor& actor, const std::string& now) const {
    StepContext ctx;
    ctx.plan = &plan_;
    ctx.role = actor.role;
    ctx.scope = actor.scope;
    ctx.actor = actor.username;
    ctx.at = now;
    return ctx;
}

Result<ExitCandidatesBuilder::Result> Dynamic::ExitCandidates(int year, const Date& on,
                                                              const std::string& division_prefix, int parts) {
    parts = std::max(parts, 1);
    std::vector<std::unique_ptr<ExitCandidatesBuilder>> builders;
    for (int i = 0; i < parts; ++i)
        builders.push_back(std::make_unique<ExitCandidatesBuilder>(plan_, year, on));
    HouseholdFilter filter;
    filter.division_prefix = division_prefix;
    filter.facts_only = true;
    filter.statuses = {codes::kStatusNotExited, codes::kStatusFallback};  // those that may exit (MayExit)
    // The year's computed income and cover gaps from the ledger override the registry's figures.
    auto ledger = LoadLedgerFacts(store_, division_prefix, year, on);
    if (!ledger) return std::unexpected(ledger.error());
    auto registry = RegistryAsOf::Load(store_, on, division_prefix);
    if (!registry) return std::unexpected(registry.error());
    auto r = registry->ScanFactsParallel(store_, filter, parts, [&](int part, const HouseholdFacts& f) {
        if (ledger->income_per_head.contains(f.household_code) || ledger->gaps.contains(f.household_code)) {
            HouseholdFacts with_ledger = f;
            ApplyLedgerFacts(*ledger, with_ledger);
            builders[part]->Add(with_ledger);
        } else {
            builders[part]->Add(f);
        }
        return true;
    });
    if (!r) return std::unexpected(r.error());
    {
        // Each part is sorted on its own thread; merging keeps the order in linear time.
        std::vector<std::jthread> sorters;
        for (int i = 1; i < parts; ++i) sorters.emplace_back([&, i] { builders[i]->Sort(); });
        builders[0]->Sort();
    }
    for (int i = 1; i < parts; ++i) builders[0]->Merge(std::move(*builders[i]));
    return builders[0]->Finish();
}

Result<IncidenceReport> Dynamic::Incidence(int year) {
    auto settings = store_.ListPopulation();
    if (!settings) return std::unexpected(settings.error());
    IncidenceBuilder b(plan_, tree_, year, *settings);
    HouseholdFilter filter;
    filter.facts_only = true;
    // The registry at the end of the year (today's, for the year under way: nothing is dated later).
    auto registry = RegistryAsOf::Load(store_, Date{year, 12, 31}, "");
    if (!registry) return std::unexpected(registry.error());
    auto r = registry->ScanFacts(store_, filter, [&](const HouseholdFacts& f) {
        b.Add(f);
        return true;
    });
    if (!r) return std::unexpected(r.error());
    return b.Finish();
}

Result<ProcedureCase> Dynamic::Open(const Actor& actor, const OpenRequest& request, const std::string& now) {
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    auto c = OpenInTransaction(actor, request, now);
    if (!c) return c;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return c;
}

Result<ProcedureCase> Dynamic::OpenInTransaction(const Actor& actor, const OpenRequest& request,
                                                 const std::string& now) {
    const StepContext ctx = Context(actor, now);
    auto store_case = [&](ProcedureCase c) -> Result<ProcedureCase> {
        auto id = store_.InsertCase(c, Change(actor, now));
        if (!id) return std::unexpected(id.error());
        c.id = *id;
        c.version = 1;
        return c;
    };
    auto open_cases_of = [&](const std::string& code, ProcedureKind kind) -> Result<void> {
        CaseFilter f;
        f.household_code = code;
        f.kind = kind;
        f.open = true;
        auto n = store_.CountCases(f);
        if (!n) return std::unexpected(n.error());
        if (*n > 0)
            return Fail(
                "procedure.open_case", "household_code",
                "该户已有未办结的" + std::string(ProcedureKindNameZh(kind)) + "案件",
                "the household already has an open " + std::string(ProcedureKindName(kind)) + " case");
        return {};
    };

    if (request.kind == ProcedureKind::kNewIdentification) {
        if (!request.proposal)
            return Fail("input.household", "household", "须提供拟识别农户的信息",
                        "the proposed household is required");
        const Household& h = *request.proposal;
        auto existing = store_.FindHousehold(h.household_code);
        if (!existing) return std::unexpected(existing.error());
        if (*existing)
            return Fail("household.exists", "household_code", "户编号已在册: " + h.household_code,
                        "a registered household has this code: " + h.household_code);
        if (auto r = NotDeregistered(store_, h.household_code); !r) return std::unexpected(r.error());
        if (auto r = NoMemberElsewhere(store_, h, actor.scope); !r) return std::unexpected(r.error());
        if (auto r = open_cases_of(h.household_code, ProcedureKind::kNewIdentification); !r)
            return std::unexpected(r.error());
        auto c = OpenNewIdentification(h, request.year, request.date, request.notes, ctx);
        if (!c) return c;
        return store_case(std::move(*c));
    }

    auto record = store_.FindHousehold(request.household_code);
    if (!record) return std::unexpected(record.error());
    if (!*record || !InScope(actor.scope, (*record)->household.division_code))
        return NotFound("农户 " + request.household_code, "household " + request.household_code);
    const Household& h = (*record)->household;

    if (request.kind == ProcedureKind::kExit) {
        if (auto r = open_cases_of(h.household_code, ProcedureKind::kExit); !r)
            return std::unexpected(r.error());
        auto facts = ExitFacts(store_, h, request.year, request.date);
        if (!facts) return std::unexpected(facts.error());
        auto c = OpenExit(*facts, request.year, request.date, request.notes, ctx);
        if (!c) return c;
        return store_case(std::move(*c));
    }

    Result<ChangeResult> change = std::unexpected(Error{});
    switch (request.kind) {
        case ProcedureKind::kFallback:
            change = Fallback(h, request.year, request.date, request.reason, ctx);
            break;
        case ProcedureKind::kDeregistration: {
            const auto reason = ParseDeregistrationReason(request.reason);
            if (!reason)
                return Fail("input.reason", "reason", "销户原因应为 death、moved_away 或 wrongly_registered",
                            "the reason must be death, moved_away or wrongly_registered");
            change = Deregister(h, request.year, request.date, *reason, request.notes, ctx);
            break;
        }
        case ProcedureKind::kMemberChange:
            change = ChangeMember(h, request.year, request.date, request.member, ctx);
            break;
        case ProcedureKind::kBufferEnd:
            change = EndBuffer(h, request.year, request.date, ctx);
            break;
        default:
            return Fail("input.kind", "kind", "未知的案件类型", "unknown kind of case");
    }
    if (!change) return std::unexpected(change.error());
    if (change->after && request.kind == ProcedureKind::kMemberChange && request.member.joining) {
        // The joining member by the importer's rules, and not already in another household.
        AssemblyContext assembly{plan_, tree_};
        auto accepted = AcceptHouseholdJson(json::parse(HouseholdToJson(*change->after)), assembly);
        if (!accepted) return AsError(accepted.error().front());
        Household only_new;
        only_new.household_code = h.household_code;
        only_new.members = {*request.member.joining};
        if (auto r = NoMemberElsewhere(store_, only_new, actor.scope, "person.id_number"); !r)
            return std::unexpected(r.error());
    }
    auto stored = store_case(std::move(change->record));
    if (!stored) return stored;
    const ChangeContext cc = Change(actor, now);
    if (change->after) {
        if (auto r = store_.UpdateHousehold(**record, *change->after, cc); !r)
            return std::unexpected(r.error());
    } else if (auto r = store_.DeleteHousehold(**record, cc); !r) {
        return std::unexpected(r.error());
    }
    if (auto r = RecordEvent(store_, h, change->after, request.kind, request.date, stored->id, cc); !r)
        return std::unexpected(r.error());
    if (request.kind == ProcedureKind::kDeregistration) {
        // 谁贫困谁享受: its asset-income shares go to other poor households of the village at once.
        const bool died = ParseDeregistrationReason(request.reason) == DeregistrationReason::kDeath;
        if (auto r = ReallocateOnDepartureInTransaction(store_, plan_, h.household_code,
                                                        died ? ShareStatus::kDied : ShareStatus::kDeregistered,
                                                        request.year, request.date, cc);
            !r)
            return std::unexpected(r.error());
    }
    return stored;
}

Result<ProcedureCase> Dynamic::Step(const Actor& actor, int64_t id, const StepRequest& request,
                                    std::optional<int64_t> version, const std::vector<ExternalList>& lists,
                                    const std::string& now) {
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    auto found = Find(id, actor.scope);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound("案件 " + std::to_string(id), "case " + std::to_string(id));
    const ProcedureCase& before = **found;
    if (version && *version != before.version)
        return Fail("store.conflict", "version", "自您打开以来,此案件已被他人办理,请重新载入",
                    "someone changed this case since you opened it; reload it");
    StepContext ctx = Context(actor, now);
    std::optional<HouseholdRecord> household;
    HouseholdFacts facts;
    if (before.kind == ProcedureKind::kExit) {
        auto h = store_.FindHousehold(before.household_code);
        if (!h) return std::unexpected(h.error());
        if (!*h)
            return Fail("procedure.household_gone", "household_code", "该户已不在册",
                        "the household is no longer registered");
        household = std::move(**h);
        auto with_ledger = ExitFacts(store_, household->household, before.year, request.date);
        if (!with_ledger) return std::unexpected(with_ledger.error());
        facts = std::move(*with_ledger);
        ctx.household = &facts;
    }
    if (before.kind == ProcedureKind::kNewIdentification && before.household && request.step == "approve")
        for (const Person& p : before.household->members) {
            if (p.id_number.size() != 18) continue;
            const uint64_t packed = PackIdNumber(p.id_number);
            for (const ExternalList& l : lists)
                if (l.Contains(packed))
                    ctx.list_hits.push_back(std::string(ListKindNameZh(l.kind)) + ": " + p.name + " " +
                                            p.id_number);
        }
    auto after = ApplyStep(before, request, ctx);
    if (!after) return after;
    const ChangeContext cc = Change(actor, now);
    if (auto r = store_.UpdateCase(before, *after, cc); !r) return std::unexpected(r.error());
    after->version = before.version + 1;
    if (after->state == "registered") {
        if (auto r = NotDeregistered(store_, after->household_code); !r) return std::unexpected(r.error());
        if (auto r = NoMemberElsewhere(store_, *after->household, actor.scope); !r)
            return std::unexpected(r.error());
        if (auto r = store_.InsertHousehold(*after->household, cc); !r) {
            if (r.error().code == "store.duplicate")
                return Fail("household.exists", "household_code", "户编号已在册: " + after->household_code,
                            "a registered household has this code: " + after->household_code);
            return std::unexpected(r.error());
        }
        if (auto r = RecordEvent(store_, std::nullopt, *after->household, after->kind, request.date, after->id, cc); !r)
            return std::unexpected(r.error());
    } else if (after->state == "exited") {
        const Household exited = ExitedHousehold(household->household, after->year);
        if (auto r = store_.UpdateHousehold(*household, exited, cc); !r) return std::unexpected(r.error());
        if (auto r = RecordEvent(store_, household->household, exited, after->kind, request.date, after->id, cc); !r)
            return std::unexpected(r.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

Result<std::vector<int64_t>> Dynamic::EndBuffers(const Actor& actor, int year, const Date& date,
                                                 const std::string& now) {
    if (!MayActAt(actor.role, actor.scope, plan_.county_code, Level::kCounty))
        return Fail("procedure.permission", "step", "缓冲期结束须由县级有写权限的账号办理",
                    "ending buffer periods is done at county level by an account that may write");
    std::vector<std::string> due;
    HouseholdFilter filter;
    filter.division_prefix = actor.scope;
    filter.facts_only = true;
    filter.statuses = {codes::kStatusExited};
    auto scan = store_.ScanFacts(filter, [&](const HouseholdFacts& f) {
        if (BufferEnded(f.status, f.exit_year, plan_, year)) due.push_back(f.household_code);
        return true;
    });
    if (!scan) return std::unexpected(scan.error());
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    std::vector<int64_t> ids;
    for (const std::string& code : due) {
        OpenRequest request;
        request.kind = ProcedureKind::kBufferEnd;
        request.year = year;
        request.date = date;
        request.household_code = code;
        auto c = OpenInTransaction(actor, request, now);
        if (!c) return std::unexpected(c.error());
        ids.push_back(c->id);
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return ids;
}

Result<std::optional<ProcedureCase>> Dynamic::Find(int64_t id, const std::string& scope) {
    auto c = store_.FindCase(id);
    if (!c) return std::unexpected(c.error());
    if (*c && !InScope(scope, (*c)->division_code)) return std::optional<ProcedureCase>();
    return c;
}

Result<CaseList> Dynamic::List(const CaseFilter& filter) {
    auto total = store_.CountCases(filter);
    if (!total) return std::unexpected(total.error());
    auto cases = store_.ListCases(filter);
    if (!cases) return std::unexpected(cases.error());
    return CaseList{*total, std::move(*cases)};
}

Result<Waiting> Dynamic::WaitingUnder(const std::string& division_prefix) {
    CaseFilter open;
    open.division_prefix = division_prefix;
    open.open = true;
    open.limit = INT64_MAX;
    auto all_open = store_.ListCases(open);
    if (!all_open) return std::unexpected(all_open.error());
    Waiting waiting;
    for (const ProcedureCase& pc : *all_open)
        if (auto next = NextStepOf(pc, plan_))
            ++waiting[pc.division_code.substr(0, 9)][static_cast<int>(next->level)];
    return waiting;
}

Result<std::vector<ProcedureCase>> Dynamic::Timeline(const std::string& household_code) {
    CaseFilter f;
    f.household_code = household_code;
    f.limit = 10000;
    return store_.ListCases(f);
}

Result<AdjustmentSummary> Dynamic::Adjustment(int year, const std::string& scope) {
    CaseFilter f;
    f.year = year;
    f.division_prefix = scope;
    f.limit = INT64_MAX;
    auto cases = store_.ListCases(f);
    if (!cases) return std::unexpected(cases.error());
    return SummarizeAdjustment(year, *cases);
}

Result<std::optional<AdjustmentApproval>> Dynamic::ApprovalOf(int year) {
    return store_.FindAdjustmentApproval(year, plan_.county_code);
}

Result<AdjustmentApproval> Dynamic::Approve(const Actor& actor, int year, const Date& date,
                                            const std::string& notes, const std::string& now) {
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    auto summary = Adjustment(year, "");
    if (!summary) return std::unexpected(summary.error());
    if (auto r = MayApproveAdjustment(*summary, Context(actor, now), plan_.county_code); !r)
        return std::unexpected(r.error());
    AdjustmentApproval a{year,
                         plan_.county_code,
                         actor.username,
                         now,
                         date,
                         notes,
                         json::serialize(AdjustmentJson(*summary, tree_, std::nullopt))};
    if (auto r = store_.InsertAdjustmentApproval(a, Change(actor, now)); !r) {
        if (r.error().code == "store.duplicate")
            return Fail("procedure.approved", "year", std::to_string(year) + "年的动态调整已审定",
                        "the dynamic adjustment of " + std::to_string(year) + " is already approved");
        return std::unexpected(r.error());
    }
    // The year's reallocation of the asset-income shares (docs/shares.md) with the approval.
    if (auto r = ReallocateYearInTransaction(store_, plan_, year, date, Change(actor, now)); !r)
        return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return a;
}

Result<void> Dynamic::SetPopulation(const Actor& actor, const PopulationSetting& setting,
                                    const std::string& now) {
    if (!tree_.Find(setting.code))
        return Fail("input.code", "code", "未知的组织机构代码: " + setting.code,
                    "unknown org-unit code: " + setting.code);
    if (setting.rural_population <= 0)
        return Fail("input.rural_population", "rural_population", "农村人口应为正整数",
                    "the rural population must be a positive whole number");
    if (setting.year < 1900 || setting.year > 2100)
        return Fail("input.year", "year", "年度不合理", "the year is not plausible");
    if (!MayActAt(actor.role, actor.scope, setting.code, Level::kCounty))
        return Fail("procedure.permission", "code", "农村人口须由县级有写权限的账号设置",
                    "the rural population is set at county level by an account that may write");
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store_.PutPopulation(setting, Change(actor, now)); !r) return r;
    return tx->Commit();
}

Result<Evaluation> Dynamic::Draw(const Actor& actor, int year, int64_t size, uint64_t seed,
                                 const std::string& now) {
    if (!MayActAt(actor.role, actor.scope, plan_.county_code, Level::kCounty))
        return Fail("procedure.permission", "year", "第三方评估抽样须由县级有写权限的账号办理",
                    "an evaluation sample is drawn at county level by an account that may write");
    if (size <= 0 || size > 100000)
        return Fail("input.size", "size", "样本量应在1到100000之间",
                    "the sample size must be between 1 and 100000");
    if (year < 1900 || year > 2100)
        return Fail("input.year", "year", "年度不合理", "the year is not plausible");
    std::vector<std::string> population;
    std::map<std::string, std::string> division;
    HouseholdFilter filter;
    filter.facts_only = true;
    auto scan = store_.ScanFacts(filter, [&](const HouseholdFacts& f) {
        if (f.exited() && f.exit_year && *f.exit_year <= year) {
            population.push_back(f.household_code);
            division[f.household_code] = f.division_code;
        }
        return true;
    });
    if (!scan) return std::unexpected(scan.error());
    if (population.empty())
        return Fail("procedure.no_exited", "year", "截至" + std::to_string(year) + "年没有已脱贫户可供抽样",
                    "no households exited by " + std::to_string(year) + " to sample");
    Evaluation e;
    e.year = year;
    e.division_code = plan_.county_code;
    e.seed = seed;
    e.population = static_cast<int64_t>(population.size());
    e.drawn_by = actor.username;
    e.drawn_at = now;
    for (std::string& code : DrawSample(std::move(population), size, seed))
        e.items.push_back(EvaluationItem{code, division[code], Verdict::kPending, "", "", ""});
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    auto id = store_.InsertEvaluation(e, Change(actor, now));
    if (!id) return std::unexpected(id.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    e.id = *id;
    e.version = 1;
    return e;
}

Result<Evaluation> Dynamic::ChangeEvaluation(const Actor& actor, int64_t id, const std::string& now,
                                             const std::function<Result<void>(Evaluation&)>& change) {
    if (!MayActAt(actor.role, actor.scope, plan_.county_code, Level::kCounty))
        return Fail("procedure.permission", "id", "评估结果须由县级有写权限的账号登记",
                    "evaluation results are recorded at county level by an account that may write");
    auto tx = Transaction::Begin(store_);
    if (!tx) return std::unexpected(tx.error());
    auto before = store_.FindEvaluation(id);
    if (!before) return std::unexpected(before.error());
    if (!*before) return NotFound("评估 " + std::to_string(id), "evaluation " + std::to_string(id));
    Evaluation after = **before;
    if (auto r = change(after); !r) return std::unexpected(r.error());
    if (auto r = store_.UpdateEvaluation(**before, after, Change(actor, now)); !r)
        return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    after.version = (*before)->version + 1;
    return after;
}

Result<Evaluation> Dynamic::Judge(const Actor& actor, int64_t id, const std::string& household_code,
                                  Verdict verdict, const std::string& notes, const std::string& now) {
    return ChangeEvaluation(actor, id, now, [&](Evaluation& e) -> Result<void> {
        auto it = std::ranges::find(e.items, household_code, &EvaluationItem::household_code);
        if (it == e.items.end())
            return NotFound("样本户 " + household_code, "sampled household " + household_code);
        it->verdict = verdict;
        it->notes = notes;
        it->recorded_by = actor.username;
        it->recorded_at = now;
        return {};
    });
}

Result<Evaluation> Dynamic::RecordSurvey(const Actor& actor, int64_t id, const Survey& s,
                                         const std::string& now) {
    return ChangeEvaluation(actor, id, now, [&](Evaluation& e) -> Result<void> {
        for (auto [value, field] :
             {std::pair{s.non_poor_surveyed, "non_poor_surveyed"}, std::pair{s.missed_found, "missed_found"},
              std::pair{s.approval_surveyed, "approval_surveyed"},
              std::pair{s.approval_satisfied, "approval_satisfied"}})
            if (value && *value < 0) return Fail("input.survey", field, "不能为负数", "must not be negative");
        if (s.non_poor_surveyed) e.non_poor_surveyed = *s.non_poor_surveyed;
        if (s.missed_found) e.missed_found = *s.missed_found;
        if (s.approval_surveyed) e.approval_surveyed = *s.approval_surveyed;
        if (s.approval_satisfied) e.approval_satisfied = *s.approval_satisfied;
        if (e.missed_found > e.non_poor_surveyed)
            return Fail("input.survey", "missed_found", "漏评户数不能多于调查的非贫困户数",
                        "missed households cannot outnumber the non-poor households surveyed");
        if (e.approval_satisfied > e.approval_surveyed)
            return Fail("input.survey", "approval_satisfied", "认可人数不能多于调查人数",
                        "satisfied people cannot outnumber the people asked");
        return {};
    });
}

Result<EvaluationRates> Dynamic::Rates(const Evaluation& e) {
    auto incidence = Incidence(e.year);
    if (!incidence) return std::unexpected(incidence.error());
    return RatesOf(e, plan_.dynamic, incidence->county.incidence);
}

}  // namespace jz::service
