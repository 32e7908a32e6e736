#include "io/household_card_pdf.h"

#include "core/document.h"

namespace jz::io {

namespace {

std::string Money(const std::optional<Fen>& f) { return f ? FormatFen(*f) : ""; }
std::string DateText(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

void None(PdfDocument& pdf) { pdf.Paragraph("无", 10); }

}  // namespace

void DrawHouseholdCard(PdfDocument& pdf, const HouseholdCard& c) {
    pdf.NewPage();
    const double qr = 72;
    const double top = pdf.y();
    pdf.Qr(c.qr_payload, pdf.page_width() - pdf.margin() - qr, top, qr);
    pdf.Title("精准扶贫明白卡（扶贫手册）");
    const double text_w = pdf.content_width() - qr - 10;
    pdf.TextAt(c.county + " " + c.township + " " + c.village + "    户编号：" + c.household_code, pdf.margin(),
               pdf.y(), text_w, 10);
    pdf.TextAt("截至 " + c.as_of.ToString() + (c.masked ? "（个人信息已脱敏）" : "") +
                   (c.corrected_after ? "（此后有更正，按更正后显示）" : ""), pdf.margin(), pdf.y() + 15,
               text_w, 9);
    pdf.Space(std::max(0.0, top + qr + 6 - pdf.y()));

    pdf.Heading("一、基本情况");
    pdf.Facts({{"户主", c.head_name},
               {"身份证号", c.head_id_number},
               {"联系电话", c.phone.empty() ? "无" : c.phone},
               {"家庭人口", std::to_string(c.members.size()) + " 人"},
               {"贫困户属性", c.attribute},
               {"识别标准", c.identification_standard.empty() ? "无" : c.identification_standard},
               {"主要致贫原因", c.main_cause},
               {"其他致贫原因", c.other_causes.empty() ? "无" : c.other_causes},
               {"识别年度", std::to_string(c.identified_year)},
               {"计划脱贫年度", c.planned_exit_year ? std::to_string(*c.planned_exit_year) : "无"},
               {"脱贫状态", c.status},
               {"脱贫年度", c.exit_year ? std::to_string(*c.exit_year) : "无"},
               {"人均纯收入（元）", c.net_income_per_head ? FormatFen(*c.net_income_per_head) : "无"},
               {"帮扶责任人", c.pairing_cadre.empty() ? "无" : c.pairing_cadre},
               {"主要帮扶措施", c.main_measure.empty() ? "无" : c.main_measure},
               {"辅助帮扶措施", c.aux_measures.empty() ? "无" : c.aux_measures}});

    pdf.Heading("二、家庭成员");
    if (c.members.empty()) {
        None(pdf);
    } else {
        std::vector<PdfRow> rows;
        for (const CardMember& m : c.members)
            rows.push_back({{m.name, m.relation, m.sex, m.id_number, m.birth, m.ethnicity, m.education, m.schooling,
                             m.health, m.labour, m.migrant_work}});
        pdf.Table({{"姓名"}, {"与户主关系"}, {"性别"}, {"身份证号", false, true}, {"出生日期", false, true}, {"民族"}, {"文化程度"},
                   {"在校生状况"}, {"健康状况"}, {"劳动能力"}, {"务工状况"}},
                  rows, 8);
    }

    pdf.Heading("三、帮扶责任人及变更");
    if (c.pairings.empty()) {
        None(pdf);
    } else {
        std::vector<PdfRow> rows;
        for (const CardPairing& p : c.pairings)
            rows.push_back({{p.cadre, p.unit, p.phone, p.from.ToString(), p.to ? p.to->ToString() : "至今", p.reason,
                             p.end_reason}});
        pdf.Table({{"帮扶责任人"}, {"工作单位"}, {"联系电话"}, {"起始日期", false, true}, {"结束日期", false, true}, {"结对原因"}, {"变更原因"}},
                  rows, 8);
    }

    pdf.Heading("四、享受帮扶情况");
    if (c.assistance.empty()) {
        None(pdf);
    } else {
        std::vector<PdfRow> rows;
        Fen total = 0;
        for (const CardAssistance& a : c.assistance) {
            total += a.amount.value_or(0);
            std::string periodic = a.periodic_amount ? FormatFen(*a.periodic_amount) + "/" + a.period : "";
            rows.push_back({{a.category, a.measure, a.kind, a.start_date.ToString(), DateText(a.end_date),
                             Money(a.amount), periodic, DateText(a.signed_on)}});
        }
        rows.push_back({{"合计", "", "", "", "", FormatFen(total), "", ""}, true});
        pdf.Table({{"帮扶类别"}, {"帮扶措施"}, {"帮扶方式"}, {"开始日期", false, true}, {"结束日期", false, true}, {"金额（元）", true},
                   {"定期金额（元）", true}, {"签收日期", false, true}},
                  rows, 8);
    }

    pdf.Heading("五、收入情况");
    if (c.incomes.empty()) {
        None(pdf);
    } else {
        std::vector<PdfRow> rows;
        for (const CardIncome& i : c.incomes)
            rows.push_back({{std::to_string(i.year), std::to_string(i.persons), Money(i.wage), Money(i.production),
                             Money(i.property), Money(i.transfer), Money(i.production_costs), Money(i.net_income),
                             Money(i.per_head)}});
        pdf.Table({{"年度"}, {"人数", true}, {"工资性收入", true}, {"生产经营性收入", true}, {"财产性收入", true},
                   {"转移性收入", true}, {"生产经营费用", true}, {"纯收入", true}, {"人均纯收入", true}},
                  rows, 8);
    }

    pdf.Heading("六、资产收益");
    if (c.shares.empty() && c.dividends.empty()) {
        None(pdf);
    } else {
        if (!c.shares.empty()) {
            std::vector<PdfRow> rows;
            for (const CardShare& s : c.shares)
                rows.push_back({{s.asset_id, s.kind, std::to_string(s.shares), std::to_string(s.total_shares),
                                 FormatFen(s.value_share)}});
            pdf.Table({{"资产编号"}, {"资产类别"}, {"持有股数", true}, {"总股数", true}, {"量化价值（元）", true}},
                      rows, 8);
        }
        if (!c.dividends.empty()) {
            std::vector<PdfRow> rows;
            Fen total = 0;
            for (const CardDividend& d : c.dividends) {
                total += d.amount;
                rows.push_back({{d.asset_id, std::to_string(d.year), std::to_string(d.shares), FormatFen(d.amount)}});
            }
            rows.push_back({{"合计", "", "", FormatFen(total)}, true});
            pdf.Table({{"分红资产"}, {"年度"}, {"股数", true}, {"分红（元）", true}}, rows, 8);
        }
    }

    pdf.Heading("七、动态管理");
    if (c.cases.empty()) {
        None(pdf);
    } else {
        std::vector<PdfRow> rows;
        for (const CardCase& k : c.cases) {
            std::string steps;
            for (const CardStep& s : k.steps) {
                if (!steps.empty()) steps += "；";
                steps += s.step + " " + s.date.ToString();
            }
            rows.push_back({{k.kind, std::to_string(k.year), k.state, steps}});
        }
        pdf.Table({{"事项"}, {"年度"}, {"状态"}, {"步骤及日期"}}, rows, 8);
    }

    pdf.Signatures(c.signatures);
}

Result<RenderedPdf> RenderHouseholdCardsPdf(const std::vector<HouseholdCard>& cards, const std::string& title) {
    PdfDocument pdf;
    pdf.SetTitle(title);
    for (const HouseholdCard& c : cards) DrawHouseholdCard(pdf, c);
    if (cards.empty()) pdf.Paragraph("无");
    const int pages = pdf.page_count();
    auto bytes = pdf.Finish();
    if (!bytes) return std::unexpected(bytes.error());
    return RenderedPdf{std::move(*bytes), pages};
}

}  // namespace jz::io
