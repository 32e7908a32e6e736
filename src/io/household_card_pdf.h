// The household card (扶贫手册 / 明白卡, core/household_card.h, gathered by service/household_card.h) as PDF: a custom A4 layout on
// the PDF layer (io/pdf.h). Each card starts on a new page: the title with the QR code (the
// household's page in the workbench) at the top right, then 一 基本情况, 二 家庭成员, 三 帮扶责任人,
// 四 享受帮扶情况, 五 收入情况, 六 资产收益, 七 动态管理 — each present, with "无" when empty — and
// the signature lines (填表人, 户主签字) with date blanks. Many cards (a village's) go in one file.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "io/pdf.h"
#include "core/household_card.h"

namespace jz::io {

struct RenderedPdf {
    std::string bytes;
    int pages = 0;
};

// Draws one card onto `pdf`, starting a new page unless the current one is empty.
void DrawHouseholdCard(PdfDocument& pdf, const HouseholdCard& card);

// Every card in one PDF whose metadata title is `title`; bounded as io/pdf.h says.
Result<RenderedPdf> RenderHouseholdCardsPdf(const std::vector<HouseholdCard>& cards, const std::string& title);

}  // namespace jz::io
