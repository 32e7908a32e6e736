// Asset-income shares from the command line (资产收益扶贫, docs/shares.md): `asset add|list|show|
// dividend|dispose|import|export`, `shares reallocate|household`. Each command is thin: it reads its
// options, calls service/shares.h and prints (Chinese and English text, or the API's JSON with
// --json). Exit statuses as the assistance commands': 0 done; 2 usage or unusable input (also an
// unknown asset or household); 4 refused by the current state (an asset id taken, an asset
// disposed of, a year's dividend already declared), the rule named in brackets; 1 the database
// failed. The spreadsheet exchange of assets is io/asset_exchange.h.
#include <cstdio>
#include <tuple>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "io/asset_exchange.h"
#include "service/shares.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

Result<Date> DayOr(const std::string& text, const std::string& option) {
    if (text.empty()) return Today();
    return ParseDateOption(text, option);
}

std::string S(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_null()) return "";
    return json::serialize(v);
}

CLI::App& Parent(CLI::App& app, const std::string& name, const std::string& description) {
    for (CLI::App* sub : app.get_subcommands([&](CLI::App* a) { return a->get_name() == name; })) return *sub;
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->require_subcommand(1);
    return *cmd;
}

// ---------------------------------------------------------------------------------------- add

struct AddOptions {
    std::string id, project, kind, value, owner = "village_collective", owner_name, village, cap, date;
    int64_t total_shares = 0;
    int year = 0;
    std::optional<int> poor, village_part, cooperative, floor_rate_bp;
};

int RunAdd(const GlobalOptions& g, const AddOptions& o) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    json::object body{{"id", o.id},
                      {"kind", o.kind},
                      {"value", o.value},
                      {"owner", o.owner},
                      {"owner_name", o.owner_name},
                      {"division_code", o.village},
                      {"total_shares", o.total_shares}};
    if (!o.project.empty()) body["project_code"] = o.project;
    if (!o.cap.empty()) body["cap_per_share"] = o.cap;
    if (o.poor) body["poor_permille"] = *o.poor;
    if (o.village_part) body["village_permille"] = *o.village_part;
    if (o.cooperative) body["cooperative_permille"] = *o.cooperative;
    if (o.floor_rate_bp) body["floor_rate_bp"] = *o.floor_rate_bp;
    auto asset = service::AssetFromJson(body, s->plan);
    if (!asset) return ReportFailure(asset.error());
    auto date = DayOr(o.date, "--date");
    if (!date) return ReportError(date.error());
    const int year = o.year ? o.year : date->year;
    auto held = service::AddAsset(*s->store, s->plan, *asset, year, *date, Change(g));
    if (!held) return ReportFailure(held.error());
    if (g.json) {
        json::array holdings;
        for (const auto& [holder, n] : *held) holdings.push_back({{"holder", holder}, {"shares", n}});
        PrintJson(json::object{{"asset", service::AssetJson(*asset, s->tree, static_cast<int64_t>(held->size()))},
                               {"holdings", std::move(holdings)}});
        return kExitOk;
    }
    std::printf("已新增资产并量化 Asset added and quantified: %s, %lld 股 shares among %zu holders\n", asset->id.c_str(),
                static_cast<long long>(asset->total_shares), held->size());
    for (const auto& [holder, n] : *held) std::printf("  %s  %lld\n", holder.c_str(), static_cast<long long>(n));
    return kExitOk;
}

// --------------------------------------------------------------------------------------- list

int RunList(const GlobalOptions& g, const std::string& unit) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto assets = s->store->ListAssets(unit);
    if (!assets) return ReportFailure(assets.error());
    json::array rows;
    for (const Asset& a : *assets) {
        auto h = s->store->AssetHoldings(a.id);
        if (!h) return ReportFailure(h.error());
        rows.push_back(service::AssetJson(a, s->tree, static_cast<int64_t>(h->size())));
    }
    if (g.json) {
        PrintJson(json::object{{"assets", std::move(rows)}});
        return kExitOk;
    }
    std::printf("资产 Assets: %zu\n", rows.size());
    for (const json::value& v : rows) {
        const json::object& a = v.as_object();
        std::printf("%s  %s  %s  %s元  %s股 shares  %s holders%s\n", S(a.at("id")).c_str(), S(a.at("kind_name_zh")).c_str(),
                    S(a.at("division_name")).c_str(), S(a.at("value")).c_str(), S(a.at("total_shares")).c_str(),
                    S(a.at("holders")).c_str(), a.at("disposed").as_bool() ? "  已处置 disposed" : "");
    }
    return kExitOk;
}

