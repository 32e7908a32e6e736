// Pairing's operations (pairing.h): cadres, pairings with history, the assignment, work teams,
// visits, the overdue list, the field kit, places and the facts of the data-quality rules.
#include "service/pairing.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "core/access.h"
#include "core/codes.h"
#include "service/as_of.h"
#include "service/body_reader.h"
#include "core/id_number.h"
#include "core/text.h"

namespace jz::service {

namespace json = boost::json;

namespace {

// --- errors and small helpers -------------------------------------------------------------------

std::unexpected<Error> Problems(const std::vector<Error>& errors, const std::string& code) {
    if (errors.size() == 1) {
        Error e = errors.front();
        if (e.code.empty()) e.code = code;
        return std::unexpected(std::move(e));
    }
    std::string zh, en;
    for (const Error& e : errors) {
        if (!zh.empty()) zh += "；", en += "; ";
        zh += (e.field.empty() ? "" : e.field + ": ") + e.message_zh;
        en += (e.field.empty() ? "" : e.field + ": ") + e.message_en;
    }
    return Fail(code, errors.front().field, zh, en);
}

// Without surrounding spaces (ASCII and the ideographic space U+3000).
std::string Trimmed(std::string_view s) {
    bool again = true;
    while (again) {
        again = false;
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1), again = true;
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1), again = true;
        if (s.starts_with("\u3000")) s.remove_prefix(3), again = true;
        if (s.ends_with("\u3000")) s.remove_suffix(3), again = true;
    }
    return std::string(s);
}

// A reason (of a pairing's beginning or end): 1..200 characters, none forbidden.
Result<std::string> Reason(const std::string& given, const std::string& code) {
    std::string why = Trimmed(given);
    if (why.empty()) return Fail(code, "reason", "须说明原因", "a reason is required");
    if (CountCharacters(why) > 200)
        return Fail(code, "reason", "原因不能超过200个字", "the reason is at most 200 characters");
    if (auto bad = FindForbiddenCharacter(why))
        return Fail(code, "reason", "原因含有不允许的字符 " + DescribeCharacter(bad->character),
                    "the reason holds a character that is not allowed: " + DescribeCharacter(bad->character));
    return why;
}

std::unexpected<Error> CadreNotFound(int64_t id) {
    return Fail("cadre.not_found", "cadre_id", "找不到干部 " + std::to_string(id), "cadre " + std::to_string(id) + " not found");
}

Result<CadreRecord> CadreOf(Store& store, int64_t id) {
    auto found = store.FindCadre(id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return CadreNotFound(id);
    return std::move(**found);
}

// A household registered now (household.deregistered / household.not_found else).
Result<HouseholdRecord> RegisteredHousehold(Store& store, const std::string& household_code, const std::string& code) {
    if (household_code.empty()) return Fail(code, "household_code", "须填写户编号", "the household code is required");
    auto found = store.FindHousehold(household_code);
    if (!found) return std::unexpected(found.error());
    if (*found) return std::move(**found);
    auto gone = store.IsDeregistered(household_code);
    if (!gone) return std::unexpected(gone.error());
    if (*gone)
        return Fail("household.deregistered", "household_code", "农户 " + household_code + " 已销户",
                    "household " + household_code + " was deregistered");
    return Fail("household.not_found", "household_code", "找不到农户 " + household_code,
                "household " + household_code + " not found");
}

bool Exited(int status) { return status == codes::kStatusExited || status == codes::kStatusExitedNoPolicy; }

Date DayBefore(const Date& d) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() - 1); }
Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }
Date QuarterStart(const Date& d) { return Date{d.year, (d.month - 1) / 3 * 3 + 1, 1}; }

std::string Month(int year, int month) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

json::value OptDate(const std::optional<Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }

std::string UnitName(const OrgTree& tree, std::string_view code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string();
}

// Every cadre under the prefix (paged through ListCadres), by id.
Result<std::vector<CadreRecord>> AllCadres(Store& store, CadreFilter filter) {
    std::vector<CadreRecord> out;
    filter.limit = 10000;
    for (;;) {
        auto page = store.ListCadres(filter);
        if (!page) return std::unexpected(page.error());
        const bool more = static_cast<int64_t>(page->size()) == filter.limit;
        if (!page->empty()) filter.after_id = page->back().cadre.id;
        std::move(page->begin(), page->end(), std::back_inserter(out));
        if (!more) break;
    }
    return out;
}

// Every cadre's current load, all households (a cadre's quota counts wherever they pair).
Result<std::unordered_map<int64_t, int64_t>> Loads(Store& store) {
    auto loads = store.CadreLoads("");
    if (!loads) return std::unexpected(loads.error());
    std::unordered_map<int64_t, int64_t> out;
    out.reserve(loads->size());
    for (const auto& [id, n] : *loads) out[id] = n;
    return out;
}

// Writes the cadre's name (or none) into the household's pairing_cadre: a household change, logged.
Result<void> WritePairingName(Store& store, const HouseholdRecord& before, const std::string& name,
                              const ChangeContext& change) {
    if (before.household.pairing_cadre == name) return {};
    Household after = before.household;
    after.pairing_cadre = name;
    return store.UpdateHousehold(before, after, change);
}

// SetPairing's work inside the caller's transaction. `assigning`: the assignment's pairs, within
// quota by construction.
Result<Pairing> SetPairingIn(Store& store, const Plan& plan, const SetPairingRequest& request, const std::string& reason,
                             bool assigning, const ChangeContext& change) {
    const bool check_quota = !assigning;
    auto household = RegisteredHousehold(store, request.household_code, "pairing.invalid");
    if (!household) return std::unexpected(household.error());
    if (Exited(household->household.status))
        return Fail("household.exited", "household_code",
                    "农户 " + request.household_code + " 已脱贫,不再新设帮扶责任人(保留原结对)",
                    "household " + request.household_code + " has exited: no new pairing is set (it keeps its last cadre)");
    if (request.cadre_id <= 0) return Fail("pairing.invalid", "cadre_id", "须选择干部", "a cadre is required");
    auto cadre = CadreOf(store, request.cadre_id);
    if (!cadre) return std::unexpected(cadre.error());
    auto current = store.CurrentPairing(request.household_code);
    if (!current) return std::unexpected(current.error());
    if (*current && (*current)->cadre_id == request.cadre_id)
        return Fail("pairing.same_cadre", "cadre_id", "该户已与干部 " + cadre->cadre.name + " 结对",
                    "the household is already paired with cadre " + cadre->cadre.name);
    if (!*current) {
        // The last pairing ended (on purpose): the new one begins after it.
        PairingFilter f;
        f.household_code = request.household_code;
        f.limit = 100000;
        auto history = store.ListPairings(f);
        if (!history) return std::unexpected(history.error());
        std::optional<Pairing> last;
        for (const Pairing& p : *history)
            if (p.to && (!last || *last->to < *p.to)) last = p;
        if (last && !(*last->to < request.from) && !(last->from == *last->to && request.from == *last->to))
            return Fail("pairing.invalid", "from", "新结对须晚于上一结对的结束日期 " + last->to->ToString(),
                        "the new pairing must begin after the last one ended (" + last->to->ToString() + ")");
    }
    if (!cadre->cadre.ActiveOn(request.from))
        return Fail("cadre.inactive", "cadre_id",
                    "干部 " + cadre->cadre.name + " 在 " + request.from.ToString() + " 不在任",
                    "cadre " + cadre->cadre.name + " is not serving on " + request.from.ToString());
    if (*current && request.from < (*current)->from)
        return Fail("pairing.invalid", "from",
                    "新结对不能早于现结对的开始日期 " + (*current)->from.ToString(),
                    "the new pairing cannot begin before the current one began (" + (*current)->from.ToString() + ")");
    if (check_quota && !request.allow_over_quota) {
        const int quota = QuotaOf(plan, cadre->cadre.rank);
        PairingFilter f;
        f.cadre_id = request.cadre_id;
        f.current_only = true;
        f.limit = quota + 1;
        auto held = store.ListPairings(f);
        if (!held) return std::unexpected(held.error());
        if (static_cast<int64_t>(held->size()) >= quota)
            return Fail("pairing.over_quota", "cadre_id",
                        "干部 " + cadre->cadre.name + " 已结对 " + std::to_string(held->size()) + " 户,达到限额 " +
                            std::to_string(quota) + " 户",
                        "cadre " + cadre->cadre.name + " already pairs with " + std::to_string(held->size()) +
                            " households, the quota is " + std::to_string(quota));
    }
    if (*current) {
        const Pairing& old = **current;
        const Date to = request.from == old.from ? request.from : DayBefore(request.from);
        if (auto r = store.EndPairing(old.id, to, reason, change); !r) return std::unexpected(r.error());
    }
    Pairing p;
    p.household_code = request.household_code;
    p.division_code = household->household.division_code;
    p.cadre_id = request.cadre_id;
    p.from = request.from;
    p.reason = reason;
    auto id = store.InsertPairing(p, change);
    if (!id) return std::unexpected(id.error());
    p.id = *id;
    if (auto r = WritePairingName(store, *household, cadre->cadre.name, change); !r) return std::unexpected(r.error());
    return p;
}

