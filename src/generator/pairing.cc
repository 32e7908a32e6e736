// The pairing data of a generated registry (generator.h, GeneratePairing): cadres with their rank,
// pairings with a little history, village work teams and their days on post, households' places and
// visits. Every choice is a hash of the seed and stable codes, so the registry's stream is untouched.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/codes.h"
#include "core/id_number.h"
#include "generator/generator.h"
#include "generator/model.h"
#include "generator/names.h"
#include "generator/random.h"

namespace jz {
namespace {

uint64_t Mix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t Fnv1a(std::string_view text) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return h;
}

Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }
Date Min(const Date& a, const Date& b) { return a < b ? a : b; }

int DaysInMonth(int year, int month) {
    const Date first{year, month, 1};
    const Date next = month == 12 ? Date{year + 1, 1, 1} : Date{year, month + 1, 1};
    return static_cast<int>(next.DaysSinceEpoch() - first.DaysSinceEpoch());
}

// Township seats of Chayu (察隅县), approximately: latitude, longitude in microdegrees.
struct Seat {
    std::string_view township;
    int32_t lat_e6, lon_e6;
};
constexpr Seat kSeats[] = {
    {"540425100", 28'660'000, 97'470'000},  // 竹瓦根镇 (the county seat)
    {"540425101", 28'880'000, 96'980'000},  // 上察隅镇
    {"540425102", 28'480'000, 97'020'000},  // 下察隅镇
    {"540425200", 28'560'000, 97'900'000},  // 察瓦龙乡
    {"540425201", 28'950'000, 97'300'000},  // 古拉乡
    {"540425202", 29'100'000, 97'700'000},  // 古玉乡
};
// The county's extent the places stay within.
constexpr int32_t kLatMin = 28'400'000, kLatMax = 29'200'000, kLonMin = 96'600'000, kLonMax = 98'000'000;

// Address codes of cadres' ID numbers: Nyingchi's other districts and counties, Lhasa, and the
// provinces that send cadres to Tibet (援藏) — none the registry's persons carry (540425, 542626).
constexpr std::string_view kCadreAddresses[] = {"540402", "540421", "540422", "540424", "540426", "540102",
                                                "540121", "510107", "500103", "513322"};

constexpr std::string_view kCountyUnits[] = {"察隅县委", "察隅县人民政府", "察隅县人大常委会", "察隅县政协",
                                             "察隅县纪委", "察隅县人民武装部"};
constexpr std::string_view kBureaus[] = {
    "察隅县财政局",       "察隅县教育局",     "察隅县卫生和计划生育委员会", "察隅县农牧局",
    "察隅县扶贫开发办公室", "察隅县民政局",     "察隅县人力资源和社会保障局", "察隅县水利局",
    "察隅县交通运输局",   "察隅县林业局",     "察隅县发展和改革委员会",     "察隅县公安局",
    "察隅县国土资源局",   "察隅县委组织部",   "察隅县委宣传部",             "察隅县住房和城乡建设局"};
constexpr std::string_view kTeamUnits[] = {"林芝市财政局", "林芝市农牧局",   "林芝市教育局", "林芝市卫生计生委",
                                           "林芝市国土资源局", "西藏自治区交通运输厅", "西藏自治区农牧厅",
                                           "察隅县委组织部", "察隅县财政局", "察隅县农牧局"};

constexpr std::string_view kDiscussed[] = {
    "了解家庭收入和生产情况，宣讲精准扶贫政策",
    "核对家庭成员和帮扶手册信息",
    "了解子女上学情况，宣讲教育资助政策",
    "了解家庭成员看病就医和医疗保险情况",
    "商量发展养殖、种植产业的打算",
    "了解务工意愿，介绍技能培训和转移就业岗位",
    "了解住房安全和饮水情况",
    "宣讲生态补偿和生态岗位政策",
    "核实低保、五保待遇发放情况",
    "讨论年度脱贫计划和帮扶措施落实情况",
};
constexpr std::string_view kDone[] = {
    "",
    "帮助填写帮扶手册",
    "送去化肥和种子",
    "联系乡卫生院安排体检",
    "协助办理小额信贷申请",
    "帮助联系技能培训报名",
    "协调解决饮水管道维修",
    "送去慰问品",
    "帮助申请教育资助",
    "",
};

