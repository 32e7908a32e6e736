// audit verify and head, backup, restore: the change log's hash chain and the database file.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "store/sqlite_store.h"

namespace jz::cli {
namespace {

struct AuditVerifyOptions {
    std::string head;         // an anchored head, "SEQ:HASH" or "HASH" (empty: none)
    bool chain_only = false;  // skip the replay of rows
};

struct BackupOptions {
    std::string out;
};

struct RestoreOptions {
    std::string file;
    bool force = false;
};


boost::json::value HeadJson(const ChainHead& head) { return {{"seq", head.seq}, {"hash", head.hash}}; }
std::string HeadText(const ChainHead& head) { return std::to_string(head.seq) + ":" + head.hash; }

// "SEQ:HASH" or "HASH".
Result<ChainHead> ParseHead(const std::string& text) {
    ChainHead head;
    const size_t colon = text.find(':');
    std::string hash = text;
    if (colon != std::string::npos) {
        const std::string seq = text.substr(0, colon);
        hash = text.substr(colon + 1);
        if (seq.empty() || seq.size() > 18 || !std::ranges::all_of(seq, [](char c) { return c >= '0' && c <= '9'; }))
            return Fail("usage.head", "--head", "--head 应为 序号:哈希 或 哈希: " + text,
                        "--head must be SEQ:HASH or HASH: " + text);
        head.seq = std::stoll(seq);
    }
    if (hash.size() != 64 ||
        !std::ranges::all_of(hash, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }))
        return Fail("usage.head", "--head", "链头哈希应为64位十六进制数: " + hash,
                    "the head hash must be 64 hex digits: " + hash);
    head.hash = hash;
    return head;
}

boost::json::value MismatchesJson(const ChainVerification& v) {
    boost::json::array out;
    for (const RowMismatch& m : v.mismatches) {
        boost::json::array fields;
        for (const std::string& f : m.fields) fields.emplace_back(f);
        out.push_back({{"code", m.code},
                       {"entity", m.entity},
                       {"entity_key", m.entity_key},
                       {"seq", m.seq ? boost::json::value(m.seq) : boost::json::value(nullptr)},
                       {"fields", std::move(fields)}});
    }
    return out;
}

std::string MismatchText(const RowMismatch& m) {
    std::string what;
    if (m.code == "audit.row_unlogged")
        what = "行无变更记录 row with no change-log entry";
    else if (m.code == "audit.row_missing")
        what = "记录所述的行不存在 the log says it exists, no row (last entry " + std::to_string(m.seq) + ")";
    else if (m.code == "audit.row_derived")
        what = "派生列与行不符 columns kept beside the row disagree with it";
    else
        what = "行与变更记录不符 row differs from its last entry " + std::to_string(m.seq);
    std::string fields;
    for (const std::string& f : m.fields) fields += (fields.empty() ? ": " : ", ") + f;
    return "[" + m.code + "] " + m.entity + " " + m.entity_key + " — " + what + fields;
}

}  // namespace

void AddChainHead(Store& store, boost::json::value& report) {
    auto head = store.Head();
    if (head && report.is_object()) report.as_object()["chain_head"] = HeadJson(*head);
}

void PrintChainHeadFooter(Store& store) {
    auto head = store.Head();
    if (!head) return;
    std::printf(
        "\n变更链头 Change-log head: %s\n  (留存此值,以后用 jingzhun audit verify --head 核对 / keep it; check later "
        "with jingzhun audit verify --head)\n",
        HeadText(*head).c_str());
}

