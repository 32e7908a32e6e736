#include "cli/app.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/resources.h"
#include "core/id_number.h"
#include "core/layout.h"
#include "io/table.h"
#include "store/sqlite_store.h"

namespace jz::cli {

Result<std::string> ReadFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return Fail("file.missing", path, "文件不存在: " + path, "no such file: " + path);
    if (std::filesystem::is_directory(path, ec))
        return Fail("file.directory", path, path + " 是目录", path + " is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail("file.open", path, "无法读取文件: " + path, "cannot read file: " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Result<ExternalList> ReadList(const std::string& path, ListKind kind, int64_t& skipped) {
    auto text = ReadFile(path);
    if (!text) return std::unexpected(text.error());
    auto rows = io::ParseCsvText(*text);
    if (!rows) return std::unexpected(rows.error());
    ExternalList list{kind, {}};
    size_t column = 0;
    size_t first = 0;
    if (!rows->empty()) {
        const auto& header = rows->front();
        for (size_t i = 0; i < header.size(); ++i)
            if (ColumnFromHeader(header[i]) == Column::kIdNumber) {
                column = i;
                first = 1;
            }
    }
    for (size_t r = first; r < rows->size(); ++r) {
        const auto& row = (*rows)[r];
        if (row.size() <= column || TrimCell(row[column]).empty()) continue;
        auto id = ParseIdNumber(row[column]);
        if (!id) {
            ++skipped;
            continue;
        }
        list.ids.push_back(PackIdNumber(id->value));
    }
    return list;
}

Result<LoadedPlan> LoadPlanFile(const std::string& given_path, const std::string& divisions_override) {
    // Found wherever the program is installed (cli/resources.h), also when given relative.
    auto found = FindResource(given_path.empty() ? std::string(kDefaultPlan) : given_path, "--plan");
    if (!found) return std::unexpected(found.error());
    const std::string& path = *found;
    auto text = ReadResource(path);
    if (!text) return std::unexpected(text.error());
    auto plan = ParsePlan(*text, path);
    if (!plan) return std::unexpected(plan.error());
    std::string divisions;
    if (!divisions_override.empty()) {
        auto d = FindResource(divisions_override, "--divisions");
        if (!d) return std::unexpected(d.error());
        divisions = *d;
    } else {
        if (plan->divisions_file.empty())
            return Fail("plan.divisions", path, "方案未指定区划代码表(divisions),请用 --divisions 指定",
                        "the plan names no division table (divisions); give one with --divisions");
        // Relative to the plan file (for a built-in plan: among the built-in files).
        divisions =
            (std::filesystem::path(path).parent_path() / plan->divisions_file).lexically_normal().string();
    }
    auto csv_text = ReadResource(divisions);
    if (!csv_text) return std::unexpected(csv_text.error());
    auto rows = io::ParseCsvText(*csv_text);
    if (!rows) return std::unexpected(rows.error());
    auto tree = OrgTree::FromRows(*rows, plan->county_code, plan->county_name);
    if (!tree) {
        Error e = tree.error();
        e.field = divisions + (e.field.starts_with("divisions") ? e.field.substr(9) : ": " + e.field);
        return std::unexpected(e);
    }
    for (const PlanTownship& t : plan->townships)
        if (!tree->Find(t.code))
            return Fail("plan.township_unknown", path,
                        "方案中的乡镇 " + t.code + " 不在区划代码表 " + divisions + " 中",
                        "the plan's township " + t.code + " is not in the division table " + divisions);
    return LoadedPlan{std::move(*plan), std::move(*text), std::move(*tree)};
}

std::string DefaultPlanPath() { return std::string(kDefaultPlan); }

Result<void> UpgradeDatabase(const std::string& db, const std::string& backup_dir_option) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(db, ec)) return {};
    const std::string backup_dir =
        !backup_dir_option.empty() ? backup_dir_option
                                   : (std::filesystem::absolute(db).parent_path() / "backups").string();
    auto upgrade = UpgradeSqlite(db, backup_dir);
    if (!upgrade) return std::unexpected(upgrade.error());
    if (upgrade->from != upgrade->to) {
        std::fprintf(stderr,
                     "jingzhun: 数据库 %s 版本 v%d 早于本程序 v%d,已先备份到 %s(%lld 字节)/ database schema v%d "
                     "is older than this program's v%d: backed up to %s (%lld bytes)\n",
                     db.c_str(), upgrade->from, SqliteSchemaVersion(), upgrade->backup_path.c_str(),
                     static_cast<long long>(upgrade->backup_bytes), upgrade->from, SqliteSchemaVersion(),
                     upgrade->backup_path.c_str(), static_cast<long long>(upgrade->backup_bytes));
        std::fprintf(stderr, "jingzhun: 已迁移数据库 v%d → v%d / migrated the database from v%d to v%d\n",
                     upgrade->from, upgrade->to, upgrade->from, upgrade->to);
        std::fflush(stderr);
    }
    return {};
}

Result<Session> OpenSession(const GlobalOptions& options) {
    // Every command on a registry takes the same backup before migrating it as `serve` does.
    if (auto upgraded = UpgradeDatabase(options.db); !upgraded) return std::unexpected(upgraded.error());
    auto store = OpenSqliteStore(options.db, OpenMode::kExisting);
    if (!store) return std::unexpected(store.error());
    auto text = (*store)->LoadPlanText();
    if (!text) return std::unexpected(text.error());
    if (!*text)
        return Fail("store.no_plan", "db", "数据库中没有方案(请先运行 jingzhun init --plan)",
                    "the database holds no plan (run jingzhun init --plan first)");
    auto plan = ParsePlan(**text, options.db + "#plan");
    if (!plan) return std::unexpected(plan.error());
    auto tree = (*store)->LoadOrgTree();
    if (!tree) return std::unexpected(tree.error());
    return Session{std::move(*store), std::move(*plan), std::move(*tree)};
}

std::string NowIso() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// The county's day (Beijing), as the server reckons it, whatever the machine's TZ.
Date Today() {
    return Date::BeijingDayOf(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

Result<Date> ParseDateOption(const std::string& text, const std::string& option) {
    auto d = Date::Parse(text);
    if (!d)
        return Fail("usage.date", option, option + " 应为日期 YYYY-MM-DD: " + text,
                    option + " must be a date YYYY-MM-DD: " + text);
    return *d;
}

int ReportError(const Error& error) {
    std::cerr << "jingzhun: " << error.ToString() << "\n";
    return kExitUsage;
}

void PrintJson(const boost::json::value& value) { std::cout << boost::json::serialize(value) << "\n"; }

}  // namespace jz::cli
