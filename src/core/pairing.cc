#include "core/pairing.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/text.h"

namespace jz {
namespace {

Error Problem(std::string code, std::string field, std::string zh, std::string en) {
    return Error{.code = std::move(code), .field = std::move(field), .message_zh = std::move(zh),
                 .message_en = std::move(en)};
}

bool AllDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool ValidDate(const Date& d) { return Date::IsValid(d.year, d.month, d.day); }

// Free text of `field`: `min`..`max` characters, none forbidden (core/text.h); `multiline` lets line
// breaks and tabs through (a visit's notes are typed in a text area).
void CheckText(std::vector<Error>& out, const std::string& code, const char* field, std::string_view text,
               size_t min, size_t max, const char* zh_name, const char* en_name, bool multiline = false) {
    const size_t n = CountCharacters(text);
    if (n < min) {
        out.push_back(Problem(code, field, std::string("缺少") + zh_name, std::string("the ") + en_name + " is missing"));
        return;
    }
    if (n > max) {
        out.push_back(Problem(code, field,
                              std::string(zh_name) + "过长: " + std::to_string(n) + "个字符(最多" +
                                  std::to_string(max) + "个)",
                              std::string("the ") + en_name + " is too long: " + std::to_string(n) +
                                  " characters (at most " + std::to_string(max) + ")"));
        return;
    }
    size_t pos = 0;
    size_t index = 0;
    while (pos < text.size()) {
        const char32_t c = NextCharacter(text, &pos);
        ++index;
        if (multiline && (c == U'\n' || c == U'\r' || c == U'\t')) continue;
        if (IsForbiddenInText(c)) {
            out.push_back(Problem(code, field,
                                  std::string(zh_name) + "第" + std::to_string(index) + "个字符不允许: " +
                                      DescribeCharacter(c),
                                  std::string("the ") + en_name + " has a character not allowed at position " +
                                      std::to_string(index) + ": " + DescribeCharacter(c)));
            return;
        }
    }
}

}  // namespace

// --- Cadres ----------------------------------------------------------------------------------------

bool Cadre::ActiveOn(const Date& on) const {
    if (active_from && on < *active_from) return false;
    if (active_to && *active_to < on) return false;
    return true;
}

std::vector<Error> ValidateCadre(const Cadre& cadre, const Plan& plan) {
    std::vector<Error> out;
    const std::string code = "cadre.invalid";
    CheckText(out, code, "name", cadre.name, 1, 50, "姓名", "name");
    if (!cadre.id_number.empty()) {
        const auto parsed = ParseIdNumber(cadre.id_number);
        if (!parsed)
            out.push_back(Problem(code, "id_number", "身份证号码不正确: " + parsed.error().message_zh,
                                  "the ID number is not valid: " + parsed.error().message_en));
        else if (parsed->value != cadre.id_number)
            out.push_back(Problem(code, "id_number", "身份证号码应写作18位规范形式: " + parsed->value,
                                  "the ID number must be given in its 18-character form: " + parsed->value));
    }
    CheckText(out, code, "unit", cadre.unit, 0, 100, "工作单位", "unit");
    if (!codes::CadreRank().Contains(cadre.rank))
        out.push_back(Problem(code, "rank", "干部职级代码不存在: " + std::to_string(cadre.rank),
                              "no such cadre rank code: " + std::to_string(cadre.rank)));
    if (!cadre.phone.empty()) {
        const bool chars_ok = std::ranges::all_of(
            cadre.phone, [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+'; });
        if (!chars_ok || cadre.phone.size() > 20 ||
            std::ranges::none_of(cadre.phone, [](char c) { return c >= '0' && c <= '9'; }))
            out.push_back(Problem(code, "phone", "联系电话只能由数字、'-'和'+'组成,最多20个字符",
                                  "the phone number may hold only digits, '-' and '+', at most 20 characters"));
    }
    if (!cadre.township_code.empty()) {
        if (cadre.township_code.size() != 9 || !AllDigits(cadre.township_code))
            out.push_back(Problem(code, "township_code", "乡镇代码应为9位数字: " + cadre.township_code,
                                  "the township code must be 9 digits: " + cadre.township_code));
        else if (!plan.county_code.empty() && !cadre.township_code.starts_with(plan.county_code))
            out.push_back(Problem(code, "township_code",
                                  "乡镇" + cadre.township_code + "不属于本县(" + plan.county_code + ")",
                                  "township " + cadre.township_code + " is not in the county " + plan.county_code));
    }
    if (cadre.active_from && !ValidDate(*cadre.active_from))
        out.push_back(Problem(code, "active_from", "任职开始日期无效", "the first day of service is not a valid date"));
    if (cadre.active_to && !ValidDate(*cadre.active_to))
        out.push_back(Problem(code, "active_to", "任职结束日期无效", "the last day of service is not a valid date"));
    else if (cadre.active_from && cadre.active_to && *cadre.active_to < *cadre.active_from)
        out.push_back(Problem(code, "active_to",
                              "任职结束日期" + cadre.active_to->ToString() + "早于开始日期" +
                                  cadre.active_from->ToString(),
                              "the last day of service " + cadre.active_to->ToString() +
                                  " is before the first day " + cadre.active_from->ToString()));
    return out;
}

int QuotaOf(const Plan& plan, int rank) {
    if (plan.pairing_quotas.empty()) return 1;
    std::string_view id;
    switch (rank) {
        case kRankCounty:
            id = "county";
            break;
        case kRankSectionChief:
            id = "section_chief";
            break;
        case kRankDeputyAndBelow:
            id = "deputy_section_and_below";
            break;
        default:
            break;
    }
    int smallest = plan.pairing_quotas.front().households;
    for (const PlanPairingQuota& q : plan.pairing_quotas) {
        if (!id.empty() && q.id == id) return q.households;
        smallest = std::min(smallest, q.households);
    }
    return smallest;
}

// --- Assignment --------------------------------------------------------------------------------------
//
// Candidates of a household are found by the common prefix of township codes: for every prefix
// length L (0..9) and every distinct prefix of that length among the cadres' townships, a heap of
// the cadres whose township starts with it; county-wide cadres have a heap of their own, taken at
// L = 6. The household looks from L = 9 (its own township) down; the first non-empty heap holds
// exactly the cadres with the longest common prefix, its top the least loaded of them. A cadre
// sits in up to ten heaps; when it takes a household, its entries elsewhere go stale (their load
// lower than the cadre's): a stale top is re-pushed with the current load, or dropped when the
// cadre is full. Loads only grow, so a fresh top is the true minimum.
namespace {

constexpr int kLevels = 10;  // common prefix lengths 0..9
constexpr int kCountyLevel = 6;

struct Entry {
    int64_t load;
    int64_t quota;
    int64_t id;
    uint32_t cadre;
};
// std heaps keep the greatest on top: "greater" here is "worse" reversed.
struct Worse {
    bool operator()(const Entry& a, const Entry& b) const {
        // a after b when a.load/a.quota > b.load/b.quota, or equal and a.id > b.id.
        const int64_t x = a.load * b.quota;
        const int64_t y = b.load * a.quota;
        if (x != y) return x > y;
        return a.id > b.id;
    }
};

class Heap {
  public:
    void Push(Entry e) {
        items_.push_back(e);
        std::ranges::push_heap(items_, Worse{});
    }
    // The freshest best cadre with capacity, or nullptr; stale entries fixed on the way.
    const Entry* Top(const std::vector<int64_t>& load, const std::vector<int64_t>& quota) {
        while (!items_.empty()) {
            Entry& top = items_.front();
            const int64_t now = load[top.cadre];
            if (now == top.load) return &top;
            Entry e = top;
            std::ranges::pop_heap(items_, Worse{});
            items_.pop_back();
            if (now < quota[e.cadre]) {
                e.load = now;
                Push(e);
            }
        }
        return nullptr;
    }
    void Build() { std::ranges::make_heap(items_, Worse{}); }
    void Add(Entry e) { items_.push_back(e); }

  private:
    std::vector<Entry> items_;
};

std::string_view TownshipOf(std::string_view division) { return division.substr(0, std::min<size_t>(9, division.size())); }

}  // namespace

AssignProposal ProposeAssignment(std::span<const AssignHousehold> households, std::span<const AssignCadre> cadres) {
    AssignProposal proposal;

    // Cadres by id (one entry per id: the input's order must not matter).
    std::vector<uint32_t> order(cadres.size());
    std::iota(order.begin(), order.end(), 0u);
    std::ranges::sort(order, [&](uint32_t a, uint32_t b) {
        const AssignCadre& x = cadres[a];
        const AssignCadre& y = cadres[b];
        if (x.id != y.id) return x.id < y.id;
        if (x.township_code != y.township_code) return x.township_code < y.township_code;
        if (x.quota != y.quota) return x.quota < y.quota;
        return x.active < y.active;
    });
    order.erase(std::unique(order.begin(), order.end(),
                            [&](uint32_t a, uint32_t b) { return cadres[a].id == cadres[b].id; }),
                order.end());
    const size_t n = order.size();
    std::vector<int64_t> load(n, 0), quota(n, 0);
    auto find_cadre = [&](int64_t id) -> std::optional<uint32_t> {
        auto it = std::ranges::lower_bound(order, id, {}, [&](uint32_t i) { return cadres[i].id; });
        if (it == order.end() || cadres[*it].id != id) return std::nullopt;
        return static_cast<uint32_t>(it - order.begin());
    };
    for (size_t i = 0; i < n; ++i) quota[i] = std::max(0, cadres[order[i]].quota);

    // Existing pairs are kept and their cadres' load counts.
    std::vector<uint32_t> todo;
    for (size_t h = 0; h < households.size(); ++h) {
        const AssignHousehold& hh = households[h];
        if (hh.current_cadre != 0) {
            if (auto c = find_cadre(hh.current_cadre)) ++load[*c];
            if (hh.needs_cadre) ++proposal.kept;
        } else if (hh.needs_cadre) {
            todo.push_back(static_cast<uint32_t>(h));
        }
    }
    if (todo.empty()) return proposal;
    std::ranges::sort(todo, [&](uint32_t a, uint32_t b) {
        if (households[a].household_code != households[b].household_code)
            return households[a].household_code < households[b].household_code;
        return a < b;
    });

    // Heaps by prefix: heap_index[L] maps a prefix of length L to its heap.
    bool any_active = false;
    std::vector<Heap> heaps;
    std::array<std::unordered_map<std::string_view, uint32_t>, kLevels> heap_index;
    const uint32_t county_wide = 0;
    heaps.emplace_back();
    for (uint32_t i = 0; i < n; ++i) {
        const AssignCadre& c = cadres[order[i]];
        if (!c.active) continue;
        any_active = true;
        if (load[i] >= quota[i]) continue;
        const Entry e{load[i], quota[i], c.id, i};
        const std::string_view town = TownshipOf(c.township_code);
        if (town.empty()) {
            heaps[county_wide].Add(e);
            continue;
        }
        for (int level = 0; level <= static_cast<int>(town.size()); ++level) {
            auto [it, added] = heap_index[level].try_emplace(town.substr(0, level), static_cast<uint32_t>(heaps.size()));
            if (added) heaps.emplace_back();
            heaps[it->second].Add(e);
        }
    }
    for (Heap& h : heaps) h.Build();

    // Per distinct township of the households: its heap at each level (or none).
    constexpr uint32_t kNoHeap = UINT32_MAX;
    std::unordered_map<std::string_view, std::array<uint32_t, kLevels>> town_heaps;
    auto heaps_of = [&](std::string_view town) -> const std::array<uint32_t, kLevels>& {
        auto [it, added] = town_heaps.try_emplace(town);
        if (added) {
            it->second.fill(kNoHeap);
            for (int level = 0; level <= static_cast<int>(town.size()); ++level) {
                auto found = heap_index[level].find(town.substr(0, level));
                if (found != heap_index[level].end()) it->second[level] = found->second;
            }
        }
        return it->second;
    };

    proposal.pairs.reserve(todo.size());
    std::string_view last_town;
    const std::array<uint32_t, kLevels>* last_heaps = nullptr;
    for (uint32_t h : todo) {
        const std::string_view town = TownshipOf(households[h].division_code);
        // Households in code order come township by township: look the township up once per run.
        if (!last_heaps || town != last_town) {
            last_heaps = &heaps_of(town);
            last_town = town;
        }
        const auto& mine = *last_heaps;
        const Entry* best = nullptr;
        Heap* from = nullptr;
        for (int level = kLevels - 1; level >= 0 && !best; --level) {
            Heap* candidates[2] = {mine[level] == kNoHeap ? nullptr : &heaps[mine[level]],
                                   level == kCountyLevel ? &heaps[county_wide] : nullptr};
            for (Heap* heap : candidates) {
                if (!heap) continue;
                const Entry* top = heap->Top(load, quota);
                if (top && (!best || Worse{}(*best, *top))) {
                    best = top;
                    from = heap;
                }
            }
        }
        if (!best) {
            proposal.uncovered.push_back({h, any_active ? "no_capacity" : "no_cadre"});
            continue;
        }
        const uint32_t c = best->cadre;
        const std::string_view cadre_town = TownshipOf(cadres[order[c]].township_code);
        proposal.pairs.push_back({h, cadres[order[c]].id, !cadre_town.empty() && cadre_town == town});
        ++load[c];
        // The chosen entry is fresh at the top of `from`: fixing it there now keeps that heap exact;
        // the cadre's other entries are fixed when they reach a top.
        (void)from->Top(load, quota);
    }
    std::ranges::sort(proposal.pairs, {}, &ProposedPair::household);
    std::ranges::sort(proposal.uncovered, {}, &Uncovered::household);
    return proposal;
}

// --- Work teams --------------------------------------------------------------------------------------

bool TeamMember::ActiveOn(const Date& on) const {
    if (on < from) return false;
    if (to && *to < on) return false;
    return true;
}

std::vector<Error> ValidateTeamMember(const TeamMember& member) {
    std::vector<Error> out;
    const std::string code = "team.invalid";
    if (member.village_code.size() != 12 || !AllDigits(member.village_code))
        out.push_back(Problem(code, "village_code", "行政村代码应为12位数字: " + member.village_code,
                              "the village code must be 12 digits: " + member.village_code));
    if (member.cadre_id <= 0)
        out.push_back(Problem(code, "cadre_id", "缺少干部", "the cadre is missing"));
    if (!codes::TeamRole().Contains(member.role))
        out.push_back(Problem(code, "role", "驻村工作队职务代码不存在: " + std::to_string(member.role),
                              "no such work-team role code: " + std::to_string(member.role)));
    if (!ValidDate(member.from))
        out.push_back(Problem(code, "from", "缺少开始日期或日期无效", "the first day is missing or not a valid date"));
    if (member.to && !ValidDate(*member.to))
        out.push_back(Problem(code, "to", "结束日期无效", "the last day is not a valid date"));
    else if (member.to && ValidDate(member.from) && *member.to < member.from)
        out.push_back(Problem(code, "to",
                              "结束日期" + member.to->ToString() + "早于开始日期" + member.from.ToString(),
                              "the last day " + member.to->ToString() + " is before the first day " +
                                  member.from.ToString()));
    return out;
}

std::vector<Error> ValidateOnPostDays(const OnPostDays& record) {
    std::vector<Error> out;
    const std::string code = "team.invalid";
    const bool year_ok = record.year >= 2000 && record.year <= 2100;
    const bool month_ok = record.month >= 1 && record.month <= 12;
    if (!year_ok)
        out.push_back(Problem(code, "year", "年份应在2000到2100之间: " + std::to_string(record.year),
                              "the year must be between 2000 and 2100: " + std::to_string(record.year)));
    if (!month_ok)
        out.push_back(Problem(code, "month", "月份应在1到12之间: " + std::to_string(record.month),
                              "the month must be between 1 and 12: " + std::to_string(record.month)));
    int max_days = 31;
    if (year_ok && month_ok) {
        max_days = 28;
        while (max_days < 31 && Date::IsValid(record.year, record.month, max_days + 1)) ++max_days;
    }
    if (record.days < 0 || record.days > max_days)
        out.push_back(Problem(code, "days",
                              "在岗天数应在0到" + std::to_string(max_days) + "之间: " + std::to_string(record.days),
                              "days on post must be between 0 and " + std::to_string(max_days) + ": " +
                                  std::to_string(record.days)));
    return out;
}

// --- Visits ------------------------------------------------------------------------------------------

int64_t DistanceMetres(const GeoPoint& a, const GeoPoint& b) {
    constexpr double kRadius = 6'371'008.8;
    constexpr double kRad = 3.14159265358979323846 / 180.0 / 1e6;  // microdegrees to radians
    const double lat1 = a.lat_e6 * kRad, lat2 = b.lat_e6 * kRad;
    const double dlat = (static_cast<int64_t>(b.lat_e6) - a.lat_e6) * kRad;
    const double dlon = (static_cast<int64_t>(b.lon_e6) - a.lon_e6) * kRad;
    const double s1 = std::sin(dlat / 2), s2 = std::sin(dlon / 2);
    const double h = std::min(1.0, s1 * s1 + std::cos(lat1) * std::cos(lat2) * s2 * s2);
    return static_cast<int64_t>(std::llround(2 * kRadius * std::asin(std::sqrt(h))));
}

PhotoType SniffPhoto(std::string_view bytes) {
    auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
    // JPEG: SOI (FF D8) and the start of a marker segment (FF, then a marker that may follow SOI).
    if (bytes.size() >= 4 && at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF) {
        const unsigned char m = at(3);
        const bool marker = (m >= 0xC0 && m <= 0xCF) || m == 0xDB || m == 0xDD || (m >= 0xE0 && m <= 0xEF) || m == 0xFE;
        if (marker) return PhotoType::kJpeg;
    }
    // PNG: the signature, then the IHDR chunk (length 13) with a width and height above 0.
    constexpr std::string_view kPng("\x89PNG\r\n\x1a\n", 8);
    if (bytes.size() >= 8 + 8 + 13 && bytes.substr(0, 8) == kPng) {
        auto u32 = [&](size_t i) {
            return (uint32_t{at(i)} << 24) | (uint32_t{at(i + 1)} << 16) | (uint32_t{at(i + 2)} << 8) | at(i + 3);
        };
        const uint32_t width = u32(16), height = u32(20);
        if (u32(8) == 13 && bytes.substr(12, 4) == "IHDR" && width > 0 && height > 0 && width <= 0x7FFFFFFF &&
            height <= 0x7FFFFFFF)
            return PhotoType::kPng;
    }
    return PhotoType::kNone;
}

std::string_view PhotoMediaType(PhotoType type) {
    switch (type) {
        case PhotoType::kJpeg:
            return "image/jpeg";
        case PhotoType::kPng:
            return "image/png";
        case PhotoType::kNone:
            break;
    }
    return "";
}

std::vector<Error> ValidateVisit(const Visit& visit, const Date& today) {
    std::vector<Error> out;
    const std::string code = "visit.invalid";
    const bool id_ok = visit.client_id.size() >= 8 && visit.client_id.size() <= 64 &&
                       std::ranges::all_of(visit.client_id, [](char c) {
                           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                  c == '-' || c == '_';
                       });
    if (!id_ok)
        out.push_back(Problem(code, "client_id", "客户端编号应为8到64个字母、数字、'-'或'_'",
                              "the client id must be 8 to 64 letters, digits, '-' or '_'"));
    if (visit.household_code.empty())
        out.push_back(Problem(code, "household_code", "缺少户编号", "the household code is missing"));
    else if (visit.household_code.size() > 40 ||
             !std::ranges::all_of(visit.household_code, [](char c) {
                 return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
             }))
        out.push_back(Problem(code, "household_code", "户编号格式不正确", "the household code is malformed"));
    if (visit.cadre_id <= 0) out.push_back(Problem(code, "cadre_id", "缺少帮扶干部", "the cadre is missing"));
    if (!ValidDate(visit.date))
        out.push_back(Problem(code, "date", "缺少走访日期或日期无效", "the visit date is missing or not a valid date"));
    else if (today < visit.date)
        out.push_back(Problem(code, "date", "走访日期" + visit.date.ToString() + "晚于今天" + today.ToString(),
                              "the visit date " + visit.date.ToString() + " is after today " + today.ToString()));
    else if (visit.date < Date{2000, 1, 1})
        out.push_back(Problem(code, "date", "走访日期早于2000年: " + visit.date.ToString(),
                              "the visit date is before 2000: " + visit.date.ToString()));
    CheckText(out, code, "discussed", visit.discussed, 1, 2000, "走访内容", "record of what was discussed", true);
    CheckText(out, code, "done", visit.done, 0, 2000, "帮扶举措", "record of what was done", true);
    if (visit.place) {
        const GeoPoint& p = *visit.place;
        if (p.lat_e6 < -90'000'000 || p.lat_e6 > 90'000'000 || p.lon_e6 < -180'000'000 || p.lon_e6 > 180'000'000 ||
            p.accuracy_m < 0)
            out.push_back(Problem(code, "place", "位置不正确: 纬度应在-90到90之间,经度在-180到180之间,精度不能为负",
                                  "the place is out of range: latitude -90..90, longitude -180..180, accuracy "
                                  "not negative"));
    }
    return out;
}

// --- Overdue visits ----------------------------------------------------------------------------------

int VisitIntervalDays(const Plan& plan) {
    const int n = std::max(1, plan.pairing.visits_per_quarter);
    return (91 + n - 1) / n;
}

std::vector<OverdueVisit> OverdueVisits(std::span<const VisitState> states, const Date& on, int interval_days) {
    std::vector<OverdueVisit> out;
    const long today = on.DaysSinceEpoch();
    for (size_t i = 0; i < states.size(); ++i) {
        const VisitState& s = states[i];
        // The last visit counts only when made under the current pairing (on or after its start).
        Date base = s.paired_from;
        if (s.last_visit && base < *s.last_visit) base = *s.last_visit;
        const long due = base.DaysSinceEpoch() + interval_days;
        if (today > due)
            out.push_back({static_cast<uint32_t>(i), Date::FromDaysSinceEpoch(due), static_cast<int>(today - due)});
    }
    std::ranges::sort(out, [&](const OverdueVisit& a, const OverdueVisit& b) {
        if (a.days_overdue != b.days_overdue) return a.days_overdue > b.days_overdue;
        if (states[a.index].household_code != states[b.index].household_code)
            return states[a.index].household_code < states[b.index].household_code;
        return a.index < b.index;
    });
    return out;
}

// --- Findings ----------------------------------------------------------------------------------------

const PairingFacts::HouseholdPairing* PairingFacts::FindCurrent(std::string_view household_code) const {
    auto it = std::ranges::lower_bound(current, household_code, {}, [](const HouseholdPairing& p) {
        return std::string_view(p.household_code);
    });
    if (it == current.end() || it->household_code != household_code) return nullptr;
    return &*it;
}

const PairingFacts::CadreFacts* PairingFacts::FindCadre(int64_t id) const {
    auto it = std::ranges::lower_bound(cadres, id, {}, &CadreFacts::id);
    if (it == cadres.end() || it->id != id) return nullptr;
    return &*it;
}

}  // namespace jz