int RunAuditVerify(const GlobalOptions& g, const AuditVerifyOptions& o) {
    VerifyOptions options;
    options.rows = !o.chain_only;
    if (!o.head.empty()) {
        auto head = ParseHead(o.head);
        if (!head) return ReportError(head.error());
        options.anchor = *head;
    }
    if (auto upgraded = UpgradeDatabase(g.db); !upgraded) return ReportError(upgraded.error());
    auto store = OpenSqliteStore(g.db, OpenMode::kExisting);
    if (!store) return ReportError(store.error());
    auto v = (*store)->Verify(options);
    if (!v) return ReportError(v.error());
    const ChainHead head{v->last_seq, v->last_hash};
    if (g.json) {
        boost::json::object out{
            {"intact", v->intact()},
            {"entries", v->entries},
            {"first_bad_seq", v->first_bad ? boost::json::value(*v->first_bad) : boost::json::value(nullptr)},
            {"last_hash", v->first_bad ? boost::json::value(nullptr) : boost::json::value(v->last_hash)},
            {"head", v->first_bad ? boost::json::value(nullptr) : HeadJson(head)},
            {"rows_checked", v->rows_checked},
            {"rows", v->rows},
            {"mismatch_count", v->mismatch_count},
            {"mismatches", MismatchesJson(*v)}};
        if (options.anchor)
            out["anchor"] = {{"seq", options.anchor->seq ? boost::json::value(options.anchor->seq)
                                                         : boost::json::value(nullptr)},
                             {"hash", options.anchor->hash},
                             {"found", *v->anchor_found}};
        PrintJson(out);
        return v->intact() ? kExitOk : kExitFindings;
    }
    if (v->first_bad) {
        std::printf(
            "变更记录已被篡改: 第%lld条起哈希链断开 / The change log was altered outside the program: the chain "
            "breaks at entry %lld\n",
            static_cast<long long>(*v->first_bad), static_cast<long long>(*v->first_bad));
    } else {
        std::printf("变更链完整 The change log's chain is intact: %lld entries, head %s\n",
                    static_cast<long long>(v->entries), HeadText(head).c_str());
    }
    if (options.anchor) {
        if (*v->anchor_found)
            std::printf("链头核对通过 The anchored head %s is in the chain, and nothing up to it changed\n",
                        o.head.c_str());
        else
            std::printf(
                "链头核对失败 The anchored head %s is not in the chain: entries were removed from the end, or "
                "something up to it was rewritten\n",
                o.head.c_str());
    }
    if (v->rows_checked) {
        if (v->mismatch_count == 0)
            std::printf("数据与变更记录一致 Every row agrees with the change log (%lld rows)\n",
                        static_cast<long long>(v->rows));
        else
            std::printf("数据与变更记录不符 %lld of the rows disagree with the change log:\n",
                        static_cast<long long>(v->mismatch_count));
        for (const RowMismatch& m : v->mismatches) std::printf("  %s\n", MismatchText(m).c_str());
        if (v->mismatch_count > static_cast<int64_t>(v->mismatches.size()))
            std::printf("  … %lld more\n", static_cast<long long>(v->mismatch_count - v->mismatches.size()));
    } else if (options.rows) {
        std::printf("未核对数据行 Rows not compared: the chain is broken\n");
    }
    if (v->intact())
        std::printf("完整 intact\n");
    return v->intact() ? kExitOk : kExitFindings;
}

int RunAuditHead(const GlobalOptions& g) {
    if (auto upgraded = UpgradeDatabase(g.db); !upgraded) return ReportError(upgraded.error());
    auto store = OpenSqliteStore(g.db, OpenMode::kExisting);
    if (!store) return ReportError(store.error());
    auto head = (*store)->Head();
    if (!head) return ReportError(head.error());
    if (g.json)
        PrintJson(HeadJson(*head));
    else
        std::printf("%s\n", HeadText(*head).c_str());
    return kExitOk;
}

namespace {
void PrintFindingsSummary(const ChainVerification& audit, const std::vector<std::string>& problems) {
    for (const std::string& p : problems) std::printf("  完整性 integrity: %s\n", p.c_str());
    if (audit.first_bad)
        std::printf("  变更链在第%lld条断开 the chain breaks at entry %lld\n", static_cast<long long>(*audit.first_bad),
                    static_cast<long long>(*audit.first_bad));
    for (const RowMismatch& m : audit.mismatches) std::printf("  %s\n", MismatchText(m).c_str());
}
boost::json::value AuditJson(const ChainVerification& a, const std::vector<std::string>& problems) {
    boost::json::array integrity;
    for (const std::string& p : problems) integrity.emplace_back(p);
    return {{"intact", problems.empty() && a.intact()},
            {"integrity_problems", std::move(integrity)},
            {"entries", a.entries},
            {"first_bad_seq", a.first_bad ? boost::json::value(*a.first_bad) : boost::json::value(nullptr)},
            {"head", HeadJson({a.last_seq, a.last_hash})},
            {"rows", a.rows},
            {"mismatch_count", a.mismatch_count},
            {"mismatches", MismatchesJson(a)}};
}
}  // namespace