class Maker {
  public:
    Maker(const Plan& plan, const OrgTree& tree, const PairingOptions& options)
        : plan_(plan), tree_(tree), options_(options) {}

    uint64_t Hash(std::string_view text, uint64_t salt) const {
        return Mix(Fnv1a(text) ^ Mix(options_.seed * 0x9E3779B97F4A7C15ULL + salt));
    }
    int Below(std::string_view text, uint64_t salt, int n) const {
        return static_cast<int>(Hash(text, salt) % static_cast<uint64_t>(n));
    }
    Date Clamp(const Date& d) const { return Min(d, options_.as_of); }

    std::string TownshipName(const std::string& code) const {
        const OrgUnit* u = tree_.Find(code);
        return u ? u->name() : code;
    }

    // A name no cadre has yet, made from `key` (past 32 tries, when the pools are spent, a repeat).
    std::string NewName(const std::string& key) {
        for (uint64_t attempt = 0;; ++attempt) {
            const uint64_t x = Hash(key + "#" + std::to_string(attempt), 11);
            std::string name;
            if (x % 100 < 40) {
                const auto surnames = names::HanSurnames();
                const auto given = (x >> 8) % 3 == 0 ? names::HanGivenFemale() : names::HanGivenMale();
                name.assign(surnames[(x >> 16) % std::min<size_t>(surnames.size(), 60)]);
                name.append(given[(x >> 32) % given.size()]);
            } else {
                const auto lead = names::TibetanLead();
                const auto tail = (x >> 8) % 3 == 0 ? names::TibetanFemale() : names::TibetanMale();
                name.assign(lead[(x >> 16) % lead.size()]).append(tail[(x >> 32) % tail.size()]);
            }
            if (names_.insert(name).second || attempt >= 32) return name;
        }
    }

    std::string IdNumberFor(const std::string& key, int rank) {
        const uint64_t x = Hash(key, 21);
        const std::string_view address = kCadreAddresses[x % std::size(kCadreAddresses)];
        const int first = rank == kRankCounty ? 1961 : rank == kRankSectionChief ? 1966 : 1975;
        const int span = rank == kRankCounty ? 14 : rank == kRankSectionChief ? 19 : 19;
        Date birth = AddDays(Date{first, 1, 1}, static_cast<long>((x >> 8) % static_cast<uint64_t>(span * 365)));
        for (int tries = 0, sequence = static_cast<int>((x >> 40) % 1000);; sequence = (sequence + 1) % 1000) {
            std::string id = MakeIdNumber(address, birth, sequence);
            if (ids_.insert(id).second) return id;
            if (++tries % 1000 == 0) birth = AddDays(birth, 1);  // that day's numbers are all taken
        }
    }

    std::string PhoneFor(const std::string& key) const {
        const uint64_t x = Hash(key, 31);
        std::string phone(generator_detail::kPhonePrefixes[x % std::size(generator_detail::kPhonePrefixes)]);
        uint64_t digits = (x >> 8) % 100'000'000ULL;
        std::string tail(8, '0');
        for (int i = 7; i >= 0; --i, digits /= 10) tail[static_cast<size_t>(i)] = static_cast<char>('0' + digits % 10);
        return phone + tail;
    }

    std::string UnitFor(const std::string& key, int rank, const std::string& township) const {
        const uint64_t x = Hash(key, 41);
        if (rank == kRankCounty) return std::string(kCountyUnits[x % std::size(kCountyUnits)]);
        if (rank == kRankDeputyAndBelow && (x >> 8) % 3 == 0) {
            constexpr std::string_view kLocal[] = {"人民政府", "中心小学", "卫生院", "派出所"};
            return TownshipName(township) + std::string(kLocal[(x >> 16) % std::size(kLocal)]);
        }
        if ((x >> 8) % 5 == 0) return TownshipName(township) + "人民政府";
        return std::string(kBureaus[(x >> 16) % std::size(kBureaus)]);
    }

