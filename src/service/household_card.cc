#include "service/household_card.h"

#include "service/as_of.h"

#include <algorithm>
#include <map>

#include "core/access.h"
#include "core/assistance.h"
#include "core/codes.h"
#include "core/procedure.h"
#include "core/shares.h"

namespace jz::service {

namespace {

// The one place households are loaded for cards (switched to the as-of registry at merge).
Result<std::vector<Household>> LoadHouseholdsForCards(Store& store, const std::string& household_code,
                                                      const std::string& village_code, const Date& as_of) {
    // The households as they stood at the end of as_of (service/as_of.h).
    auto registry = RegistryAsOf::Load(store, as_of, household_code.empty() ? village_code : std::string());
    if (!registry) return std::unexpected(registry.error());
    std::vector<Household> out;
    if (!household_code.empty()) {
        auto h = registry->FindHousehold(store, household_code);
        if (!h) return std::unexpected(h.error());
        if (*h) out.push_back(std::move(**h));
        return out;
    }
    HouseholdFilter f;
    f.division_prefix = village_code;
    auto r = registry->ScanHouseholds(store, f, [&](const Household& h) {
        out.push_back(h);
        return true;
    });
    if (!r) return std::unexpected(r.error());
    std::ranges::sort(out, {}, &Household::household_code);
    return out;
}

std::string Name(const CodeTable& table, std::optional<int> code) {
    if (!code) return "";
    return std::string(table.NameOf(*code));
}

std::string UnitName(const OrgTree& tree, std::string_view code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string(code);
}

std::string MeasureName(const Plan& plan, int number) {
    const PlanMeasure* m = plan.FindMeasure(number);
    return m ? m->name : "措施" + std::to_string(number);
}

Result<HouseholdCard> Build(Store& store, const Plan& plan, const OrgTree& tree, const Household& h,
                            const CardOptions& o) {
    const bool mask = o.mask;
    auto text = [&](const std::string& s) { return mask ? MaskIdNumbersInText(s) : s; };
    HouseholdCard c;
    c.household_code = h.household_code;
    c.village_code = h.division_code;
    c.county = UnitName(tree, h.county_code());
    c.township = UnitName(tree, h.township_code());
    c.village = UnitName(tree, h.division_code);
    if (const Person* head = h.head()) {
        c.head_name = head->name;
        c.head_id_number = mask ? MaskIdNumber(head->id_number) : head->id_number;
    }
    c.phone = mask ? MaskPhone(h.phone) : h.phone;
    c.attribute = Name(codes::Attribute(), h.attribute);
    c.identification_standard = Name(codes::IdentificationStandard(), h.identification_standard);
    c.main_cause = Name(codes::Cause(), h.main_cause);
    for (int cause : h.other_causes) {
        if (!c.other_causes.empty()) c.other_causes += "、";
        c.other_causes += Name(codes::Cause(), cause);
    }
    c.identified_year = h.identified_year;
    c.planned_exit_year = h.planned_exit_year;
    c.status = Name(codes::Status(), h.status);
    c.exit_year = h.exit_year;
    c.net_income_per_head = h.net_income_per_head;
    if (h.main_measure) c.main_measure = MeasureName(plan, *h.main_measure);
    for (int m : h.aux_measures) {
        if (!c.aux_measures.empty()) c.aux_measures += "、";
        c.aux_measures += MeasureName(plan, m);
    }
    c.pairing_cadre = h.pairing_cadre;
    for (const Person& p : h.members) {
        CardMember m;
        m.name = p.name;
        m.id_number = mask ? MaskIdNumber(p.id_number) : p.id_number;
        m.relation = Name(codes::Relation(), p.relation);
        m.sex = Name(codes::Sex(), p.sex);
        m.birth = mask ? std::to_string(p.birth_date.year) : p.birth_date.ToString();
        m.ethnicity = !p.ethnicity_name.empty() ? p.ethnicity_name : Name(codes::Ethnicity(), p.ethnicity);
        m.education = Name(codes::Education(), p.education);
        m.schooling = Name(codes::Schooling(), p.schooling);
        m.health = Name(codes::Health(), p.health);
        m.labour = Name(codes::Labour(), p.labour);
        m.migrant_work = Name(codes::MigrantWork(), p.migrant_work);
        c.members.push_back(std::move(m));
    }

    // Pairings with history, as they stood at the end of as_of.
    PairingFilter pf;
    pf.household_code = h.household_code;
    pf.limit = 100000;
    auto pairings = store.ListPairings(pf);
    if (!pairings) return std::unexpected(pairings.error());
    std::map<int64_t, Cadre> cadres;
    for (const Pairing& p : *pairings) {
        if (o.as_of < p.from) continue;
        auto it = cadres.find(p.cadre_id);
        if (it == cadres.end()) {
            auto cr = store.FindCadre(p.cadre_id);
            if (!cr) return std::unexpected(cr.error());
            it = cadres.emplace(p.cadre_id, *cr ? (*cr)->cadre : Cadre{}).first;
        }
        CardPairing cp;
        cp.cadre = it->second.name;
        cp.unit = it->second.unit;
        cp.phone = mask ? MaskPhone(it->second.phone) : it->second.phone;
        cp.from = p.from;
        if (p.to && !(o.as_of < *p.to)) {
            cp.to = p.to;
            cp.end_reason = text(p.end_reason);
        }
        cp.reason = text(p.reason);
        c.pairings.push_back(std::move(cp));
    }
    std::ranges::sort(c.pairings, [](const CardPairing& a, const CardPairing& b) {
        if (a.to.has_value() != b.to.has_value()) return !a.to.has_value();
        return b.from < a.from;
    });
    for (const CardPairing& p : c.pairings)
        if (!p.to) {
            c.pairing_cadre = p.cadre;
            break;
        }

    // Assistance items received, by category then date.
    AssistanceFilter af;
    af.household_code = h.household_code;
    af.limit = 100000;
    auto items = store.ListAssistance(af);
    if (!items) return std::unexpected(items.error());
    for (const AssistanceRecord& r : *items) {
        const AssistanceItem& i = r.item;
        if (o.as_of < i.start_date) continue;
        CardAssistance a;
        a.category = Name(codes::AssistanceCategory(), i.category);
        a.measure = MeasureName(plan, i.measure);
        a.kind = Name(codes::AssistanceKind(), i.kind);
        a.start_date = i.start_date;
        a.end_date = i.end_date;
        a.amount = i.amount;
        a.periodic_amount = i.periodic_amount;
        a.period = Name(codes::AssistancePeriod(), i.period);
        if (i.signed_on && !(o.as_of < *i.signed_on)) a.signed_on = i.signed_on;
        c.assistance.push_back(std::move(a));
        (void)i;
    }
    std::ranges::stable_sort(c.assistance, [](const CardAssistance& a, const CardAssistance& b) {
        if (a.category != b.category) return a.category < b.category;
        return a.start_date < b.start_date;
    });

    // Income by year.
    IncomeFilter inf;
    inf.household_code = h.household_code;
    inf.to_year = o.as_of.year;
    inf.limit = 1000;
    auto incomes = store.ListIncome(inf);
    if (!incomes) return std::unexpected(incomes.error());
    for (const IncomeRecordVersion& v : *incomes) {
        const IncomeRecord& r = v.record;
        if (r.year > o.as_of.year) continue;
        c.incomes.push_back(CardIncome{.year = r.year,
                                       .persons = r.persons,
                                       .wage = r.wage,
                                       .production = r.production,
                                       .property = r.property,
                                       .transfer = r.transfer,
                                       .production_costs = r.production_costs,
                                       .net_income = NetIncome(r),
                                       .per_head = NetIncomePerHead(r)});
    }
    std::ranges::sort(c.incomes, {}, &CardIncome::year);

    // Asset-income shares as they stood at the end of as_of: the household's share certificates
    // issued on or before it and not revoked by then (every change of holdings revokes the holder's
    // certificate and issues a new one), over the assets of its village and those it holds now.
    std::map<std::string, Asset> assets;
    {
        auto village_assets = store.ListAssets(h.division_code);
        if (!village_assets) return std::unexpected(village_assets.error());
        for (Asset& a : *village_assets) assets.emplace(a.id, std::move(a));
        auto held = store.HoldingsOf(h.household_code);
        if (!held) return std::unexpected(held.error());
        for (const auto& [asset_id, n] : *held) {
            if (assets.contains(asset_id)) continue;
            auto a = store.FindAsset(asset_id);
            if (!a) return std::unexpected(a.error());
            if (*a) assets.emplace(asset_id, **a);
        }
    }
    for (const auto& [asset_id, asset] : assets) {
        auto certificates = store.ListCertificates(asset_id, true);
        if (!certificates) return std::unexpected(certificates.error());
        int64_t n = 0;
        for (const ShareCertificate& cert : *certificates)
            if (cert.holder == h.household_code && !(o.as_of < cert.issued_on) &&
                (!cert.revoked_on || o.as_of < *cert.revoked_on))
                n += cert.shares;
        if (n <= 0) continue;
        const Fen value_share =
            asset.total_shares > 0 ? static_cast<Fen>(static_cast<__int128>(asset.value) * n / asset.total_shares) : 0;
        c.shares.push_back(CardShare{asset_id, std::string(AssetKindNameZh(asset.kind)), n, asset.total_shares,
                                     value_share});
    }
    auto dividends = store.DividendsOf(h.household_code);
    if (!dividends) return std::unexpected(dividends.error());
    for (const HolderDividend& d : *dividends)
        if (d.year <= o.as_of.year) c.dividends.push_back(CardDividend{d.asset_id, d.year, d.shares, d.fen});

    // Procedure cases with their steps up to as_of.
    CaseFilter cf;
    cf.household_code = h.household_code;
    cf.limit = 1000;
    auto cases = store.ListCases(cf);
    if (!cases) return std::unexpected(cases.error());
    for (const ProcedureCase& pc : *cases) {
        CardCase cc;
        cc.kind = std::string(ProcedureKindNameZh(pc.kind));
        cc.year = pc.year;
        std::string state;
        for (const ProcedureStep& s : pc.steps) {
            if (o.as_of < s.date) continue;
            cc.steps.push_back(CardStep{std::string(StepNameZh(s.step)), s.date, s.outcome});
            state = s.to_state;
        }
        if (cc.steps.empty()) continue;
        cc.state = std::string(StateNameZh(pc.kind, state));
        if (cc.state.empty()) cc.state = state;
        c.cases.push_back(std::move(cc));
    }
    c.qr_payload = o.base_url + "/households/" + h.household_code;
    c.as_of = o.as_of;
    c.masked = mask;
    return c;
}

}  // namespace

Result<HouseholdCard> BuildHouseholdCard(Store& store, const Plan& plan, const OrgTree& tree,
                                         const std::string& household_code, const CardOptions& options) {
    auto list = LoadHouseholdsForCards(store, household_code, "", options.as_of);
    if (!list) return std::unexpected(list.error());
    if (list->empty() || household_code.empty())
        return Fail("card.unknown_household", "household_code", "户编号 " + household_code + " 未登记",
                    "household " + household_code + " is not registered");
    auto card = Build(store, plan, tree, list->front(), options);
    if (!card) return card;
    auto corrected = CorrectedSince(store, options.as_of, list->front().division_code);
    if (!corrected) return std::unexpected(corrected.error());
    card->corrected_after = std::ranges::binary_search(*corrected, household_code);
    return card;
}

Result<std::vector<HouseholdCard>> BuildVillageCards(Store& store, const Plan& plan, const OrgTree& tree,
                                                     const std::string& village_code, const CardOptions& options) {
    const OrgUnit* u = tree.Find(village_code);
    if (village_code.size() != 12 || !u || u->level != OrgLevel::kVillage)
        return Fail("card.not_a_village", "village", village_code + " 不是本县的村(12 位代码)",
                    village_code + " is not a village of the county (12 digits)");
    auto list = LoadHouseholdsForCards(store, "", village_code, options.as_of);
    if (!list) return std::unexpected(list.error());
    auto corrected = CorrectedSince(store, options.as_of, village_code);
    if (!corrected) return std::unexpected(corrected.error());
    std::vector<HouseholdCard> out;
    out.reserve(list->size());
    for (const Household& h : *list) {
        auto c = Build(store, plan, tree, h, options);
        if (!c) return std::unexpected(c.error());
        c->corrected_after = std::ranges::binary_search(*corrected, h.household_code);
        out.push_back(std::move(*c));
    }
    return out;
}

}  // namespace jz::service