// --------------------------------------------------------------------------------------- show

int RunShow(const GlobalOptions& g, const std::string& id) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto page = service::AssetDetailJson(*s->store, s->tree, id);
    if (!page) return ReportFailure(page.error());
    if (!*page)
        return ReportFailure(Error{.code = "shares.not_found", .field = "asset_id", .message_zh = "资产 " + id + " 不存在",
                                   .message_en = "no asset " + id});
    if (g.json) {
        PrintJson(**page);
        return kExitOk;
    }
    const json::object& p = **page;
    const json::object& a = p.at("asset").as_object();
    std::printf("资产 Asset %s  %s  %s %s  价值 value %s元  共 %s 股 shares%s\n", S(a.at("id")).c_str(),
                S(a.at("kind_name_zh")).c_str(), S(a.at("division_code")).c_str(), S(a.at("division_name")).c_str(),
                S(a.at("value")).c_str(), S(a.at("total_shares")).c_str(),
                a.at("disposed").as_bool() ? "  已处置 disposed" : "");
    std::printf("持股 Holdings:\n");
    for (const json::value& v : p.at("holdings").as_array())
        std::printf("  %s  %s  %s股  %s\n", S(v.at("holder")).c_str(), S(v.at("head_name")).c_str(),
                    S(v.at("shares")).c_str(), S(v.at("certificate")).c_str());
    std::printf("变动 Moves: %zu\n", p.at("moves").as_array().size());
    for (const json::value& v : p.at("moves").as_array())
        std::printf("  %s  %s → %s  %s股  %s\n", S(v.at("date")).c_str(), S(v.at("from")).c_str(), S(v.at("to")).c_str(),
                    S(v.at("shares")).c_str(), S(v.at("reason")).c_str());
    std::printf("分红 Dividends: %zu\n", p.at("dividends").as_array().size());
    for (const json::value& v : p.at("dividends").as_array())
        std::printf("  %s年  收益 income %s  分配 distributed %s  保底 floor %s\n", S(v.at("year")).c_str(),
                    S(v.at("income")).c_str(), S(v.at("distributed")).c_str(), S(v.at("floor")).c_str());
    return kExitOk;
}

// ----------------------------------------------------------------------------------- dividend

struct DividendOptions {
    std::string id, income, date;
    int year = 0;
    int measure = 0;
};