    Cadre MakeCadre(const std::string& name, int rank, const std::string& township, const std::string& unit,
                    const Date& active_from) {
        Cadre c;
        c.name = name;
        c.rank = rank;
        c.township_code = township;
        c.unit = unit.empty() ? UnitFor(name, rank, township) : unit;
        c.id_number = IdNumberFor(name, rank);
        c.phone = PhoneFor(name);
        c.active_from = active_from;
        c.division_code = township.empty() ? plan_.county_code : township;
        return c;
    }

    int RankOf(const GeneratedCadre& g) const {
        if (g.quota_id == "county") return kRankCounty;
        if (g.quota_id == "section_chief") return kRankSectionChief;
        if (g.quota_id == "deputy_section_and_below") return kRankDeputyAndBelow;
        return g.quota >= 3 ? kRankCounty : g.quota == 2 ? kRankSectionChief : kRankDeputyAndBelow;
    }

    GeoPoint VillageSeat(const std::string& village) const {
        const std::string township = village.substr(0, 9);
        int32_t lat = 28'800'000, lon = 97'300'000;
        bool found = false;
        for (const Seat& s : kSeats)
            if (s.township == township) {
                lat = s.lat_e6;
                lon = s.lon_e6;
                found = true;
            }
        if (!found) {
            const uint64_t t = Hash(township, 51);
            lat = kLatMin + 100'000 + static_cast<int32_t>(t % 600'000);
            lon = kLonMin + 100'000 + static_cast<int32_t>((t >> 24) % 1'200'000);
        }
        const uint64_t x = Hash(village, 52);
        // Up to about 13 km from the seat, along the valley.
        lat += static_cast<int32_t>(x % 240'001) - 120'000;
        lon += static_cast<int32_t>((x >> 20) % 240'001) - 120'000;
        return {std::clamp(lat, kLatMin + 5'000, kLatMax - 5'000), std::clamp(lon, kLonMin + 5'000, kLonMax - 5'000), 0};
    }

    // A point `metres` (about) from `p` in a direction drawn from `x`.
    static GeoPoint Offset(const GeoPoint& p, double metres, uint64_t x) {
        const double angle = static_cast<double>(x % 3600) / 3600.0 * 2 * 3.14159265358979;
        const double dlat = metres * std::cos(angle) / 111'195.0;
        const double dlon = metres * std::sin(angle) / (111'195.0 * std::cos(static_cast<double>(p.lat_e6) * 1e-6 * 3.14159265358979 / 180));
        return {p.lat_e6 + static_cast<int32_t>(std::lround(dlat * 1e6)),
                p.lon_e6 + static_cast<int32_t>(std::lround(dlon * 1e6)), 0};
    }

    PairingData Make(std::span<const Household> households, std::span<const GeneratedCadre> generated);

  private:
    void AddTeams(const std::vector<std::string>& villages, PairingData& out);
    void AddVisits(const Household& h, const std::vector<size_t>& periods, const GeneratedPlace& home,
                   PairingData& out);

    const Plan& plan_;
    const OrgTree& tree_;
    const PairingOptions& options_;
    std::unordered_set<std::string> names_;
    std::unordered_set<std::string> ids_;
};

PairingData Maker::Make(std::span<const Household> households, std::span<const GeneratedCadre> generated) {
    PairingData out;
    const Date as_of = options_.as_of;
    for (const GeneratedCadre& g : generated) names_.insert(g.name);
    std::vector<std::string> townships;
    for (const OrgUnit* t : tree_.AtLevel(OrgLevel::kTownship)) townships.push_back(t->code);

    // The generator's cadres, with the few records the data-quality findings show.
    std::vector<Date> paired_from;                      // by cadre position
    std::vector<bool> changed;                          // its households had an earlier cadre
    const bool year_turned = as_of >= Date{2017, 2, 1};
    int unknown_left = 2, elsewhere_left = 2, left_left = as_of >= Date{2016, 6, 1} ? 1 : 0;
    // The special cadres are the first by a hash that fit, so which they are does not depend on order.
    std::vector<std::pair<uint64_t, size_t>> by_hash;
    for (size_t i = 0; i < generated.size(); ++i) by_hash.push_back({Hash(generated[i].name, 61), i});
    std::ranges::sort(by_hash);
    std::vector<int> special(generated.size(), 0);  // 1 unknown rank, 2 another township, 3 left
    // The cadre who left must still hold a household not exited, or the finding it stands for
    // (pairing.cadre_inactive) shows nothing.
    std::unordered_set<std::string_view> holds_poor;
    for (const Household& h : households)
        if (!h.exited()) holds_poor.insert(h.pairing_cadre);
    for (const auto& [hash, i] : by_hash) {
        const GeneratedCadre& g = generated[i];
        const int rank = RankOf(g);
        if (unknown_left > 0 && g.households == 1 && rank == kRankDeputyAndBelow) {
            special[i] = 1;
            --unknown_left;
        } else if (elsewhere_left > 0 && rank != kRankCounty && townships.size() > 1) {
            special[i] = 2;
            --elsewhere_left;
        } else if (left_left > 0 && rank != kRankCounty && holds_poor.contains(g.name)) {
            special[i] = 3;
            --left_left;
        }
        if (unknown_left == 0 && elsewhere_left == 0 && left_left == 0) break;
    }
    for (size_t i = 0; i < generated.size(); ++i) {
        const GeneratedCadre& g = generated[i];
        const std::string township = g.village_code.substr(0, 9);
        int rank = RankOf(g);
        const Date active_from = AddDays(Date{2014, 1, 1}, Below(g.name, 71, 700));
        Cadre c = MakeCadre(g.name, rank, rank == kRankCounty ? std::string() : township, "", Min(active_from, as_of));
        switch (special[i]) {
            case 1:  // as a free-text name becomes a cadre: rank unknown, nothing else known
                c.rank = kRankUnknown;
                ids_.erase(c.id_number);
                c.id_number.clear();
                c.unit.clear();
                c.phone.clear();
                c.active_from.reset();
                break;
            case 2: {  // recorded in the next township
                const auto at = std::ranges::find(townships, township);
                const size_t k = at == townships.end() ? 0 : static_cast<size_t>(at - townships.begin());
                c.township_code = townships[(k + 1) % townships.size()];
                c.division_code = c.township_code;
                break;
            }
            case 3:  // left a month ago; the households still wait for a new cadre
                c.active_to = AddDays(as_of, -30);
                break;
        }
        c.id = static_cast<int64_t>(out.cadres.size()) + 1;
        out.cadres.push_back(std::move(c));
        paired_from.push_back(Clamp(AddDays(Date{2016, 1, 4}, Below(g.name, 72, 80))));
        changed.push_back(year_turned && special[i] == 0 && Below(g.name, 73, 100) < 4);
    }

    // Pairings, places and visits, household by household; the generator's cadres take consecutive
    // households (names may repeat in a registry far larger than a county, positions do not).
    std::unordered_map<size_t, int64_t> predecessor;  // cadre position → its predecessor's id
    std::vector<std::string> villages;
    size_t next_cadre = 0;  // the cadre whose first household comes next
    size_t cadre = generated.size();
    int left = 0;
    for (const Household& h : households) {
        if (villages.empty() || villages.back() != h.division_code) villages.push_back(h.division_code);
        if (next_cadre < generated.size() && generated[next_cadre].first_household == h.household_code) {
            cadre = next_cadre++;
            left = generated[cadre].households;
        }
        std::vector<size_t> periods;  // positions in out.pairings, oldest first
        if (cadre < generated.size() && left-- > 0 && out.cadres[cadre].name == h.pairing_cadre) {
            const size_t k = cadre;
            const Cadre& cadre = out.cadres[k];
            Date from = paired_from[k];
            if (changed[k]) {
                auto p = predecessor.find(k);
                if (p == predecessor.end()) {
                    Cadre before = MakeCadre(NewName("before:" + cadre.name), cadre.rank, cadre.township_code, "",
                                             *cadre.active_from);
                    before.active_to = Date{2016, 12, 31};
                    before.id = static_cast<int64_t>(out.cadres.size()) + 1;
                    out.cadres.push_back(before);
                    p = predecessor.emplace(k, before.id).first;
                }
                Pairing earlier{.household_code = h.household_code,
                                .division_code = h.division_code,
                                .cadre_id = p->second,
                                .from = from,
                                .to = Date{2016, 12, 31},
                                .reason = "建档立卡结对帮扶 / paired when the registry was built",
                                .end_reason = "帮扶干部调离 / the cadre was transferred"};
                earlier.id = static_cast<int64_t>(out.pairings.size()) + 1;
                periods.push_back(out.pairings.size());
                out.pairings.push_back(std::move(earlier));
                from = Date{2017, 1, 1};
            }
            Pairing current{.household_code = h.household_code,
                            .division_code = h.division_code,
                            .cadre_id = cadre.id,
                            .from = from,
                            .reason = changed[k] ? "调整帮扶干部 / a new cadre after a transfer"
                                                 : "建档立卡结对帮扶 / paired when the registry was built"};
            current.id = static_cast<int64_t>(out.pairings.size()) + 1;
            periods.push_back(out.pairings.size());
            out.pairings.push_back(std::move(current));
        }
        // The household's place, surveyed when the pairing began.
        const uint64_t x = Hash(h.household_code, 81);
        GeneratedPlace home{.household_code = h.household_code,
                            .division_code = h.division_code,
                            .place = Offset(VillageSeat(h.division_code), static_cast<double>(x % 300), x >> 16),
                            .recorded_on = Clamp(AddDays(Date{2016, 3, 1}, static_cast<long>((x >> 40) % 90)))};
        home.place.accuracy_m = 5 + static_cast<int32_t>((x >> 50) % 11);
        out.places.push_back(home);
        AddVisits(h, periods, home, out);
    }
    AddTeams(villages, out);
    return out;
}

void Maker::AddVisits(const Household& h, const std::vector<size_t>& periods, const GeneratedPlace& home,
                      PairingData& out) {
    if (periods.empty()) return;
    const Date as_of = options_.as_of;
    generator_detail::Rng rng(Hash(h.household_code, 91));
    const bool exited = h.status == codes::kStatusExited;
    const Date exited_on = h.exit_year ? Date{*h.exit_year, 12, 31} : as_of;
    // About 4% of the households not exited stopped being visited some months ago.
    std::optional<Date> stop;
    if (!exited && rng.Chance(0.04)) stop = AddDays(as_of, -(60 + rng.Range(0, 60)));
    Date day = AddDays(out.pairings[periods.front()].from, rng.Range(5, 30));
    int n = 0;
    const int limit_m = plan_.pairing.visit_distance_m;
    while (day <= as_of && (!stop || day <= *stop)) {
        const Pairing* by = nullptr;
        for (size_t p : periods)
            if (out.pairings[p].from <= day && (!out.pairings[p].to || day <= *out.pairings[p].to)) by = &out.pairings[p];
        if (by != nullptr) {
            Visit v;
            char number[16];
            std::snprintf(number, sizeof number, "%03d", ++n);
            v.client_id = "g" + h.household_code + "-" + number;
            v.household_code = h.household_code;
            v.division_code = h.division_code;
            v.cadre_id = by->cadre_id;
            v.date = day;
            v.discussed = std::string(kDiscussed[rng.Below(std::size(kDiscussed))]);
            v.done = std::string(kDone[rng.Below(std::size(kDone))]);
            if (rng.Chance(0.85)) {
                const bool far = rng.Chance(0.002);
                const double metres = far ? rng.Uniform(2'000, 12'000) : rng.Uniform(10, 250);
                GeoPoint at = Offset(home.place, metres, rng.Next());
                at.accuracy_m = rng.Range(8, 40);
                v.place = at;
                v.distance_m = DistanceMetres(home.place, at);
                v.far = *v.distance_m > limit_m;
            }
            const Date uploaded = Min(AddDays(day, rng.Range(0, 4)), as_of);
            char at[32];
            std::snprintf(at, sizeof at, "%sT%02d:%02d:00Z", uploaded.ToString().c_str(), rng.Range(1, 11),
                          rng.Range(0, 59));
            v.recorded_at = at;
            v.recorded_by = "generator";
            out.visits.push_back(std::move(v));
        }
        const bool after_exit = exited && day > exited_on;
        day = AddDays(day, after_exit ? rng.Range(50, 80) : rng.Range(36, 45));
    }
}

void Maker::AddTeams(const std::vector<std::string>& villages, PairingData& out) {
    const Date as_of = options_.as_of;
    auto add_member = [&](const std::string& village, int j, int role, int rank, const Date& from,
                          std::optional<Date> to) {
        const std::string township = village.substr(0, 9);
        const std::string name =
            NewName("team:" + village + ":" + std::to_string(role) + ":" + std::to_string(j) + ":" + from.ToString());
        const std::string unit(kTeamUnits[Below(name, 101, static_cast<int>(std::size(kTeamUnits)))]);
        Cadre c = MakeCadre(name, rank, township, unit, Min(AddDays(from, -Below(name, 102, 400)), as_of));
        c.id = static_cast<int64_t>(out.cadres.size()) + 1;
        TeamMember m{.village_code = village, .cadre_id = c.id, .role = role, .from = Clamp(from), .to = to};
        m.id = static_cast<int64_t>(out.team_members.size()) + 1;
        out.cadres.push_back(std::move(c));
        // Days on post, month by month from the first to the last (or the as-of month).
        const Date last = Min(to.value_or(as_of), as_of);
        for (int y = m.from.year, mo = m.from.month; y < last.year || (y == last.year && mo <= last.month);) {
            const std::string key = std::to_string(m.id) + "/" + std::to_string(y) + "-" + std::to_string(mo);
            const uint64_t x = Hash(key, 103);
            int days = 21 + static_cast<int>(x % 6);
            if ((x >> 20) % 1000 < 2) days = 12 + static_cast<int>((x >> 30) % 7);  // a short month
            days = std::min(days, DaysInMonth(y, mo));
            out.on_post.push_back({.member_id = m.id, .year = y, .month = mo, .days = days});
            if (++mo == 13) {
                mo = 1;
                ++y;
            }
        }
        out.team_members.push_back(std::move(m));
    };
    const bool second_year = as_of >= Date{2017, 1, 10};
    for (const std::string& village : villages) {
        const Date start = AddDays(Date{2016, 1, 4}, Below(village, 104, 20));
        if (start > as_of) continue;
        add_member(village, 0, kRoleFirstSecretary, Below(village, 105, 10) < 7 ? kRankDeputyAndBelow : kRankSectionChief,
                   start, std::nullopt);
        // The team rotates each year: a leader and one or two members.
        const int years = second_year ? 2 : 1;
        for (int k = 0; k < years; ++k) {
            const Date from = k == 0 ? start : AddDays(Date{2017, 1, 3}, Below(village, 106, 7));
            const std::optional<Date> to = k == 0 && second_year ? std::optional<Date>(Date{2016, 12, 31}) : std::nullopt;
            add_member(village, 0, kRoleTeamLeader, kRankSectionChief, from, to);
            const int members = 1 + Below(village + std::to_string(k), 107, 2);
            for (int j = 0; j < members; ++j)
                add_member(village, j, kRoleTeamMember, kRankDeputyAndBelow, from, to);
        }
    }
}

}  // namespace

PairingData GeneratePairing(const Plan& plan, const OrgTree& tree, std::span<const Household> households,
                            std::span<const GeneratedCadre> cadres, const PairingOptions& options) {
    Maker maker(plan, tree, options);
    return maker.Make(households, cadres);
}

}  // namespace jz
