// Printed documents from the command line (docs/printing.md): `card` (the household card 扶贫手册 /
// 明白卡, one household or every household of a village in one PDF) and `register` (the village
// register 村有册 or the township book 乡有簿, PDF or .xlsx). Thin: options → service → io → file.
// Exit statuses: 0 written; 2 usage or unusable input (an unknown household or unit, a bad date or
// format, a file that cannot be written); 1 the database failed. --json prints
// {"file","pages","households","bytes"}.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "io/document_pdf.h"
#include "io/household_card_pdf.h"
#include "io/pdf.h"
#include "service/household_card.h"
#include "service/registers.h"
#if __has_include("io/document_xlsx.h")
#include "io/document_xlsx.h"
#define JZ_HAVE_DOCUMENT_XLSX 1
#endif

namespace jz::cli {
namespace {
namespace json = boost::json;

Result<Date> AsOf(const std::string& text) {
    if (text.empty()) return Today();
    return ParseDateOption(text, "--as-of");
}

// Writes "<path>.tmp" then renames it over path.
Result<void> WriteBytes(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out)
            return Fail("print.write_failed", "--out", "无法写入文件 " + path, "cannot write the file " + path);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Fail("print.write_failed", "--out", "无法写入文件 " + path, "cannot write the file " + path);
    return {};
}

int Summary(const GlobalOptions& g, const std::string& file, int pages, int64_t households, size_t bytes) {
    if (g.json) {
        PrintJson(json::object{{"file", file},
                               {"pages", pages},
                               {"households", households},
                               {"bytes", static_cast<int64_t>(bytes)}});
    } else {
        std::printf("已生成 Written: %s（%d 页 pages，%lld 户 households，%zu 字节 bytes）\n", file.c_str(), pages,
                    static_cast<long long>(households), bytes);
    }
    return kExitOk;
}

struct CardOptions {
    std::string household, village, out, as_of, url = "http://localhost:8080";
    bool mask = false;
};

int RunCard(const GlobalOptions& g, const CardOptions& o) {
    if (o.household.empty() == o.village.empty())
        return ReportError(Error{.code = "print.usage", .field = "--household", .message_zh = "须给出 --household 或 --village 之一",
                                 .message_en = "give one of --household or --village"});
    auto as_of = AsOf(o.as_of);
    if (!as_of) return ReportError(as_of.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    service::CardOptions co{.as_of = *as_of, .mask = o.mask, .base_url = o.url};
    while (!co.base_url.empty() && co.base_url.back() == '/') co.base_url.pop_back();
    std::vector<HouseholdCard> cards;
    std::string title;
    if (!o.household.empty()) {
        auto c = service::BuildHouseholdCard(*s->store, s->plan, s->tree, o.household, co);
        if (!c) return ReportFailure(c.error());
        title = "扶贫手册 " + c->household_code + " " + c->head_name;
        cards.push_back(std::move(*c));
    } else {
        auto list = service::BuildVillageCards(*s->store, s->plan, s->tree, o.village, co);
        if (!list) return ReportFailure(list.error());
        cards = std::move(*list);
        title = "扶贫手册 " + NameOf(s->tree, o.village);
    }
    auto pdf = io::RenderHouseholdCardsPdf(cards, title);
    if (!pdf) return ReportFailure(pdf.error());
    if (auto w = WriteBytes(o.out, pdf->bytes); !w) return ReportError(w.error());
    return Summary(g, o.out, pdf->pages, static_cast<int64_t>(cards.size()), pdf->bytes.size());
}

struct RegisterOptions {
    std::string village, township, format, out, as_of;
    int year = 0;
    bool mask = false;
};

int RunRegister(const GlobalOptions& g, const RegisterOptions& o) {
    if (o.village.empty() == o.township.empty())
        return ReportError(Error{.code = "print.usage", .field = "--village", .message_zh = "须给出 --village 或 --township 之一",
                                 .message_en = "give one of --village or --township"});
    std::string format = o.format;
    if (format.empty()) format = std::filesystem::path(o.out).extension() == ".xlsx" ? "xlsx" : "pdf";
    if (format != "pdf" && format != "xlsx")
        return ReportError(Error{.code = "print.format", .field = "--format", .message_zh = "格式须为 pdf 或 xlsx",
                                 .message_en = "the format is pdf or xlsx"});
    auto as_of = AsOf(o.as_of);
    if (!as_of) return ReportError(as_of.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    const std::string unit = o.village.empty() ? o.township : o.village;
    if ((!o.village.empty() && unit.size() != 12) || (!o.township.empty() && unit.size() != 9))
        return ReportError(Error{.code = "register.unknown_unit", .field = o.village.empty() ? "--township" : "--village",
                                 .message_zh = unit + " 不是村(12 位)或乡镇(9 位)代码",
                                 .message_en = unit + " is not a village (12 digits) or township (9 digits) code"});
    auto doc = service::BuildRegister(*s->store, s->plan, s->tree, unit,
                                      service::RegisterOptions{.as_of = *as_of, .year = o.year, .mask = o.mask});
    if (!doc) return ReportFailure(doc.error());
    int64_t households = 0;
    if (const DocSection* sum = doc->section("summary"); sum && !sum->rows.empty())
        if (const auto* n = std::get_if<int64_t>(&sum->rows.back().cells.at(1))) households = *n;
    if (format == "xlsx") {
#ifdef JZ_HAVE_DOCUMENT_XLSX
        if (auto w = io::WriteDocumentXlsx(*doc, o.out); !w) return ReportFailure(w.error());
        std::error_code ec;
        const auto size = std::filesystem::file_size(o.out, ec);
        return Summary(g, o.out, 0, households, ec ? 0 : static_cast<size_t>(size));
#else
        return ReportError(Error{.code = "print.format", .field = "--format", .message_zh = "本版本尚不能输出 xlsx",
                                 .message_en = "this build cannot write .xlsx yet"});
#endif
    }
    auto pdf = io::RenderDocumentPdf(*doc, io::PdfLayout{.landscape = true});
    if (!pdf) return ReportFailure(pdf.error());
    if (auto w = WriteBytes(o.out, *pdf); !w) return ReportError(w.error());
    return Summary(g, o.out, io::CountPdfPages(*pdf), households, pdf->size());
}

}  // namespace

void RegisterPrintCommands(Registry& registry) {
    CLI::App& app = registry.app();
    {
        auto o = std::make_shared<CardOptions>();
        CLI::App* cmd = app.add_subcommand(
            "card", "打印扶贫手册(明白卡) Print household cards: one household, or a village's in one PDF");
        cmd->add_option("--household", o->household, "户编号 Household code");
        cmd->add_option("--village", o->village, "村代码(12 位) Village code: every household's card");
        cmd->add_option("--out", o->out, "输出 PDF Output file")->required();
        cmd->add_option("--as-of", o->as_of, "截至日期 As of (YYYY-MM-DD, default today)");
        cmd->add_option("--url", o->url, "二维码的网址前缀 Base URL of the QR code (default http://localhost:8080)");
        cmd->add_flag("--mask", o->mask, "脱敏(身份证号、出生日期、电话) Mask ID numbers, birth dates, phones");
        registry.Runs(cmd, [&registry, o] { return RunCard(registry.global(), *o); });
    }
    {
        auto o = std::make_shared<RegisterOptions>();
        CLI::App* cmd = app.add_subcommand(
            "register", "打印村有册/乡有簿 Print the village register or the township book (PDF or .xlsx)");
        cmd->add_option("--village", o->village, "村代码(12 位) Village code: the village register");
        cmd->add_option("--township", o->township, "乡镇代码(9 位) Township code: the township book");
        cmd->add_option("--format", o->format, "pdf|xlsx (default from --out's extension)");
        cmd->add_option("--out", o->out, "输出文件 Output file")->required();
        cmd->add_option("--as-of", o->as_of, "截至日期 As of (YYYY-MM-DD, default today)");
        cmd->add_option("--year", o->year, "动态变化的年度 Year of the changes (default the as-of year)");
        cmd->add_flag("--mask", o->mask, "脱敏(出生日期只显示年份) Mask birth dates");
        registry.Runs(cmd, [&registry, o] { return RunRegister(registry.global(), *o); });
    }
}

}  // namespace jz::cli