int RunBackup(const GlobalOptions& g, const BackupOptions& o) {
    if (o.out.empty())
        return ReportError({.code = "usage.out", .field = "--out", .message_zh = "请用 --out 指定备份文件", .message_en = "give the backup file with --out"});
    auto r = BackupSqlite(g.db, o.out);
    if (!r) return ReportError(r.error());
    const bool intact = r->audit.intact();
    if (g.json) {
        PrintJson({{"out", r->path}, {"bytes", r->bytes}, {"audit", AuditJson(r->audit, r->integrity_problems)}});
    } else {
        std::printf("已备份 Backed up %s to %s (%lld bytes); copy checked: integrity ok, %lld change-log entries, "
                    "%lld rows, head %s\n",
                    g.db.c_str(), r->path.c_str(), static_cast<long long>(r->bytes),
                    static_cast<long long>(r->audit.entries), static_cast<long long>(r->audit.rows),
                    HeadText({r->audit.last_seq, r->audit.last_hash}).c_str());
        if (!intact) {
            std::printf(
                "注意 The copy is faithful, but the audit of the registry found problems (they are in the source "
                "too):\n");
            PrintFindingsSummary(r->audit, r->integrity_problems);
        }
    }
    return intact ? kExitOk : kExitFindings;
}

int RunRestore(const GlobalOptions& g, const RestoreOptions& o) {
    auto r = RestoreSqlite(o.file, g.db, o.force);
    if (!r) return ReportError(r.error());
    if (g.json) {
        PrintJson({{"restored", r->restored},
                   {"db", g.db},
                   {"kept", r->kept.empty() ? boost::json::value(nullptr) : boost::json::value(r->kept)},
                   {"households", r->households},
                   {"audit", AuditJson(r->audit, r->integrity_problems)}});
    } else if (r->restored) {
        std::printf("已恢复 Restored %s from %s: %lld households, %lld change-log entries, head %s\n", g.db.c_str(),
                    o.file.c_str(), static_cast<long long>(r->households), static_cast<long long>(r->audit.entries),
                    HeadText({r->audit.last_seq, r->audit.last_hash}).c_str());
        if (!r->kept.empty()) std::printf("  原数据库保留为 The replaced database is kept as %s\n", r->kept.c_str());
    } else {
        std::printf("未恢复 Not restored: the backup %s failed its check; %s is unchanged\n", o.file.c_str(),
                    g.db.c_str());
        PrintFindingsSummary(r->audit, r->integrity_problems);
    }
    return r->restored ? kExitOk : kExitFindings;
}
// -------------------------------------------------------------------------------- registration

void RegisterAuditCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto* audit_cmd = app.add_subcommand("audit", "The change log (audit trail)");
    audit_cmd->require_subcommand(1);
    auto audit_verify = std::make_shared<AuditVerifyOptions>();
    auto* verify_cmd = audit_cmd->add_subcommand(
        "verify",
        "Walk the change log's hash chain and replay it against the rows (exit 1 and each problem when "
        "something was altered outside the program)");
    verify_cmd->add_option("--head", audit_verify->head,
                           "A head recorded earlier (SEQ:HASH or HASH, as reports and audit head print it): "
                           "the chain must still contain it");
    verify_cmd->add_flag("--chain-only", audit_verify->chain_only, "Check the chain only, not the rows");
    registry.Runs(verify_cmd, [&g, audit_verify] { return RunAuditVerify(g, *audit_verify); });
    auto* head_cmd = audit_cmd->add_subcommand("head", "Print the change log's head (SEQ:HASH) to keep elsewhere");
    registry.Runs(head_cmd, [&g] { return RunAuditHead(g); });

    auto backup = std::make_shared<BackupOptions>();
    auto* backup_cmd = app.add_subcommand(
        "backup", "Copy the database consistently while it is in use (SQLite online backup), then check the copy");
    backup_cmd->add_option("--out", backup->out, "Backup file")->required();
    registry.Runs(backup_cmd, [&g, backup] { return RunBackup(g, *backup); });

    auto restore = std::make_shared<RestoreOptions>();
    auto* restore_cmd = app.add_subcommand(
        "restore", "Put a backup in place of the database (checked first; the old file is kept as .bak)");
    restore_cmd->add_option("file", restore->file, "Backup file (from jingzhun backup)")->required();
    restore_cmd->add_flag("--force", restore->force, "Replace an existing database");
    registry.Runs(restore_cmd, [&g, restore] { return RunRestore(g, *restore); });
}

}  // namespace jz::cli
