// The plan as data (plans/*.toml): targets by township and year, the measures and battles, the exit
// standard, poverty lines by year, and the totals the document states in its own text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/funds.h"

namespace jz {

struct PlanTownship {
    std::string code;  // 9-digit
    std::string name;
    std::map<int, int> exit_targets;  // year → people planned to exit
    int total_persons() const;
};

struct PlanBattle {
    std::string id;  // industry / infrastructure / settlement / guarantee
    std::string name;
    std::string owner;
    std::vector<std::string> units;
    std::vector<std::string> notes;  // further commitments named under the battle
};

struct PlanMeasureStage {
    std::string id;  // kindergarten, primary, ...
    std::string name;
    int persons = 0;
};

// Who a measure's person target counts (plan key `beneficiaries`): every member of the households
// that have it, or only the members it reaches.
enum class Beneficiaries {
    kHousehold,       // "household": every member (industry, relocation, credit, social security)
    kStudents,        // "students": members in school (education)
    kIll,             // "ill": members with a chronic or serious illness or a disability (medical)
    kMigrantWorkers,  // "migrant_workers": members with migrant work recorded (employment transfer)
    kAbleAdults,      // "able_adults": members aged 16-60 able to work (ecological posts)
};
std::optional<Beneficiaries> ParseBeneficiaries(std::string_view name);
std::string_view BeneficiariesName(Beneficiaries b);

struct PlanMeasure {
    int number = 0;    // 1..10
    std::string name;  // as the plan's heading writes it (微型基建扶贫)
    std::string name_en;
    std::string battle;  // PlanBattle::id
    std::optional<int> target_households;
    std::optional<int> target_persons;
    std::vector<PlanMeasureStage> stages;                    // education broken down by stage
    std::vector<std::pair<std::string, int>> other_targets;  // e.g. ecological rangers 373
    std::map<std::string, std::string> other_target_names;   // other_targets id → 生态保护员
    Beneficiaries beneficiaries = Beneficiaries::kHousehold;
};

struct PlanCondition {
    std::string id;     // food, clothing, housing, education, medical, social_security, ...
    std::string group;  // 三不愁 / 三有 / 五享有
    std::string name;
};

// A total the document states in its text, to be reconciled against the sum of its parts.
struct PlanStatedTotal {
    std::string id;
    std::string where;  // the place in the document, e.g. "五(五) 精准管理"
    std::string what;   // exit_persons / households / persons
    std::optional<int> year;
    int value = 0;
};

// How many poor households one cadre of a rank pairs with (结对帮扶, 六(二)).
struct PlanPairingQuota {
    std::string id;    // county / section_chief / deputy_section_and_below
    std::string name;  // 县级党员干部
    int households = 0;
};

// Settings of pairing (plan key [pairing]); each has a default when the plan is silent
// (assistance-practice.md "Pairing"): at least 2 visits a quarter, team members on post at least
// 20 days a month; a visit farther than visit_distance_m from the household's recorded place is
// flagged; a visit's photo is at most photo_max_bytes.
struct PlanPairing {
    int visits_per_quarter = 2;
    int visit_distance_m = 1000;
    int on_post_min_days = 20;
    int photo_max_bytes = 2 * 1024 * 1024;
};

// Settings of dynamic management (plan key [dynamic]); each has a default when the plan is silent.
struct PlanDynamic {
    int notice_days = 7;  // objection period of a village notice (公示), days
    // Years after the exit year during which policies continue (摘帽不摘政策): a household exited in
    // year E is 已脱贫(享受政策) through E + buffer_years, then 已脱贫(不再享受政策).
    int buffer_years = 3;
    double village_exit_incidence = 0.03;  // a village exits below this poverty incidence (western)
    double county_exit_incidence = 0.03;   // the county likewise; also the evaluation's veto
    double wrongful_exit_veto = 0.02;      // third-party evaluation vetoes above this 错退率
    double missed_veto = 0.02;             // ... above this 漏评率
    double approval_veto = 0.90;           // ... below this 群众认可度
};

// Settings of asset-income shares (plan key [shares], docs/shares.md); each has a default when
// the plan is silent (assistance-practice.md "Asset-income shares"): shares quantified per
// household, shares of households that leave go first to newly identified poor households of the
// village, a guaranteed floor of 6% of the quantified value a year, income split 55/30/15.
enum class ShareBasis {
    kHousehold,  // "per_household": one equal part per poor household of the village
    kPerson,     // "per_person": parts by the households' persons
};
enum class ReallocationMode {
    kNewFirst,  // "new_first": to newly identified poor households of the village (else as kEven)
    kEven,      // "even": evenly among the remaining poor households of the village
};
struct PlanShares {
    ShareBasis quantify = ShareBasis::kHousehold;
    ReallocationMode reallocation = ReallocationMode::kNewFirst;
    int floor_rate_bp = 600;  // basis points of the quantified value a year (600 = 6%)
    // Default split of an asset's income in permille: poor households / village / cooperative.
    int split_poor_permille = 550;
    int split_village_permille = 300;
    int split_cooperative_permille = 150;
};

// The submission schedule of the periodic reports (plan key [reports], docs/reports.md); each has a
// default when the plan is silent: the week's report is due on its Friday, the month's on the 5th of
// the next month, the quarter's on the 10th of the month after it, the year's on 20 January of the
// next year.
struct PlanReports {
    int weekly_due_weekday = 5;  // 1 = Monday ... 7 = Sunday, of the week reported on
    int monthly_due_day = 5;     // of the next month
    int quarterly_due_day = 10;  // of the month after the quarter
    int annual_due_month = 1;    // annual_due = "MM-DD" of the next year
    int annual_due_day = 20;
};

struct Plan {
    std::string id;
    std::string title;
    std::string document_number;
    Date issued;
    std::string county_code;  // 6-digit
    std::string county_name;
    std::string divisions_file;  // relative to the plan file
    int start_year = 0;
    int end_year = 0;
    int target_households = 0;
    int target_persons = 0;
    std::map<int, int64_t> poverty_line_fen;  // year → yuan per person per year, in fen
    std::vector<PlanTownship> townships;
    std::vector<PlanBattle> battles;
    std::vector<PlanMeasure> measures;  // ordered by number
    std::vector<PlanCondition> exit_standard;
    std::vector<PlanStatedTotal> stated_totals;
    std::vector<PlanPairingQuota> pairing_quotas;
    PlanPairing pairing;
    PlanDynamic dynamic;
    PlanShares shares;
    PlanFunds funds;  // [funds] (core/funds.h)
    PlanReports reports;  // [reports]
    // The "1456" framework's named parts: the five precision requirements and the six
    // organisational guarantees, in the document's order.
    std::vector<std::string> precision_requirements;
    std::vector<std::string> organisational_guarantees;