// --- JSON body reading --------------------------------------------------------------------------

using detail::BodyReader;

// Decimal degrees ("29.123456" or a number) with at most 6 decimals, as microdegrees.
std::optional<int64_t> Micro(const json::value& v) {
    if (v.is_int64() || v.is_uint64()) {
        const double d = v.to_number<double>();
        if (std::abs(d) > 1000) return std::nullopt;
        return static_cast<int64_t>(std::llround(d * 1e6));
    }
    if (v.is_double()) {
        const double d = v.as_double(), micro = d * 1e6;
        if (!std::isfinite(d) || std::abs(d) > 1000 || std::abs(micro - std::round(micro)) > 1e-3) return std::nullopt;
        return static_cast<int64_t>(std::llround(micro));
    }
    if (!v.is_string()) return std::nullopt;
    std::string_view s = v.as_string();
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    int64_t whole = 0, fraction = 0;
    int digits = 0, fraction_digits = 0;
    bool dot = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        if (dot) {
            if (++fraction_digits > 6) return std::nullopt;
            fraction = fraction * 10 + (c - '0');
        } else {
            if (++digits > 4) return std::nullopt;
            whole = whole * 10 + (c - '0');
        }
    }
    if (digits == 0) return std::nullopt;
    for (int i = fraction_digits; i < 6; ++i) fraction *= 10;
    const int64_t value = whole * 1'000'000 + fraction;
    return negative ? -value : value;
}

// --- digests ------------------------------------------------------------------------------------

class Digest {
  public:
    Digest() { crypto_hash_sha256_init(&state_); }
    void Add(std::string_view s) {
        const uint64_t n = s.size();
        crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(&n), sizeof n);
        crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    }
    void Add(int64_t v) { crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(&v), sizeof v); }
    std::string Hex() {
        unsigned char out[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&state_, out);
        char hex[crypto_hash_sha256_BYTES * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, out, sizeof out);
        return hex;
    }

  private:
    crypto_hash_sha256_state state_;
};

}  // namespace

// --- cadres -------------------------------------------------------------------------------------

namespace {

Result<Cadre> Normalised(const Plan& plan, Cadre cadre) {
    cadre.name = Trimmed(cadre.name);
    cadre.unit = Trimmed(cadre.unit);
    cadre.phone = Trimmed(cadre.phone);
    cadre.township_code = Trimmed(cadre.township_code);
    cadre.id_number = Trimmed(cadre.id_number);
    if (!cadre.id_number.empty())
        if (auto id = ParseIdNumber(cadre.id_number)) cadre.id_number = id->value;
    cadre.division_code = cadre.township_code.empty() ? plan.county_code : cadre.township_code;
    if (auto errors = ValidateCadre(cadre, plan); !errors.empty()) return Problems(errors, "cadre.invalid");
    return cadre;
}

std::unexpected<Error> DuplicateIdNumber(const std::string& id_number) {
    return Fail("store.duplicate", "id_number", "已有干部使用此证件号码: " + MaskIdNumber(id_number),
                "a cadre with this ID number exists: " + MaskIdNumber(id_number));
}

}  // namespace

Result<CadreRecord> AddCadre(Store& store, const Plan& plan, Cadre cadre, const ChangeContext& change) {
    auto checked = Normalised(plan, std::move(cadre));
    if (!checked) return std::unexpected(checked.error());
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto id = store.InsertCadre(*checked, change);
    if (!id) {
        if (id.error().code == "store.duplicate") return DuplicateIdNumber(checked->id_number);
        return std::unexpected(id.error());
    }
    auto stored = CadreOf(store, *id);
    if (!stored) return stored;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return stored;
}

Result<CadreRecord> UpdateCadre(Store& store, const Plan& plan, Cadre cadre, int64_t version,
                                const ChangeContext& change) {
    const int64_t id = cadre.id;
    auto checked = Normalised(plan, std::move(cadre));
    if (!checked) return std::unexpected(checked.error());
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto before = CadreOf(store, id);
    if (!before) return before;
    if (before->version != version)
        return Fail("store.conflict", "version",
                    "自您读取以来,此干部记录已被他人修改(现为第" + std::to_string(before->version) + "版),请重新载入",
                    "someone changed this cadre since you read it (now version " + std::to_string(before->version) +
                        "); reload it");
    checked->id = id;
    if (*checked == before->cadre) return before;
    if (auto r = store.UpdateCadre(*before, *checked, change); !r) {
        if (r.error().code == "store.duplicate") return DuplicateIdNumber(checked->id_number);
        return std::unexpected(r.error());
    }
    auto stored = CadreOf(store, id);
    if (!stored) return stored;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return stored;
}

Result<std::vector<CadreLoad>> ListCadreLoads(Store& store, const Plan& plan, const CadreFilter& filter) {
    auto cadres = store.ListCadres(filter);
    if (!cadres) return std::unexpected(cadres.error());
    auto loads = Loads(store);
    if (!loads) return std::unexpected(loads.error());
    std::vector<CadreLoad> out;
    out.reserve(cadres->size());
    for (CadreRecord& r : *cadres) {
        CadreLoad l;
        l.quota = QuotaOf(plan, r.cadre.rank);
        auto it = loads->find(r.cadre.id);
        l.load = it == loads->end() ? 0 : it->second;
        l.record = std::move(r);
        out.push_back(std::move(l));
    }
    return out;
}

// --- pairings -----------------------------------------------------------------------------------

Result<Pairing> SetPairing(Store& store, const Plan& plan, const SetPairingRequest& request,
                           const ChangeContext& change) {
    auto reason = Reason(request.reason, "pairing.invalid");
    if (!reason) return std::unexpected(reason.error());
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto p = SetPairingIn(store, plan, request, *reason, false, change);
    if (!p) return p;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return p;
}