int RunDividend(const GlobalOptions& g, const DividendOptions& o) {
    const auto income = ParseCenti(o.income);
    if (!income)
        return ReportError(Error{.code = "usage.option", .field = "--income", .message_zh = "--income 应为金额(元): " + o.income,
                                 .message_en = "--income must be an amount in yuan: " + o.income});
    auto date = DayOr(o.date, "--date");
    if (!date) return ReportError(date.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto d = service::DeclareDividends(*s->store, s->plan, o.id, o.year, *income, *date, o.measure, Change(g));
    if (!d) return ReportFailure(d.error());
    if (g.json) {
        PrintJson(service::DividendJson(*d));
        return kExitOk;
    }
    std::printf("已宣告分红 Dividend declared: %s %d年, 分配 distributed %s元 to %zu holders (保底 floor %s, 运营方补足 "
                "operator shortfall %s)\n",
                o.id.c_str(), o.year, FormatCenti(d->declaration.distributed).c_str(), d->declaration.lines.size(),
                FormatCenti(d->declaration.floor).c_str(), FormatCenti(d->declaration.operator_shortfall).c_str());
    return kExitOk;
}

// ------------------------------------------------------------------------------------ dispose

struct DisposeOptions {
    std::string id, vote_date, township, county, finance, reason;
    int votes_for = 0, votes_against = 0;
};

int RunDispose(const GlobalOptions& g, const DisposeOptions& o) {
    AssetDisposal d;
    d.asset_id = o.id;
    d.votes_for = o.votes_for;
    d.votes_against = o.votes_against;
    d.reason = o.reason;
    for (auto [text, option, out] : {std::tuple{&o.vote_date, "--vote-date", &d.vote_date},
                                     std::tuple{&o.township, "--township-approved-on", &d.township_approved_on},
                                     std::tuple{&o.county, "--county-agreed-on", &d.county_agreed_on},
                                     std::tuple{&o.finance, "--finance-agreed-on", &d.finance_agreed_on}}) {
        auto parsed = ParseDateOption(*text, option);
        if (!parsed) return ReportError(parsed.error());
        *out = *parsed;
    }
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto a = service::DisposeAsset(*s->store, d, Change(g));
    if (!a) return ReportFailure(a.error());
    if (g.json) {
        PrintJson(service::AssetJson(*a, s->tree, 0));
        return kExitOk;
    }
    std::printf("资产已处置 Asset disposed of: %s\n", a->id.c_str());
    return kExitOk;
}

// --------------------------------------------------------------------------------- reallocate

int RunReallocate(const GlobalOptions& g, int year, const std::string& date_text, const std::string& asset) {
    auto date = DayOr(date_text, "--date");
    if (!date) return ReportError(date.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto out = asset.empty() ? service::ReallocateYear(*s->store, s->plan, year, *date, Change(g))
                             : service::ReallocateAsset(*s->store, s->plan, asset, year, *date, Change(g));
    if (!out) return ReportFailure(out.error());
    if (g.json) {
        json::array moves;
        for (const StoredShareMove& m : out->moves) {
            json::object o = service::MoveJson(m);
            o["asset_id"] = m.asset_id;
            moves.push_back(std::move(o));
        }
        PrintJson(json::object{{"year", out->year}, {"moves", std::move(moves)}, {"assets", out->assets}});
        return kExitOk;
    }
    std::printf("股权调整 Shares reallocated for %d: %lld assets, %zu moves\n", year, static_cast<long long>(out->assets),
                out->moves.size());
    for (const StoredShareMove& m : out->moves)
        std::printf("  %s  %s → %s  %lld股  %s\n", m.asset_id.c_str(), m.move.from.c_str(), m.move.to.c_str(),
                    static_cast<long long>(m.move.shares), m.move.reason.c_str());
    return kExitOk;
}

int RunHousehold(const GlobalOptions& g, const std::string& code) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto out = service::HouseholdSharesJson(*s->store, code);
    if (!out) return ReportFailure(out.error());
    if (g.json) {
        PrintJson(*out);
        return kExitOk;
    }
    std::printf("农户 Household %s 持股 holdings:\n", code.c_str());
    for (const json::value& v : out->at("holdings").as_array())
        std::printf("  %s  %s  %s/%s股  折合 worth %s元  %s\n", S(v.at("asset_id")).c_str(), S(v.at("kind_name_zh")).c_str(),
                    S(v.at("shares")).c_str(), S(v.at("total_shares")).c_str(), S(v.at("value_share")).c_str(),
                    S(v.at("certificate")).c_str());
    std::printf("分红 Dividends:\n");
    for (const json::value& v : out->at("dividends").as_array())
        std::printf("  %s  %s年  %s股  %s元  %s\n", S(v.at("asset_id")).c_str(), S(v.at("year")).c_str(),
                    S(v.at("shares")).c_str(), S(v.at("amount")).c_str(), S(v.at("item_code")).c_str());
    return kExitOk;
}

// ----------------------------------------------------------------------------- import/export

int RunImport(const GlobalOptions& g, const std::string& file, const std::string& errors_path,
              const std::string& date_text, int year) {
    auto date = DayOr(date_text, "--date");
    if (!date) return ReportError(date.error());
    auto rows = io::ReadAssetRows(file);
    if (!rows) return ReportError(rows.error());
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    // Each row on its own (its own transaction): a bad row is reported and the others go in.
    std::vector<std::pair<int64_t, Error>> rejected;
    int64_t added = 0;
    for (const io::AssetRow& row : *rows) {
        auto asset = service::AssetFromJson(row.body, s->plan);
        if (!asset) {
            rejected.emplace_back(row.row, asset.error());
            continue;
        }
        auto held = service::AddAsset(*s->store, s->plan, *asset, year ? year : date->year, *date, Change(g));
        if (!held) {
            if (held.error().code.starts_with("store.") && held.error().code != "store.duplicate")
                return ReportFailure(held.error());
            rejected.emplace_back(row.row, held.error());
            continue;
        }
        ++added;
    }
    const std::string errors_file = rejected.empty() ? std::string() : errors_path.empty() ? file + ".errors.csv" : errors_path;
    if (!rejected.empty())
        if (auto w = io::WriteAssetErrors(rejected, errors_file); !w) return ReportError(w.error());
    if (g.json)
        PrintJson(json::object{{"added", added},
                               {"rejected", static_cast<int64_t>(rejected.size())},
                               {"errors_file", errors_file.empty() ? json::value(nullptr) : json::value(errors_file)}});
    else
        std::printf("资产导入 Assets imported: %lld added, %zu rejected%s\n", static_cast<long long>(added),
                    rejected.size(), rejected.empty() ? "" : (" (errors: " + errors_file + ")").c_str());
    if (rejected.empty()) return kExitOk;
    return added ? kExitPartial : kExitUsage;
}

int RunExport(const GlobalOptions& g, const std::string& file, const std::string& unit) {
    auto s = OpenSession(g);
    if (!s) return ReportError(s.error());
    auto assets = s->store->ListAssets(unit);
    if (!assets) return ReportFailure(assets.error());
    auto n = io::WriteAssets(*assets, file);
    if (!n) return ReportError(n.error());
    if (g.json)
        PrintJson(json::object{{"exported", *n}, {"file", file}});
    else
        std::printf("资产导出 Assets exported: %lld to %s\n", static_cast<long long>(*n), file.c_str());
    return kExitOk;
}

}  // namespace

void RegisterSharesCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    CLI::App& asset = Parent(registry.app(), "asset", "Asset-income shares' assets (资产收益扶贫): add, list, dividends, disposal");

    auto add = std::make_shared<AddOptions>();
    auto* add_cmd = asset.add_subcommand("add", "Add an asset and quantify its shares at once among its village's poor households");
    add_cmd->add_option("--id", add->id, "The asset's code, e.g. A-001")->required();
    add_cmd->add_option("--project", add->project, "The project code that built it (an assistance item's fund_ref)");
    add_cmd->add_option("--kind", add->kind, "Kind: code or name (1 设施, 2 大棚, 3 养殖场, 4 光伏电站, 5 乡村旅游, 6 商铺, 7 宾馆, 99 其他)")
        ->required();
    add_cmd->add_option("--value", add->value, "Quantified value in yuan (decimal)")->required();
    add_cmd->add_option("--owner", add->owner, "village_collective (default) or cooperative");
    add_cmd->add_option("--owner-name", add->owner_name, "The owner's name")->required();
    add_cmd->add_option("--village", add->village, "12-digit village whose poor households hold the shares")->required();
    add_cmd->add_option("--total-shares", add->total_shares, "Number of shares (fixed)")->required();
    add_cmd->add_option("--poor-permille", add->poor, "Income split: poor households' part (‰; plan default 550)");
    add_cmd->add_option("--village-permille", add->village_part, "Income split: the village's part (‰; default 300)");
    add_cmd->add_option("--cooperative-permille", add->cooperative, "Income split: the cooperative's part (‰; default 150)");
    add_cmd->add_option("--floor-rate-bp", add->floor_rate_bp, "Guaranteed floor a year, basis points of the value (default 600)");
    add_cmd->add_option("--cap", add->cap, "Cap of the dividend per share a year, yuan");
    add_cmd->add_option("--date", add->date, "Quantification day, the certificates' issue date (default today)");
    add_cmd->add_option("--year", add->year, "The registry's year for new identifications (default: the date's)");
    registry.Runs(add_cmd, [&g, add] { return RunAdd(g, *add); });

    auto unit = std::make_shared<std::string>();
    auto* list_cmd = asset.add_subcommand("list", "List assets with their holders");
    list_cmd->add_option("--unit", *unit, "Assets of villages under this org unit");
    registry.Runs(list_cmd, [&g, unit] { return RunList(g, *unit); });

    auto show_id = std::make_shared<std::string>();
    auto* show_cmd = asset.add_subcommand("show", "An asset with its holdings, moves, dividends and disposal");
    show_cmd->add_option("id", *show_id, "The asset's code")->required();
    registry.Runs(show_cmd, [&g, show_id] { return RunShow(g, *show_id); });

    auto div = std::make_shared<DividendOptions>();
    auto* div_cmd = asset.add_subcommand(
        "dividend", "Declare a year's dividends; each household's line is posted as an assistance item (合作社入股分红, cash)");
    div_cmd->add_option("id", div->id, "The asset's code")->required();
    div_cmd->add_option("--year", div->year, "The year")->required();
    div_cmd->add_option("--income", div->income, "The asset's income of the year, yuan")->required();
    div_cmd->add_option("--date", div->date, "Declared on, the items' start date (default today)");
    div_cmd->add_option("--measure", div->measure, "The plan's measure of the items (default 1 产业扶持)");
    registry.Runs(div_cmd, [&g, div] { return RunDividend(g, *div); });

    auto dis = std::make_shared<DisposeOptions>();
    auto* dis_cmd = asset.add_subcommand("dispose", "Dispose of an asset after the villagers' vote and the approvals");
    dis_cmd->add_option("id", dis->id, "The asset's code")->required();
    dis_cmd->add_option("--vote-date", dis->vote_date, "The villagers' (representatives') vote, YYYY-MM-DD")->required();
    dis_cmd->add_option("--votes-for", dis->votes_for, "Votes for (more than half needed)")->required();
    dis_cmd->add_option("--votes-against", dis->votes_against, "Votes against")->required();
    dis_cmd->add_option("--township-approved-on", dis->township, "The township's approval")->required();
    dis_cmd->add_option("--county-agreed-on", dis->county, "The county poverty office's agreement")->required();
    dis_cmd->add_option("--finance-agreed-on", dis->finance, "The finance bureau's agreement")->required();
    dis_cmd->add_option("--reason", dis->reason, "Why")->required();
    registry.Runs(dis_cmd, [&g, dis] { return RunDispose(g, *dis); });

    struct ImportOptions {
        std::string file, errors, date;
        int year = 0;
    };
    auto imp = std::make_shared<ImportOptions>();
    auto* imp_cmd = asset.add_subcommand("import", "Import assets from a spreadsheet (.csv or .xlsx), each quantified at once");
    imp_cmd->add_option("file", imp->file, "The file (Chinese headers: docs/shares.md)")->required();
    imp_cmd->add_option("--errors", imp->errors, "Where rejected rows go (default <file>.errors.csv)");
    imp_cmd->add_option("--date", imp->date, "Quantification day (default today)");
    imp_cmd->add_option("--year", imp->year, "The registry's year (default: the date's)");
    registry.Runs(imp_cmd, [&g, imp] { return RunImport(g, imp->file, imp->errors, imp->date, imp->year); });

    struct ExportOptions {
        std::string file, unit;
    };
    auto exp = std::make_shared<ExportOptions>();
    auto* exp_cmd = asset.add_subcommand("export", "Export assets to a spreadsheet (.csv or .xlsx by the name)");
    exp_cmd->add_option("file", exp->file, "The file")->required();
    exp_cmd->add_option("--unit", exp->unit, "Assets of villages under this org unit");
    registry.Runs(exp_cmd, [&g, exp] { return RunExport(g, exp->file, exp->unit); });

    CLI::App& shares = Parent(registry.app(), "shares", "Asset-income shares: the year's reallocation, a household's shares");
    struct ReallocateOptions {
        int year = 0;
        std::string date, asset;
    };
    auto re = std::make_shared<ReallocateOptions>();
    auto* re_cmd = shares.add_subcommand(
        "reallocate", "Move the shares of households no longer poor (exited, died, deregistered, moved) to poor ones");
    re_cmd->add_option("--year", re->year, "The adjustment's year")->required();
    re_cmd->add_option("--date", re->date, "The moves' date (default today)");
    re_cmd->add_option("--asset", re->asset, "Only this asset (default every asset not disposed of)");
    registry.Runs(re_cmd, [&g, re] { return RunReallocate(g, re->year, re->date, re->asset); });

    auto code = std::make_shared<std::string>();
    auto* hh_cmd = shares.add_subcommand("household", "A household's shares and dividends");
    hh_cmd->add_option("code", *code, "Household code")->required();
    registry.Runs(hh_cmd, [&g, code] { return RunHousehold(g, *code); });
}

}  // namespace jz::cli