    const PlanMeasure* FindMeasure(int number) const;
    // A measure by number ("3"), by its heading name (微型基建扶贫), that name without a trailing
    // 扶贫 (微型基建), or its English name (case-insensitive); surrounding spaces ignored. nullopt
    // when the plan has no such measure.
    std::optional<int> ParseMeasure(std::string_view text) const;
    const PlanTownship* FindTownship(std::string_view code) const;
    const PlanBattle* FindBattle(std::string_view id) const;
    // The line in force in `year`, in fen: that year's setting, else the latest earlier one.
    std::optional<int64_t> PovertyLine(int year) const;
    // Sum over townships of the year's target.
    int ExitTarget(int year) const;
    std::vector<int> years() const;  // start_year..end_year
};

// Parses and validates a plan (docs/plan-format.md). `source` names the file in messages. A
// malformed plan is refused with an Error whose field is "<source>:<line>" and a message naming the
// key path and saying why: a syntax error, a missing or unknown key, a wrong type, a township
// outside the county, a measure number repeated or outside 1..10, a target year outside the plan's
// years, a battle that does not exist, a negative target, stages not adding up to their measure.
// Error codes: plan.syntax, plan.missing_key, plan.unknown_key, plan.type, plan.year,
// plan.county_code, plan.township_code, plan.duplicate_township, plan.measure_number,
// plan.duplicate_measure, plan.unknown_battle, plan.duplicate_battle, plan.duplicate_id,
// plan.negative, plan.stage_sum, plan.poverty_line, plan.stated_total, plan.date, plan.shares,
// plan.funds.
// Stated totals are kept as written, not checked against the sums (reconcile reports those).
Result<Plan> ParsePlan(std::string_view toml_text, std::string_view source);

}  // namespace jz