Result<Pairing> EndPairing(Store& store, const std::string& household_code, const Date& to, const std::string& reason,
                           const ChangeContext& change) {
    auto why = Reason(reason, "pairing.invalid");
    if (!why) return std::unexpected(why.error());
    if (household_code.empty())
        return Fail("pairing.invalid", "household_code", "须填写户编号", "the household code is required");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto household = store.FindHousehold(household_code);
    if (!household) return std::unexpected(household.error());
    auto current = store.CurrentPairing(household_code);
    if (!current) return std::unexpected(current.error());
    if (!*current) {
        if (!*household) {
            auto gone = RegisteredHousehold(store, household_code, "pairing.invalid");
            if (!gone) return std::unexpected(gone.error());
        }
        return Fail("pairing.not_found", "household_code", "农户 " + household_code + " 当前没有帮扶责任人",
                    "household " + household_code + " has no current pairing");
    }
    Pairing p = **current;
    if (to < p.from)
        return Fail("pairing.invalid", "to", "结束日期不能早于结对开始日期 " + p.from.ToString(),
                    "the end cannot be before the pairing began (" + p.from.ToString() + ")");
    if (auto r = store.EndPairing(p.id, to, *why, change); !r) return std::unexpected(r.error());
    if (*household)
        if (auto r = WritePairingName(store, **household, "", change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    p.to = to;
    p.end_reason = *why;
    return p;
}

Result<json::object> PairingHistoryJson(Store& store, const Plan& plan, const std::string& household_code,
                                        bool mask_ids) {
    PairingFilter f;
    f.household_code = household_code;
    f.limit = 100000;
    auto list = store.ListPairings(f);
    if (!list) return std::unexpected(list.error());
    if (list->empty()) {
        auto h = RegisteredHousehold(store, household_code, "pairing.invalid");
        if (!h) return std::unexpected(h.error());
    }
    std::ranges::sort(*list, [](const Pairing& a, const Pairing& b) {
        if (a.current() != b.current()) return a.current();
        if (a.from != b.from) return b.from < a.from;
        return b.id < a.id;
    });
    std::map<int64_t, CadreRecord> cadres;
    json::array pairings;
    json::value current = nullptr;
    for (const Pairing& p : *list) {
        auto it = cadres.find(p.cadre_id);
        if (it == cadres.end()) {
            auto c = store.FindCadre(p.cadre_id);
            if (!c) return std::unexpected(c.error());
            CadreRecord r;
            if (*c) r = **c;
            it = cadres.emplace(p.cadre_id, std::move(r)).first;
        }
        const Cadre& c = it->second.cadre;
        json::object o{{"id", p.id},
                       {"household_code", p.household_code},
                       {"division_code", p.division_code},
                       {"cadre_id", p.cadre_id},
                       {"cadre_name", c.name},
                       {"cadre_rank", c.rank},
                       {"cadre_rank_name", std::string(codes::CadreRank().NameOf(c.rank))},
                       {"cadre_unit", c.unit},
                       {"cadre_township_code", c.township_code},
                       {"cadre_phone", mask_ids ? MaskPhone(c.phone) : c.phone},
                       {"quota", QuotaOf(plan, c.rank)},
                       {"from", p.from.ToString()},
                       {"to", OptDate(p.to)},
                       {"reason", p.reason},
                       {"end_reason", p.end_reason},
                       {"current", p.current()}};
        if (p.current() && current.is_null()) current = o;
        pairings.push_back(std::move(o));
    }
    return json::object{{"household_code", household_code}, {"current", current}, {"pairings", std::move(pairings)}};
}

// --- assignment ---------------------------------------------------------------------------------

namespace {

struct AssignInputs {
    std::vector<std::string> codes, divisions;  // households needing a cadre, by code
    std::vector<int64_t> current;               // index-aligned: the current cadre, 0 none
    std::vector<CadreRecord> cadres;            // by id
    std::vector<int> quotas;                    // index-aligned with cadres: the plan's quota
    std::vector<int64_t> loads;                 // total current pairings
    std::vector<int64_t> loads_outside;         // of those, not among the households above
};

// The last day of each household's latest ended pairing, for households under the prefix.
Result<std::unordered_map<std::string, Date>> LastEnds(Store& store, const std::string& scope) {
    std::unordered_map<std::string, Date> out;
    auto take = [&](const std::vector<Pairing>& page) {
        for (const Pairing& p : page)
            if (p.to) {
                auto [it, fresh] = out.try_emplace(p.household_code, *p.to);
                if (!fresh && it->second < *p.to) it->second = *p.to;
            }
    };
    PairingFilter f;
    f.division_prefix = scope;
    f.limit = 100000;
    for (;;) {
        auto page = store.ListPairings(f);
        if (!page) return std::unexpected(page.error());
        take(*page);
        if (static_cast<int64_t>(page->size()) < f.limit) break;
        // A page may stop inside a household: read the rest of that one on its own.
        PairingFilter one;
        one.household_code = page->back().household_code;
        one.limit = 100000;
        auto rest = store.ListPairings(one);
        if (!rest) return std::unexpected(rest.error());
        take(*rest);
        f.after_household = page->back().household_code;
    }
    return out;
}

Result<AssignInputs> ReadAssignInputs(Store& store, const Plan& plan, const std::string& scope, const Date& on) {
    AssignInputs in;
    struct Row {
        std::string code, division;
    };
    std::vector<Row> rows;
    HouseholdFilter filter;
    filter.division_prefix = scope;
    filter.facts_only = true;
    filter.any_order = true;
    filter.statuses = {codes::kStatusNotExited, codes::kStatusFallback};
    auto scan = store.ScanFacts(filter, [&](const HouseholdFacts& f) {
        if (!f.exited()) rows.push_back({f.household_code, f.division_code});
        return true;
    });
    if (!scan) return std::unexpected(scan.error());
    std::ranges::sort(rows, {}, &Row::code);
    std::unordered_map<std::string, int64_t> current;
    auto pairs = store.ScanCurrentPairings(scope, [&](const Pairing& p) {
        current[p.household_code] = p.cadre_id;
        return true;
    });
    if (!pairs) return std::unexpected(pairs.error());
    // A household whose last pairing ended on the day or later waits for the day after it (a new
    // pairing never overlaps the last one): not proposed today.
    auto ends = LastEnds(store, scope);
    if (!ends) return std::unexpected(ends.error());
    std::erase_if(rows, [&](const Row& r) {
        if (current.contains(r.code)) return false;
        auto it = ends->find(r.code);
        return it != ends->end() && !(it->second < on);
    });
    in.codes.reserve(rows.size());
    in.divisions.reserve(rows.size());
    in.current.reserve(rows.size());
    std::unordered_map<int64_t, int64_t> inside;
    for (Row& r : rows) {
        auto it = current.find(r.code);
        const int64_t cadre = it == current.end() ? 0 : it->second;
        if (cadre) ++inside[cadre];
        in.codes.push_back(std::move(r.code));
        in.divisions.push_back(std::move(r.division));
        in.current.push_back(cadre);
    }
    auto cadres = AllCadres(store, CadreFilter{});
    if (!cadres) return std::unexpected(cadres.error());
    in.cadres = std::move(*cadres);
    auto loads = Loads(store);
    if (!loads) return std::unexpected(loads.error());
    for (const CadreRecord& c : in.cadres) {
        in.quotas.push_back(QuotaOf(plan, c.cadre.rank));
        auto l = loads->find(c.cadre.id);
        const int64_t load = l == loads->end() ? 0 : l->second;
        auto i = inside.find(c.cadre.id);
        in.loads.push_back(load);
        in.loads_outside.push_back(load - (i == inside.end() ? 0 : i->second));
    }
    return in;
}

}  // namespace

Result<AssignmentPlan> ProposeAssignment(Store& store, const Plan& plan, const std::string& scope_given,
                                         const Date& on) {
    const std::string scope = scope_given.empty() ? plan.county_code : scope_given;
    auto in = ReadAssignInputs(store, plan, scope, on);
    if (!in) return std::unexpected(in.error());
    std::vector<AssignHousehold> households(in->codes.size());
    for (size_t i = 0; i < households.size(); ++i) {
        households[i].household_code = in->codes[i];
        households[i].division_code = in->divisions[i];
        households[i].needs_cadre = true;
        households[i].current_cadre = in->current[i];
    }
    std::vector<AssignCadre> cadres(in->cadres.size());
    for (size_t i = 0; i < cadres.size(); ++i) {
        const Cadre& c = in->cadres[i].cadre;
        cadres[i].id = c.id;
        cadres[i].township_code = c.township_code;
        cadres[i].quota = in->quotas[i];
        cadres[i].active = c.ActiveOn(on);
        // Pairings outside the households given (other units, exited households) still hold part
        // of the quota: they come in as households that need no cadre, after the real ones.
        for (int64_t k = 0; k < in->loads_outside[i]; ++k) {
            AssignHousehold held;
            held.current_cadre = c.id;
            households.push_back(held);
        }
    }
    AssignmentPlan out;
    out.on = on;
    out.scope = scope;
    out.proposal = jz::ProposeAssignment(households, cadres);

    std::map<int64_t, std::string> names;
    for (const ProposedPair& p : out.proposal.pairs) {
        out.pair_households.push_back(in->codes[p.household]);
        out.pair_divisions.push_back(in->divisions[p.household]);
        names[p.cadre_id];
    }
    for (const Uncovered& u : out.proposal.uncovered) {
        out.uncovered_households.push_back(in->codes[u.household]);
        out.uncovered_divisions.push_back(in->divisions[u.household]);
    }
    for (const CadreRecord& c : in->cadres)
        if (auto it = names.find(c.cadre.id); it != names.end()) it->second = c.cadre.name;
    out.cadre_names.assign(names.begin(), names.end());

    Digest d;
    d.Add(on.ToString());
    d.Add(scope);
    d.Add(static_cast<int64_t>(in->codes.size()));
    for (size_t i = 0; i < in->codes.size(); ++i) {
        d.Add(in->codes[i]);
        d.Add(in->divisions[i]);
        d.Add(in->current[i]);
    }
    d.Add(static_cast<int64_t>(in->cadres.size()));
    for (size_t i = 0; i < in->cadres.size(); ++i) {
        const Cadre& c = in->cadres[i].cadre;
        d.Add(c.id);
        d.Add(c.township_code);
        d.Add(static_cast<int64_t>(in->quotas[i]));
        d.Add(in->loads[i]);
        d.Add(static_cast<int64_t>(cadres[i].active));
    }
    for (const ProposedPair& p : out.proposal.pairs) {
        d.Add(static_cast<int64_t>(p.household));
        d.Add(p.cadre_id);
    }
    for (const Uncovered& u : out.proposal.uncovered) {
        d.Add(static_cast<int64_t>(u.household));
        d.Add(u.reason);
    }
    out.digest = d.Hex();
    return out;
}

json::object AssignmentJson(const AssignmentPlan& plan) {
    std::map<int64_t, std::string> names(plan.cadre_names.begin(), plan.cadre_names.end());
    json::array pairs, uncovered;
    int64_t same = 0, no_cadre = 0, no_capacity = 0;
    for (size_t i = 0; i < plan.proposal.pairs.size(); ++i) {
        const ProposedPair& p = plan.proposal.pairs[i];
        same += p.same_township;
        pairs.push_back({{"household_code", plan.pair_households[i]},
                         {"division_code", plan.pair_divisions[i]},
                         {"cadre_id", p.cadre_id},
                         {"cadre_name", names[p.cadre_id]},
                         {"same_township", p.same_township}});
    }
    for (size_t i = 0; i < plan.proposal.uncovered.size(); ++i) {
        const Uncovered& u = plan.proposal.uncovered[i];
        (u.reason == "no_cadre" ? no_cadre : no_capacity) += 1;
        uncovered.push_back({{"household_code", plan.uncovered_households[i]},
                             {"division_code", plan.uncovered_divisions[i]},
                             {"reason", u.reason}});
    }
    const auto n_pairs = static_cast<int64_t>(plan.proposal.pairs.size());
    const auto n_uncovered = static_cast<int64_t>(plan.proposal.uncovered.size());
    return {{"on", plan.on.ToString()},
            {"scope", plan.scope},
            {"digest", plan.digest},
            {"pairs", std::move(pairs)},
            {"uncovered", std::move(uncovered)},
            {"kept", plan.proposal.kept},
            {"counts",
             {{"households", plan.proposal.kept + n_pairs + n_uncovered},
              {"kept", plan.proposal.kept},
              {"pairs", n_pairs},
              {"same_township", same},
              {"other_township", n_pairs - same},
              {"uncovered", n_uncovered},
              {"no_cadre", no_cadre},
              {"no_capacity", no_capacity}}}};
}

Result<int64_t> ApplyAssignment(Store& store, const Plan& plan, const std::string& scope, const Date& on,
                                const std::string& digest, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto fresh = ProposeAssignment(store, plan, scope, on);
    if (!fresh) return std::unexpected(fresh.error());
    if (fresh->digest != digest)
        return Fail("pairing.proposal_stale", "digest", "分配方案提出后数据已变化,请重新生成方案并确认",
                    "the data changed since the proposal was made: make the proposal again and confirm it");
    const std::string reason = "assigned / 自动分配";
    for (size_t i = 0; i < fresh->proposal.pairs.size(); ++i) {
        SetPairingRequest r;
        r.household_code = fresh->pair_households[i];
        r.cadre_id = fresh->proposal.pairs[i].cadre_id;
        r.from = on;
        r.reason = reason;
        if (auto p = SetPairingIn(store, plan, r, reason, true, change); !p) return std::unexpected(p.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(fresh->proposal.pairs.size());
}

// --- work teams ---------------------------------------------------------------------------------

namespace {

Result<TeamMember> MemberOf(Store& store, int64_t id) {
    auto found = store.FindTeamMember(id);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return Fail("team.not_found", "member_id", "找不到工作队队员记录 " + std::to_string(id),
                    "work team member " + std::to_string(id) + " not found");
    return std::move(**found);
}

}  // namespace

Result<TeamMember> AddTeamMember(Store& store, const Plan& plan, TeamMember member, const ChangeContext& change) {
    member.village_code = Trimmed(member.village_code);
    if (auto errors = ValidateTeamMember(member); !errors.empty()) return Problems(errors, "team.invalid");
    if (!member.village_code.starts_with(plan.county_code))
        return Fail("team.invalid", "village_code", "村代码不在本县: " + member.village_code,
                    "the village is not in the county: " + member.village_code);
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto cadre = CadreOf(store, member.cadre_id);
    if (!cadre) return std::unexpected(cadre.error());
    if (!cadre->cadre.ActiveOn(member.from))
        return Fail("cadre.inactive", "cadre_id", "干部 " + cadre->cadre.name + " 在 " + member.from.ToString() + " 不在任",
                    "cadre " + cadre->cadre.name + " is not serving on " + member.from.ToString());
    auto id = store.InsertTeamMember(member, change);
    if (!id) return std::unexpected(id.error());
    member.id = *id;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return member;
}

Result<TeamMember> EndTeamMember(Store& store, int64_t member_id, const Date& to, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto before = MemberOf(store, member_id);
    if (!before) return before;
    if (before->to)
        return Fail("team.invalid", "to", "该队员已于 " + before->to->ToString() + " 离队",
                    "the member already left the team on " + before->to->ToString());
    if (to < before->from)
        return Fail("team.invalid", "to", "离队日期不能早于到岗日期 " + before->from.ToString(),
                    "the last day cannot be before the first (" + before->from.ToString() + ")");
    TeamMember after = *before;
    after.to = to;
    if (auto r = store.UpdateTeamMember(*before, after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

Result<void> PutOnPostDays(Store& store, const OnPostDays& record, const ChangeContext& change) {
    if (auto errors = ValidateOnPostDays(record); !errors.empty()) return Problems(errors, "team.invalid");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto member = MemberOf(store, record.member_id);
    if (!member) return std::unexpected(member.error());
    const Date first{record.year, record.month, 1};
    const Date last = DayBefore(record.month == 12 ? Date{record.year + 1, 1, 1} : Date{record.year, record.month + 1, 1});
    if (last < member->from || (member->to && *member->to < first))
        return Fail("team.invalid", "month", "该队员在 " + Month(record.year, record.month) + " 不在工作队",
                    "the member was not on the team in " + Month(record.year, record.month));
    if (auto r = store.PutOnPostDays(record, change); !r) return r;
    return tx->Commit();
}

Result<json::object> TeamsJson(Store& store, const Plan& plan, const OrgTree& tree, const std::string& scope_given,
                               const Date& on, bool mask_ids) {
    const std::string scope = scope_given.empty() ? plan.county_code : scope_given;
    auto members = store.ListTeamMembers(scope, on);
    if (!members) return std::unexpected(members.error());
    auto days = store.ListOnPostDays(scope, on.year, 1, on.year, on.month);
    if (!days) return std::unexpected(days.error());
    std::map<int64_t, std::vector<const OnPostDays*>> days_of;
    for (const OnPostDays& d : *days) days_of[d.member_id].push_back(&d);
    std::map<int64_t, CadreRecord> cadres;
    std::map<std::string, std::vector<const TeamMember*>> by_village;
    for (const TeamMember& m : *members) by_village[m.village_code].push_back(&m);
    // Every village under the scope, with a team or not.
    for (const OrgUnit* v : tree.AtLevel(OrgLevel::kVillage))
        if (OrgTree::Within(v->code, scope)) by_village.try_emplace(v->code);
    const int min_days = plan.pairing.on_post_min_days;
    json::array villages;
    int64_t n_members = 0, n_short = 0, without_team = 0, without_secretary = 0;
    for (const auto& [village, list] : by_village) {
        json::array out;
        json::value secretary = nullptr;
        for (const TeamMember* m : list) {
            auto it = cadres.find(m->cadre_id);
            if (it == cadres.end()) {
                auto c = store.FindCadre(m->cadre_id);
                if (!c) return std::unexpected(c.error());
                it = cadres.emplace(m->cadre_id, *c ? **c : CadreRecord{}).first;
            }
            const Cadre& c = it->second.cadre;
            json::array months;
            int64_t short_months = 0;
            for (const OnPostDays* d : days_of[m->id]) {
                const bool is_short = d->days < min_days;
                short_months += is_short;
                months.push_back({{"month", Month(d->year, d->month)}, {"days", d->days}, {"short", is_short}});
            }
            n_short += short_months;
            ++n_members;
            json::object o{{"id", m->id},
                           {"cadre_id", m->cadre_id},
                           {"cadre_name", c.name},
                           {"cadre_unit", c.unit},
                           {"cadre_phone", mask_ids ? MaskPhone(c.phone) : c.phone},
                           {"role", m->role},
                           {"role_name", std::string(codes::TeamRole().NameOf(m->role))},
                           {"from", m->from.ToString()},
                           {"to", OptDate(m->to)},
                           {"on_post", std::move(months)},
                           {"short_months", short_months}};
            if (m->role == kRoleFirstSecretary && secretary.is_null()) secretary = o;
            out.push_back(std::move(o));
        }
        without_team += list.empty();
        without_secretary += secretary.is_null();
        villages.push_back({{"village_code", village},
                            {"village_name", UnitName(tree, village)},
                            {"township_code", village.substr(0, 9)},
                            {"township_name", UnitName(tree, village.substr(0, 9))},
                            {"first_secretary", std::move(secretary)},
                            {"members", std::move(out)}});
    }
    return json::object{{"on", on.ToString()},
                        {"scope", scope},
                        {"on_post_min_days", min_days},
                        {"from_month", Month(on.year, 1)},
                        {"to_month", Month(on.year, on.month)},
                        {"villages", std::move(villages)},
                        {"counts",
                         {{"villages", static_cast<int64_t>(by_village.size())},
                          {"without_team", without_team},
                          {"without_first_secretary", without_secretary},
                          {"members", n_members},
                          {"short_months", n_short}}}};
}

// --- visits -------------------------------------------------------------------------------------

Result<RecordVisitResult> RecordVisit(Store& store, const Plan& plan, const RecordVisitRequest& request,
                                      const Date& today, const ChangeContext& change) {
    Visit v = request.visit;
    v.client_id = Trimmed(v.client_id);
    v.household_code = Trimmed(v.household_code);
    v.discussed = Trimmed(v.discussed);
    v.done = Trimmed(v.done);
    v.id = 0;
    v.distance_m.reset();
    v.far = false;
    v.photo = PhotoType::kNone;
    v.photo_bytes = 0;
    if (auto errors = ValidateVisit(v, today); !errors.empty()) return Problems(errors, "visit.invalid");
    if (!request.photo.empty()) {
        v.photo = SniffPhoto(request.photo);
        if (v.photo == PhotoType::kNone)
            return Fail("visit.photo", "photo", "照片应为 JPEG 或 PNG 图片(按内容识别)",
                        "the photo must be a JPEG or PNG image (judged by its content)");
        if (static_cast<int64_t>(request.photo.size()) > plan.pairing.photo_max_bytes)
            return Fail("visit.photo", "photo",
                        "照片过大(" + std::to_string(request.photo.size()) + " 字节,上限 " +
                            std::to_string(plan.pairing.photo_max_bytes) + " 字节)",
                        "the photo is too large (" + std::to_string(request.photo.size()) + " bytes, at most " +
                            std::to_string(plan.pairing.photo_max_bytes) + ")");
        v.photo_bytes = static_cast<int64_t>(request.photo.size());
    }
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    // A retry: the same client id came back. Nothing changes, whatever happened to the household.
    auto stored = store.FindVisitByClientId(v.client_id);
    if (!stored) return std::unexpected(stored.error());
    if (*stored) {
        const Visit& s = **stored;
        if (s.household_code != v.household_code || s.cadre_id != v.cadre_id || s.date != v.date)
            return Fail("visit.client_id_reused", "client_id", "客户端编号 " + v.client_id + " 已用于另一次走访",
                        "client id " + v.client_id + " names a different visit");
        return RecordVisitResult{.visit = s, .inserted = false};
    }
    auto household = RegisteredHousehold(store, v.household_code, "visit.invalid");
    if (!household) return std::unexpected(household.error());
    if (request.household_version && *request.household_version != household->version && !request.confirm_changed)
        return Fail("visit.household_changed", "household_version",
                    "记录走访后该户信息已变更(记录时第" + std::to_string(*request.household_version) + "版,现为第" +
                        std::to_string(household->version) + "版),请核对后确认提交",
                    "the household changed since the visit was recorded (version " +
                        std::to_string(*request.household_version) + ", now " + std::to_string(household->version) +
                        "): check it and confirm");
    auto cadre = CadreOf(store, v.cadre_id);
    if (!cadre) return std::unexpected(cadre.error());
    v.division_code = household->household.division_code;
    if (v.place) {
        auto place = store.FindHouseholdPlace(v.household_code);
        if (!place) return std::unexpected(place.error());
        if (*place) {
            v.distance_m = DistanceMetres(*v.place, (*place)->place);
            v.far = *v.distance_m > plan.pairing.visit_distance_m;
        }
    }
    v.recorded_by = change.actor;
    v.recorded_at = change.at;
    auto inserted = store.InsertVisit(v, request.photo, change);
    if (!inserted) return std::unexpected(inserted.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return RecordVisitResult{.visit = std::move(inserted->visit), .inserted = inserted->inserted};
}

json::object VisitJson(const Visit& visit) {
    json::value parsed = json::parse(VisitToJson(visit));
    json::object o = std::move(parsed.as_object());
    for (const char* key : {"place", "distance_m", "photo"})
        if (!o.contains(key)) o[key] = nullptr;
    if (visit.place) {
        char lat[32], lon[32];
        std::snprintf(lat, sizeof lat, "%.6f", visit.place->lat_e6 / 1e6);
        std::snprintf(lon, sizeof lon, "%.6f", visit.place->lon_e6 / 1e6);
        o["lat"] = lat;
        o["lon"] = lon;
        o["accuracy"] = visit.place->accuracy_m;
    } else {
        o["lat"] = nullptr;
        o["lon"] = nullptr;
        o["accuracy"] = nullptr;
    }
    o["has_photo"] = visit.photo != PhotoType::kNone;
    o["photo_type"] = visit.photo == PhotoType::kNone ? json::value(nullptr)
                                                      : json::value(std::string(PhotoMediaType(visit.photo)));
    return o;
}

Result<RecordVisitRequest> VisitRequestFromJson(const json::value& body) {
    if (!body.is_object()) return Fail("visit.invalid", "", "请求体应为 JSON 对象", "the body must be a JSON object");
    const json::object& o = body.as_object();
    BodyReader r(o, "visit.invalid");
    r.OnlyKeys({"client_id", "household_code", "cadre_id", "date", "discussed", "done", "place", "photo",
                "household_version", "confirm_changed"});
    RecordVisitRequest out;
    Visit& v = out.visit;
    v.client_id = Trimmed(r.String("client_id", true));
    v.household_code = Trimmed(r.String("household_code", true));
    v.cadre_id = r.Int("cadre_id", true).value_or(0);
    v.date = r.DateOf("date", true).value_or(Date{});
    v.discussed = Trimmed(r.String("discussed", true));
    v.done = Trimmed(r.String("done"));
    if (const json::value* place = r.Get("place")) {
        if (!place->is_object()) {
            r.Problem("place", "应为 {lat, lon, accuracy}", "must be {lat, lon, accuracy}");
        } else {
            const json::object& p = place->as_object();
            for (const auto& kv : p)
                if (kv.key() != "lat" && kv.key() != "lon" && kv.key() != "accuracy")
                    r.Problem("place." + std::string(kv.key()), "未知字段", "unknown field");
            auto coordinate = [&](const char* key, int64_t limit) -> int32_t {
                auto it = p.find(key);
                if (it == p.end() || it->value().is_null()) {
                    r.Problem(std::string("place.") + key, "必填", "is required");
                    return 0;
                }
                auto micro = Micro(it->value());
                if (!micro || std::abs(*micro) > limit) {
                    r.Problem(std::string("place.") + key, "应为十进制度数(最多6位小数)且在范围内",
                              "must be decimal degrees (at most 6 decimals) within range");
                    return 0;
                }
                return static_cast<int32_t>(*micro);
            };
            GeoPoint g;
            g.lat_e6 = coordinate("lat", 90'000'000);
            g.lon_e6 = coordinate("lon", 180'000'000);
            if (auto it = p.find("accuracy"); it != p.end() && !it->value().is_null()) {
                const json::value& a = it->value();
                const double m = a.is_number() ? a.to_number<double>() : -1;
                if (!a.is_number() || !std::isfinite(m) || m < 0 || m > 1e7)
                    r.Problem("place.accuracy", "应为不小于0的米数", "must be metres, not negative");
                else
                    g.accuracy_m = static_cast<int32_t>(std::llround(m));
            }
            v.place = g;
        }
    }
    if (const json::value* photo = r.Get("photo")) {
        if (!photo->is_string()) {
            r.Problem("photo", "应为 base64 文本", "must be base64 text");
        } else {
            std::string_view text = photo->as_string();
            // A data URL's header is not part of the picture (its declared type is not trusted).
            if (text.starts_with("data:")) {
                const size_t comma = text.find(',');
                text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
            }
            std::string bytes(text.size() / 4 * 3 + 3, '\0');
            size_t length = 0;
            const char* end = nullptr;
            if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                                  text.size(), " \r\n\t", &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
                end != text.data() + text.size()) {
                r.Problem("photo", "照片不是有效的 base64 编码", "the photo is not valid base64");
            } else {
                bytes.resize(length);
                out.photo = std::move(bytes);
            }
        }
    }
    out.household_version = r.Int("household_version");
    out.confirm_changed = r.Bool("confirm_changed");
    if (!r.ok()) return std::unexpected(r.error());
    return out;
}

// --- overdue ------------------------------------------------------------------------------------

Result<OverdueList> BuildOverdue(Store& store, const Plan& plan, const std::string& scope_given, const Date& on,
                                 const Date& today) {
    const std::string scope = scope_given.empty() ? plan.county_code : scope_given;
    OverdueList out;
    out.on = on;
    out.interval_days = VisitIntervalDays(plan);
    std::unordered_map<std::string, bool> not_exited;
    HouseholdFilter filter;
    filter.division_prefix = scope;
    filter.facts_only = true;
    filter.any_order = true;
    filter.statuses = {codes::kStatusNotExited, codes::kStatusFallback};
    auto registry = RegistryAsOf::Load(store, on, scope);
    if (!registry) return std::unexpected(registry.error());
    auto scan = registry->ScanFacts(store, filter, [&](const HouseholdFacts& f) {
        if (!f.exited()) not_exited.emplace(f.household_code, true);
        return true;
    });
    if (!scan) return std::unexpected(scan.error());

    struct Row {
        std::string code, division;
        int64_t cadre = 0;
        Date from;
    };
    std::vector<Row> rows;
    const bool current_day = !(on < today);
    if (current_day) {
        auto r = store.ScanCurrentPairings(scope, [&](const Pairing& p) {
            if (not_exited.contains(p.household_code) && !(on < p.from))
                rows.push_back({p.household_code, p.division_code, p.cadre_id, p.from});
            return true;
        });
        if (!r) return std::unexpected(r.error());
    } else {
        // A past day: the pairing in force that day.
        PairingFilter f;
        f.division_prefix = scope;
        f.limit = 100000;
        for (;;) {
            auto page = store.ListPairings(f);
            if (!page) return std::unexpected(page.error());
            for (const Pairing& p : *page)
                if (not_exited.contains(p.household_code) && !(on < p.from) && (!p.to || !(*p.to < on)))
                    rows.push_back({p.household_code, p.division_code, p.cadre_id, p.from});
            if (static_cast<int64_t>(page->size()) < f.limit) break;
            // Pages end on a household boundary: finish the last household with a page of its own.
            const std::string last = page->back().household_code;
            PairingFilter one;
            one.household_code = last;
            one.limit = 100000;
            auto rest = store.ListPairings(one);
            if (!rest) return std::unexpected(rest.error());
            std::erase_if(rows, [&](const Row& r) { return r.code == last; });
            for (const Pairing& p : *rest)
                if (not_exited.contains(p.household_code) && !(on < p.from) && (!p.to || !(*p.to < on)))
                    rows.push_back({p.household_code, p.division_code, p.cadre_id, p.from});
            f.after_household = last;
        }
    }
    std::ranges::sort(rows, {}, &Row::code);
    rows.erase(std::unique(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.code == b.code; }),
               rows.end());

    std::unordered_map<std::string, std::pair<Date, int>> seen;  // code → last visit, in quarter
    if (current_day) {
        auto r = store.ScanVisitSummaries(scope, [&](const VisitSummary& s) {
            seen[s.household_code] = {s.last_visit, -1};
            return true;
        });
        if (!r) return std::unexpected(r.error());
        out.from_summaries = true;
    } else {
        auto r = store.ScanVisitsAsOf(scope, QuarterStart(on), on, [&](const std::string& code, const Date& last, int n) {
            seen[code] = {last, n};
            return true;
        });
        if (!r) return std::unexpected(r.error());
    }
    out.codes.reserve(rows.size() * 2);
    for (Row& r : rows) {
        out.codes.push_back(std::move(r.code));
        out.codes.push_back(std::move(r.division));
    }
    out.states.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        VisitState& s = out.states[i];
        s.household_code = out.codes[2 * i];
        s.division_code = out.codes[2 * i + 1];
        s.cadre_id = rows[i].cadre;
        s.paired_from = rows[i].from;
        if (auto it = seen.find(out.codes[2 * i]); it != seen.end()) {
            if (!(on < it->second.first)) s.last_visit = it->second.first;
            s.visits_this_quarter = std::max(0, it->second.second);
        }
    }
    out.overdue = OverdueVisits(out.states, on, out.interval_days);
    return out;
}

Result<json::object> OverdueJson(Store& store, const OrgTree& tree, const OverdueList& list, int64_t limit) {
    std::map<int64_t, std::string> names;
    auto name_of = [&](int64_t id) -> Result<std::string> {
        auto it = names.find(id);
        if (it != names.end()) return it->second;
        auto c = store.FindCadre(id);
        if (!c) return std::unexpected(c.error());
        return names[id] = *c ? (*c)->cadre.name : std::string();
    };
    struct Count {
        int64_t households = 0, overdue = 0;
    };
    std::map<int64_t, Count> by_cadre;
    std::map<std::string, Count> by_village, by_township;
    for (const VisitState& s : list.states) {
        ++by_cadre[s.cadre_id].households;
        ++by_village[std::string(s.division_code)].households;
        ++by_township[std::string(s.division_code.substr(0, 9))].households;
    }
    const Date quarter = QuarterStart(list.on);
    json::array households;
    for (const OverdueVisit& o : list.overdue) {
        const VisitState& s = list.states[o.index];
        ++by_cadre[s.cadre_id].overdue;
        ++by_village[std::string(s.division_code)].overdue;
        ++by_township[std::string(s.division_code.substr(0, 9))].overdue;
        if (static_cast<int64_t>(households.size()) >= limit) continue;
        auto name = name_of(s.cadre_id);
        if (!name) return std::unexpected(name.error());
        int64_t in_quarter = s.visits_this_quarter;
        if (list.from_summaries) {
            // The kept summaries hold the last visit only: the quarter's count of a listed household.
            VisitFilter f;
            f.household_code = std::string(s.household_code);
            f.from = quarter;
            f.to = list.on;
            f.limit = 1000;
            auto visits = store.ListVisits(f);
            if (!visits) return std::unexpected(visits.error());
            in_quarter = static_cast<int64_t>(visits->size());
        }
        households.push_back({{"household_code", s.household_code},
                              {"division_code", s.division_code},
                              {"village_name", UnitName(tree, s.division_code)},
                              {"cadre_id", s.cadre_id},
                              {"cadre_name", *name},
                              {"paired_from", s.paired_from.ToString()},
                              {"last_visit", OptDate(s.last_visit)},
                              {"due", o.due.ToString()},
                              {"days_overdue", o.days_overdue},
                              {"visits_this_quarter", in_quarter}});
    }
    auto rank = [](auto& m) {
        using Entry = std::pair<typename std::decay_t<decltype(m)>::key_type, Count>;
        std::vector<Entry> v(m.begin(), m.end());
        std::ranges::stable_sort(v, [](const Entry& a, const Entry& b) { return a.second.overdue > b.second.overdue; });
        return v;
    };
    json::array cadres, villages, townships;
    for (const auto& [id, c] : rank(by_cadre)) {
        auto name = name_of(id);
        if (!name) return std::unexpected(name.error());
        cadres.push_back({{"cadre_id", id}, {"cadre_name", *name}, {"households", c.households}, {"overdue", c.overdue}});
    }
    for (const auto& [code, c] : rank(by_village))
        villages.push_back({{"code", code}, {"name", UnitName(tree, code)}, {"households", c.households}, {"overdue", c.overdue}});
    for (const auto& [code, c] : rank(by_township))
        townships.push_back({{"code", code}, {"name", UnitName(tree, code)}, {"households", c.households}, {"overdue", c.overdue}});
    return json::object{{"on", list.on.ToString()},
                        {"interval_days", list.interval_days},
                        {"paired", static_cast<int64_t>(list.states.size())},
                        {"total", static_cast<int64_t>(list.overdue.size())},
                        {"shown", static_cast<int64_t>(households.size())},
                        {"households", std::move(households)},
                        {"by_cadre", std::move(cadres)},
                        {"by_village", std::move(villages)},
                        {"by_township", std::move(townships)}};
}

// --- the field kit ------------------------------------------------------------------------------

Result<json::object> HouseholdSummaryJson(Store& store, const Plan& plan, const OrgTree& tree,
                                          const std::string& household_code, bool mask_ids) {
    auto found = RegisteredHousehold(store, household_code, "visit.invalid");
    if (!found) return std::unexpected(found.error());
    const Household& h = found->household;
    const Person* head = h.head();
    auto place = store.FindHouseholdPlace(household_code);
    if (!place) return std::unexpected(place.error());
    VisitFilter f;
    f.household_code = household_code;
    f.limit = 3;
    auto visits = store.ListVisits(f);
    if (!visits) return std::unexpected(visits.error());
    json::array last;
    for (const Visit& v : *visits) last.push_back(VisitJson(v));
    auto current = store.CurrentPairing(household_code);
    if (!current) return std::unexpected(current.error());
    json::value pl = nullptr;
    if (*place)
        pl = json::object{{"lat_e6", (*place)->place.lat_e6},
                          {"lon_e6", (*place)->place.lon_e6},
                          {"accuracy_m", (*place)->place.accuracy_m},
                          {"recorded_on", (*place)->recorded_on.ToString()},
                          {"source", (*place)->source}};
    const PlanMeasure* measure = h.main_measure ? plan.FindMeasure(*h.main_measure) : nullptr;
    json::value due = nullptr;
    if (*current) {
        const Date since = !visits->empty() && !(visits->front().date < (*current)->from) ? visits->front().date
                                                                                           : (*current)->from;
        due = AddDays(since, VisitIntervalDays(plan)).ToString();
    }
    std::string head_id = head ? head->id_number : std::string();
    return json::object{{"household_code", h.household_code},
                        {"version", found->version},
                        {"division_code", h.division_code},
                        {"village_name", UnitName(tree, h.division_code)},
                        {"township_name", UnitName(tree, h.township_code())},
                        {"head_name", head ? json::value(head->name) : json::value(nullptr)},
                        {"head_id_number", mask_ids ? MaskIdNumber(head_id) : head_id},
                        {"phone", mask_ids ? MaskPhone(h.phone) : h.phone},
                        {"persons", static_cast<int64_t>(h.members.size())},
                        {"status", h.status},
                        {"status_name", std::string(codes::Status().NameOf(h.status))},
                        {"attribute", h.attribute},
                        {"attribute_name", std::string(codes::Attribute().NameOf(h.attribute))},
                        {"main_measure", h.main_measure ? json::value(*h.main_measure) : json::value(nullptr)},
                        {"main_measure_name", measure ? json::value(measure->name) : json::value(nullptr)},
                        {"cadre_id", *current ? json::value((*current)->cadre_id) : json::value(nullptr)},
                        {"paired_from", *current ? json::value((*current)->from.ToString()) : json::value(nullptr)},
                        {"next_visit_due", due},
                        {"place", pl},
                        {"last_visits", std::move(last)}};
}

Result<json::object> FieldKitJson(Store& store, const Plan& plan, const OrgTree& tree, int64_t cadre_id,
                                  const std::string& scope, bool mask_ids) {
    auto cadre = CadreOf(store, cadre_id);
    if (!cadre) return std::unexpected(cadre.error());
    PairingFilter f;
    f.cadre_id = cadre_id;
    f.current_only = true;
    f.limit = 100000;
    auto pairings = store.ListPairings(f);
    if (!pairings) return std::unexpected(pairings.error());
    json::array households;
    for (const Pairing& p : *pairings) {
        if (!OrgTree::Within(p.division_code, scope)) continue;
        auto h = HouseholdSummaryJson(store, plan, tree, p.household_code, mask_ids);
        if (!h) {
            if (h.error().code == "household.deregistered" || h.error().code == "household.not_found") continue;
            return std::unexpected(h.error());
        }
        households.push_back(std::move(*h));
    }
    const Cadre& c = cadre->cadre;
    return json::object{{"cadre",
                         {{"id", c.id},
                          {"name", c.name},
                          {"unit", c.unit},
                          {"rank", c.rank},
                          {"rank_name", std::string(codes::CadreRank().NameOf(c.rank))},
                          {"township_code", c.township_code},
                          {"phone", mask_ids ? MaskPhone(c.phone) : c.phone},
                          {"version", cadre->version}}},
                        {"interval_days", VisitIntervalDays(plan)},
                        {"visit_distance_m", plan.pairing.visit_distance_m},
                        {"photo_max_bytes", plan.pairing.photo_max_bytes},
                        {"households", std::move(households)}};
}

// --- places -------------------------------------------------------------------------------------

Result<HouseholdPlace> PutHouseholdPlace(Store& store, const HouseholdPlace& given, const ChangeContext& change) {
    HouseholdPlace place = given;
    if (place.place.lat_e6 < -90'000'000 || place.place.lat_e6 > 90'000'000)
        return Fail("place.invalid", "lat", "纬度应在 -90 至 90 度之间", "the latitude must be within -90..90 degrees");
    if (place.place.lon_e6 < -180'000'000 || place.place.lon_e6 > 180'000'000)
        return Fail("place.invalid", "lon", "经度应在 -180 至 180 度之间", "the longitude must be within -180..180 degrees");
    if (place.place.accuracy_m < 0)
        return Fail("place.invalid", "accuracy", "精度不能为负", "the accuracy cannot be negative");
    place.source = Trimmed(place.source);
    if (place.source.empty()) place.source = "survey";
    if (place.source.size() > 20 || !std::ranges::all_of(place.source, [](char c) {
            return std::islower(static_cast<unsigned char>(c)) || c == '_';
        }))
        return Fail("place.invalid", "source", "来源应为小写英文词(如 survey)", "the source must be a lowercase word (e.g. survey)");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto household = RegisteredHousehold(store, place.household_code, "place.invalid");
    if (!household) return std::unexpected(household.error());
    place.division_code = household->household.division_code;
    if (auto r = store.PutHouseholdPlace(place, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return place;
}

Result<HouseholdPlace> PlaceFromJson(const json::value& body) {
    if (!body.is_object()) return Fail("place.invalid", "", "请求体应为 JSON 对象", "the body must be a JSON object");
    const json::object& o = body.as_object();
    BodyReader r(o, "place.invalid");
    r.OnlyKeys({"lat", "lon", "accuracy", "recorded_on", "source", "household_code", "division_code"});
    HouseholdPlace out;
    auto coordinate = [&](const char* key, int64_t limit) -> int32_t {
        const json::value* v = r.Get(key);
        if (!v) {
            r.Problem(key, "必填", "is required");
            return 0;
        }
        auto micro = Micro(*v);
        if (!micro || std::abs(*micro) > limit) {
            r.Problem(key, "应为十进制度数(最多6位小数)且在范围内", "must be decimal degrees (at most 6 decimals) within range");
            return 0;
        }
        return static_cast<int32_t>(*micro);
    };
    out.place.lat_e6 = coordinate("lat", 90'000'000);
    out.place.lon_e6 = coordinate("lon", 180'000'000);
    if (const json::value* a = r.Get("accuracy")) {
        const double m = a->is_number() ? a->to_number<double>() : -1;
        if (!a->is_number() || !std::isfinite(m) || m < 0 || m > 1e7)
            r.Problem("accuracy", "应为不小于0的米数", "must be metres, not negative");
        else
            out.place.accuracy_m = static_cast<int32_t>(std::llround(m));
    }
    out.recorded_on = r.DateOf("recorded_on", true).value_or(Date{});
    out.source = Trimmed(r.String("source"));
    out.household_code = Trimmed(r.String("household_code"));
    if (!r.ok()) return std::unexpected(r.error());
    return out;
}

// --- findings -----------------------------------------------------------------------------------

Result<PairingFacts> LoadPairingFacts(Store& store, const Plan& plan, const std::string& scope, const Date& on) {
    PairingFacts facts;
    facts.on_post_min_days = plan.pairing.on_post_min_days;
    auto current = store.ScanCurrentPairings(scope, [&](const Pairing& p) {
        facts.current.push_back({p.household_code, p.cadre_id, p.from});
        return true;
    });
    if (!current) return std::unexpected(current.error());
    std::ranges::sort(facts.current, {}, &PairingFacts::HouseholdPairing::household_code);

    auto cadres = AllCadres(store, CadreFilter{});
    if (!cadres) return std::unexpected(cadres.error());
    auto loads = Loads(store);
    if (!loads) return std::unexpected(loads.error());
    std::unordered_map<int64_t, std::string> names;
    for (const CadreRecord& r : *cadres) {
        const Cadre& c = r.cadre;
        PairingFacts::CadreFacts f;
        f.id = c.id;
        f.name = c.name;
        f.township_code = c.township_code;
        f.rank = c.rank;
        f.quota = QuotaOf(plan, c.rank);
        auto it = loads->find(c.id);
        f.load = it == loads->end() ? 0 : static_cast<int>(it->second);
        f.active = c.ActiveOn(on);
        names[c.id] = c.name;
        facts.cadres.push_back(std::move(f));
    }
    std::ranges::sort(facts.cadres, {}, &PairingFacts::CadreFacts::id);

    VisitFilter vf;
    vf.division_prefix = scope;
    vf.from = Date{on.year, 1, 1};
    vf.to = on;
    vf.far = true;
    vf.limit = 10000;
    for (;;) {
        auto page = store.ListVisits(vf);
        if (!page) return std::unexpected(page.error());
        for (const Visit& v : *page)
            if (v.far) facts.far_visits.push_back({v.household_code, v.date, v.distance_m.value_or(0)});
        if (static_cast<int64_t>(page->size()) < vf.limit) break;
        vf.before_id = page->back().id;
    }
    std::ranges::sort(facts.far_visits, [](const auto& a, const auto& b) {
        return std::tie(a.household_code, a.date, a.distance_m) < std::tie(b.household_code, b.date, b.distance_m);
    });

    auto members = store.ListTeamMembers(scope, std::nullopt);
    if (!members) return std::unexpected(members.error());
    std::unordered_map<int64_t, const TeamMember*> member_of;
    for (const TeamMember& m : *members) member_of[m.id] = &m;
    auto days = store.ListOnPostDays(scope, on.year, 1, on.year, on.month);
    if (!days) return std::unexpected(days.error());
    for (const OnPostDays& d : *days) {
        if (d.days >= facts.on_post_min_days) continue;
        auto it = member_of.find(d.member_id);
        if (it == member_of.end()) continue;
        const TeamMember& m = *it->second;
        facts.short_on_post.push_back({m.village_code, m.cadre_id, names[m.cadre_id], d.year, d.month, d.days});
    }
    std::ranges::sort(facts.short_on_post, [](const auto& a, const auto& b) {
        return std::tie(a.village_code, a.year, a.month, a.cadre_id) < std::tie(b.village_code, b.year, b.month, b.cadre_id);
    });
    return facts;
}

}  // namespace jz::service
