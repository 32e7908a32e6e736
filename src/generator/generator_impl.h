// The generator's one implementation (internal to src/generator/), declared here because its
// parts live in several files:
//   generator.cc      construction, Create, spread mode's setup and the output loop (Next)
//   match_targets.cc  match mode's setup: households, sizes and villages, measures, exits
//   match_members.cc  match mode's members: families drawn and conformed to exact counts
//   match_students.cc match mode's schooling: the education measure's stages and total
//   households.cc     a household's members, its needs and its own fields (Finish)
//   families.cc       family structure: relations, sexes and ages
//   persons.cc        a person's ID number, name, schooling, health, labour and migrant work
// An instance is used by one thread at a time; it keeps copies of what it needs from the plan.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "generator/generator.h"
#include "generator/model.h"
#include "generator/random.h"
#include "generator/used_ids.h"

namespace jz::generator_detail {

class GeneratorImpl final : public Generator {
  public:
    GeneratorImpl(const Plan& plan, const GeneratorOptions& options, std::string county_code);

    bool Next(Household& out) override;
    int64_t total_households() const override { return total_; }
    std::span<const GeneratedCadre> cadres() const override { return cadres_; }

    // Setup, called by Create.
    Result<bool> SetUpMatch(const Plan& plan, const OrgTree& tree, std::vector<Village> villages);
    void SetUpSpread(const Plan& plan, std::vector<Village> villages, int64_t households);

  private:
    bool HasUntargeted(int number) const {
        for (const MeasureInfo& m : measures_)
            if (m.number == number) return !m.targeted;
        return false;
    }
    void Fill(Household& out, const Village& village, int64_t sequence, int width, int year, int size,
              uint32_t measures);
    void SetCode(Household& h, const Village& village, int64_t sequence, int width);
    void DrawMembers(Household& h, const Village& village, int size, const Needs& needs, int& able_index);
    void ApplyNeeds(Household& h, const Needs& needs, int able_index);
    void Finish(Household& h, int year, uint32_t measures, const Needs& needs, const Spec* spec);
    Needs NeedsOf(uint32_t measures) const;
    int MeasureOfKind(Beneficiaries kind) const;

    // Match mode.
    std::vector<int> DrawHouseholds(int count, std::optional<int64_t> persons);
    void GiveEveryHouseholdAMeasure();
    void SpreadReach(Beneficiaries kind, int Reach::*field);
    void PlanExits();
    void DrawMatchedMembers(size_t index, Reach& carried);
    int Conform(Household& h, Spec& spec, const Needs& needs, int able_index);
    void MatchStudents();
    void MakeWorker(Person& p, int age);
    int MakeNonWorker(Person& p, int age);
    void Relabour(Person& p, int age, bool may_work);
    void Enrol(Person& p, Stage stage, int age);
    void Unenrol(Person& p, int age);
    std::optional<Stage> StageOf(int schooling) const;
    void BuildFamily(int size, const Needs& needs, int& able_index);
    void FillPerson(Person& p, const Draft& d, int ethnicity, bool han_name, std::string_view surname);
    void SetSchoolingAndEducation(Person& p, int age);
    void SetLabour(Person& p, int age);
    void SetMigrant(Person& p);
    int NonStudentEducation(int age);
    void AssignId(Person& p, double age);
    void TibetanName(std::string& out, int sex);
    void HanGiven(std::string& out, int sex);
    void CadreName(std::string& out);
    void ChildAges(double mother_age, int count, double* ages);
    void AddChildren(double mother_age, int count, int son_relation, int daughter_relation);

    GeneratorOptions options_;
    Codes codes_;
    Rng rng_;
    std::string county_code_;
    std::string former_code_;
    UsedIds used_;
    std::optional<int64_t> poverty_line_;
    std::map<int, int64_t> exit_lines_;  // year → the line an exit in that year is checked against
    std::vector<MeasureInfo> measures_;
    // By Beneficiaries: the measure whose person target counts that kind of member.
    std::array<std::optional<PlanMeasure>, kBeneficiaryKinds> reach_measure_;
    Date window_first_;
    Date window_last_;
    std::vector<int> pairing_quotas_;
    std::vector<std::string> pairing_quota_ids_;  // index-aligned with pairing_quotas_

    std::vector<Village> villages_;
    int64_t total_ = 0;
    int64_t produced_ = 0;

    // Match mode: the specs in output order. Spread mode: households per village and the draws.
    bool match_ = false;
    std::vector<Spec> specs_;
    std::vector<Household> drawn_;  // members of each spec, drawn in setup
    bool floor_chosen_ = false;     // the 低保/五保 households are specs' social_floor
    std::vector<int64_t> village_counts_;
    std::vector<int> years_;
    std::vector<double> year_weights_;
    std::vector<double> measure_probability_;  // by index into measures_

    // Position in the output.
    size_t village_ = 0;
    int64_t in_village_ = 0;

    // Pairing cadre of the village, kept for as many households as the cadre's quota.
    std::string cadre_;
    int cadre_left_ = 0;
    // With options_.cadres: every cadre so far, and their names (kept distinct).
    std::vector<GeneratedCadre> cadres_;
    std::unordered_set<std::string> cadre_names_;

    std::vector<Draft> drafts_;
};

}  // namespace jz::generator_detail
