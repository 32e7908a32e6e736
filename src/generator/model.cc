#include "generator/model.h"

namespace jz::generator_detail {

int Code(const CodeTable& table, std::string_view name) { return table.Parse(name).value(); }

Codes ResolveCodes() {
    Codes c;
    const CodeTable& eth = codes::Ethnicity();
    c.han = Code(eth, "汉族");
    c.tibetan = Code(eth, "藏族");
    c.nu = Code(eth, "怒族");
    c.naxi = Code(eth, "纳西族");
    c.monba = Code(eth, "门巴族");
    c.lhoba = Code(eth, "珞巴族");
    const CodeTable& rel = codes::Relation();
    c.head = codes::kRelationHead;
    c.spouse = codes::kRelationSpouse;
    c.son = codes::kRelationSon;
    c.daughter = codes::kRelationDaughter;
    c.daughter_in_law = Code(rel, "之儿媳");
    c.son_in_law = Code(rel, "之女婿");
    c.grandson = Code(rel, "之孙子");
    c.granddaughter = Code(rel, "之孙女");
    c.daughters_son = Code(rel, "之外孙子");
    c.daughters_daughter = Code(rel, "之外孙女");
    c.father = Code(rel, "之父");
    c.mother = Code(rel, "之母");
    const CodeTable& edu = codes::Education();
    c.edu_illiterate = Code(edu, "文盲或半文盲");
    c.edu_primary = Code(edu, "小学");
    c.edu_junior = Code(edu, "初中");
    c.edu_senior = Code(edu, "高中");
    c.edu_college = Code(edu, "大专及以上");
    c.edu_preschool = Code(edu, "学龄前儿童");
    const CodeTable& sch = codes::Schooling();
    c.sch_none = codes::kSchoolingNone;
    c.sch_preschool = Code(sch, "学前教育");
    c.sch_primary = Code(sch, "小学");
    c.sch_college = Code(sch, "大专及以上");
    c.sch_junior = {Code(sch, "七年级"), Code(sch, "八年级"), Code(sch, "九年级")};
    c.sch_senior = {Code(sch, "高中一年级"), Code(sch, "高中二年级"), Code(sch, "高中三年级")};
    c.sch_vocational = {Code(sch, "中职一年级"), Code(sch, "中职二年级"), Code(sch, "中职三年级")};
    c.sch_higher_vocational = {Code(sch, "高职一年级"), Code(sch, "高职二年级"), Code(sch, "高职三年级")};
    c.healthy = codes::kHealthHealthy;
    c.chronic = codes::kHealthChronic;
    c.serious = codes::kHealthSerious;
    c.disabled = codes::kHealthDisabled;
    c.ordinary = codes::kLabourOrdinary;
    c.skilled = codes::kLabourSkilled;
    c.lost = codes::kLabourLost;
    c.no_labour = codes::kLabourNone;
    const CodeTable& mig = codes::MigrantWork();
    c.migrant = {Code(mig, "乡(镇)内务工"), Code(mig, "乡(镇)外县内务工"), Code(mig, "县外省内务工"),
                 Code(mig, "省外务工"), Code(mig, "其他")};
    c.ordinary_household = codes::kAttributeOrdinary;
    c.dibao = codes::kAttributeDibao;
    c.wubao = codes::kAttributeWubao;
    c.national_standard = Code(codes::IdentificationStandard(), "国家标准");
    const CodeTable& cause = codes::Cause();
    c.illness = codes::kCauseIllness;
    c.disability = codes::kCauseDisability;
    c.schooling = codes::kCauseSchooling;
    c.disaster = Code(cause, "因灾");
    c.land = Code(cause, "缺土地");
    c.water = Code(cause, "缺水");
    c.skills = Code(cause, "缺技术");
    c.labour = Code(cause, "缺劳力");
    c.capital = Code(cause, "缺资金");
    c.transport = Code(cause, "交通条件落后");
    c.drive = Code(cause, "自身发展动力不足");
    return c;
}

std::optional<Stage> StageOfPlanId(std::string_view id) {
    if (id == "kindergarten") return kStageKindergarten;
    if (id == "primary") return kStagePrimary;
    if (id == "junior") return kStageJunior;
    if (id == "senior") return kStageSenior;
    // 两后生 (left after junior or senior school) are reached through vocational training.
    if (id == "vocational" || id == "two_after") return kStageVocational;
    if (id == "university" || id == "postgraduate") return kStageUniversity;
    return std::nullopt;
}

}  // namespace jz::generator_detail
