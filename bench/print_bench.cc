// Printing (issue 17: the household cards of a village of 200 households in one PDF, ≤ 5 s):
// renders 200 cards — each with 5 members, 2 pairings, 8 assistance items, 4 years of income, a
// share, 2 dividends and 2 procedure cases, the QR code — through io/household_card_pdf.h into one
// PDF, beside the plain alternative: the same content written as CSV text (no layout, no fonts).
// The cards are built as values (core/household_card.h), so the figure is the rendering; the
// gathering from the store is timed end to end by `jingzhun card --village` (docs/benchmarks.md).
//
// Usage: build/bench/bench_print [--households N] [--out FILE.pdf]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/document.h"
#include "io/household_card_pdf.h"

namespace {

jz::HouseholdCard Card(int i) {
    jz::HouseholdCard c;
    char code[32];
    std::snprintf(code, sizeof code, "540425101201%06d", i);
    c.household_code = code;
    c.county = "察隅县";
    c.township = "竹瓦根镇";
    c.village = "竹瓦根村";
    c.village_code = "540425101201";
    c.head_name = "扎西次仁" + std::to_string(i);
    c.head_id_number = "540425198001011234";
    c.phone = "13812345678";
    c.attribute = "一般贫困户";
    c.identification_standard = "国家标准";
    c.main_cause = "缺技术";
    c.other_causes = "缺资金、因病";
    c.identified_year = 2014;
    c.planned_exit_year = 2018;
    c.status = "未脱贫";
    c.net_income_per_head = 312050;
    c.main_measure = "产业扶持";
    c.aux_measures = "转移就业、生态补偿";
    c.pairing_cadre = "李明";
    const char* names[] = {"扎西", "卓玛", "次仁", "央金", "多吉"};
    const char* relations[] = {"户主", "配偶", "之子", "之女", "之子"};
    for (int m = 0; m < 5; ++m)
        c.members.push_back({names[m] + std::to_string(i), "54042519800101123" + std::to_string(m), relations[m],
                             m % 2 ? "女" : "男", "1980-01-01", "藏族", "小学", "非在校生", "健康", "普通劳动力",
                             "乡（镇）内务工"});
    c.pairings.push_back({"李明", "县扶贫办", "13987654321", {2017, 3, 1}, std::nullopt, "驻村结对", ""});
    c.pairings.push_back({"王强", "县教育局", "13900001111", {2015, 1, 1}, jz::Date{2017, 2, 28}, "驻村结对", "工作调动"});
    for (int a = 0; a < 8; ++a)
        c.assistance.push_back({"产业(种植)", "产业扶持", "现金", {2016 + a % 3, 1 + a, 1}, std::nullopt,
                                int64_t{150000 + a * 1000}, std::nullopt, "", jz::Date{2016 + a % 3, 2 + a, 1}});
    for (int y = 2015; y < 2019; ++y)
        c.incomes.push_back({y, 5, 800000, 400000, 20000, 300000, 100000, 1420000, 284000});
    c.shares.push_back({"A-2017-1", "光伏电站", 12, 1000, 600000});
    c.dividends.push_back({"A-2017-1", 2017, 12, 36000});
    c.dividends.push_back({"A-2017-1", 2018, 12, 36000});
    c.cases.push_back({"脱贫退出", 2018, "已公告退出",
                       {{"提出", {2018, 9, 1}, "passed"}, {"民主评议", {2018, 9, 10}, "passed"},
                        {"核实", {2018, 9, 20}, "passed"}, {"公告", {2018, 11, 1}, "passed"}}});
    c.cases.push_back({"成员变更", 2017, "已办结", {{"登记", {2017, 5, 1}, "recorded"}}});
    c.qr_payload = "http://localhost:8080/households/" + c.household_code;
    c.as_of = {2018, 12, 31};
    return c;
}

std::string Csv(const std::vector<jz::HouseholdCard>& cards) {
    std::string out;
    auto line = [&](std::initializer_list<std::string> cells) {
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out += ',';
            out += c;
            first = false;
        }
        out += '\n';
    };
    for (const auto& c : cards) {
        line({c.household_code, c.head_name, c.head_id_number, c.attribute, c.main_cause, c.status});
        for (const auto& m : c.members) line({m.name, m.relation, m.sex, m.id_number, m.birth, m.health});
        for (const auto& p : c.pairings) line({p.cadre, p.unit, p.from.ToString(), p.reason});
        for (const auto& a : c.assistance) line({a.category, a.measure, a.start_date.ToString(), jz::FormatFen(*a.amount)});
        for (const auto& i : c.incomes) line({std::to_string(i.year), jz::FormatFen(*i.net_income)});
        for (const auto& s : c.shares) line({s.asset_id, std::to_string(s.shares)});
        for (const auto& d : c.dividends) line({d.asset_id, std::to_string(d.year), jz::FormatFen(d.amount)});
        for (const auto& k : c.cases) line({k.kind, std::to_string(k.year), k.state});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int n = 200;
    std::string out_path;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) n = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--out")) out_path = argv[i + 1];
    }
    std::vector<jz::HouseholdCard> cards;
    for (int i = 0; i < n; ++i) cards.push_back(Card(i));
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    auto pdf = jz::io::RenderHouseholdCardsPdf(cards, "扶贫手册 bench");
    auto t1 = clock::now();
    if (!pdf) {
        std::fprintf(stderr, "%s\n", pdf.error().ToString().c_str());
        return 1;
    }
    auto t2 = clock::now();
    std::string csv = Csv(cards);
    auto t3 = clock::now();
    if (!out_path.empty()) std::ofstream(out_path, std::ios::binary) << pdf->bytes;
    const double pdf_s = std::chrono::duration<double>(t1 - t0).count();
    const double csv_s = std::chrono::duration<double>(t3 - t2).count();
    std::printf("cards: %d households, PDF %d pages, %zu bytes: %.3f s (%.1f ms a card)\n", n, pdf->pages,
                pdf->bytes.size(), pdf_s, pdf_s * 1000 / n);
    std::printf("plain: the same content as CSV text, %zu bytes: %.4f s\n", csv.size(), csv_s);
    return 0;
}
