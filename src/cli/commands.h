// One function per subcommand: each parses nothing (main.cc owns the options), calls the layers
// below and prints. Each returns the process exit status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"

namespace jz::cli {

struct InitOptions {
    std::string plan_path;
    std::string divisions_path;
    bool force = false;
};
int RunInit(const GlobalOptions& g, const InitOptions& o);

struct GenerateOptions {
    std::string plan_path;    // empty: the default plan
    bool plan_given = false;  // --plan on the command line: match it unless --households is given
    int64_t households = 0;   // 0: match the plan
    uint64_t seed = 1;
    std::string as_of = "2017-06-30";
    std::string format;  // csv | xlsx; empty: from the --out extension
    std::string out;
};
int RunGenerate(const GlobalOptions& g, const GenerateOptions& o);

struct DemoOptions {
    std::string plan_path;
    std::string as_of = "2017-06-30";
    uint64_t seed = 2016;
    bool force = false;
};
int RunDemo(const GlobalOptions& g, const DemoOptions& o);

struct ImportOptions {
    std::string file;
    std::string errors;
    std::string sheet;
    // 0: the default of io::ImportLimits.
    int64_t max_rows = 0;
    int64_t max_cell_bytes = 0;
    int64_t time_limit = 0;  // seconds
};
int RunImport(const GlobalOptions& g, const ImportOptions& o);

struct ExportOptions {
    std::string format;
    std::string out;
    std::string division;
};
int RunExport(const GlobalOptions& g, const ExportOptions& o);

struct ProgressOptions {
    std::string as_of;  // empty: today
};
int RunReportProgress(const GlobalOptions& g, const ProgressOptions& o);

struct CheckCommandOptions {
    std::string division;
    std::string as_of;  // empty: today
    std::vector<std::string> against;
    std::vector<std::string> list_kinds;
    std::string xlsx;
};
int RunCheck(const GlobalOptions& g, const CheckCommandOptions& o);

struct ReconcileOptions {
    std::string as_of;  // empty: today
};
int RunReconcile(const GlobalOptions& g, const ReconcileOptions& o);

struct AuditVerifyOptions {
    std::string head;         // an anchored head, "SEQ:HASH" or "HASH" (empty: none)
    bool chain_only = false;  // skip the replay of rows
};
int RunAuditVerify(const GlobalOptions& g, const AuditVerifyOptions& o);
int RunAuditHead(const GlobalOptions& g);

// The change log's head as reports carry it: "chain_head": {"seq", "hash"} in their JSON, a footer
// line in their text (so an issued report anchors the chain outside the database).
void AddChainHead(Store& store, boost::json::value& report);
void PrintChainHeadFooter(Store& store);

struct BackupOptions {
    std::string out;
};
int RunBackup(const GlobalOptions& g, const BackupOptions& o);

struct RestoreOptions {
    std::string file;
    bool force = false;
};
int RunRestore(const GlobalOptions& g, const RestoreOptions& o);

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    std::string web_dir;  // empty: web/dist next to the working directory or the executable
    int threads = 0;      // 0: one per core
    bool secure_cookie = false;
    int read_timeout = 30;  // seconds for a request once it has begun
    int idle_timeout = 10;  // seconds a connection may wait for a request's first byte
    int max_connections = 0;  // 0: from the file-descriptor limit
    bool trust_proxy = false;
    std::vector<std::string> allowed_origins;
};
int RunServe(const GlobalOptions& g, const ServeOptions& o);

struct UserAddOptions {
    std::string username;
    std::string role;
    std::string scope;
    std::string password_file;  // empty: read the password from stdin
};
int RunUserAdd(const GlobalOptions& g, const UserAddOptions& o);
int RunUserList(const GlobalOptions& g);
int RunUserDisable(const GlobalOptions& g, const std::string& username);

// Dynamic management (dynamic_commands.cc, docs/dynamic-management.md). Exit statuses: 0 done, 2
// usage or unusable input (also an unknown household, case or code), 4 refused by the procedure,
// 1 the database failed.
struct ExitCandidatesOptions {
    int year = 0;
    std::string division;
    std::string as_of;  // empty: December 31 of the year
};
int RunExitCandidates(const GlobalOptions& g, const ExitCandidatesOptions& o);

int RunIncidence(const GlobalOptions& g, int year);

struct PopulationSetOptions {
    std::string code;
    int64_t persons = 0;
    int year = 0;
};
int RunPopulationSet(const GlobalOptions& g, const PopulationSetOptions& o);
int RunPopulationList(const GlobalOptions& g);

struct ProcedureListOptions {
    std::string kind;
    std::string state;
    std::string division;
    std::string household;
    std::optional<int> year;
    bool open_only = false;
};
int RunProcedureList(const GlobalOptions& g, const ProcedureListOptions& o);
int RunProcedureShow(const GlobalOptions& g, int64_t id);

struct ProcedureOpenOptions {
    std::string kind;            // new_identification | exit
    std::string household_file;  // new_identification
    std::string household;       // exit
    int year = 0;
    std::string date;
    std::string notes;
};
int RunProcedureOpen(const GlobalOptions& g, const ProcedureOpenOptions& o);

struct ProcedureStepOptions {
    int64_t id = 0;
    std::string step;
    std::string date;
    std::string outcome;
    std::string notes;
    std::vector<std::string> exclusions;
    std::vector<std::string> against;  // KIND=FILE
};
int RunProcedureStep(const GlobalOptions& g, const ProcedureStepOptions& o);

// fallback, deregister, member: one-step changes of a household.
struct ProcedureChangeOptions {
    std::string household;
    int year = 0;
    std::string date;
    std::string reason;  // fallback: text; deregister: death | moved_away | wrongly_registered
    std::string notes;
    std::string change;  // member: the change's name or code (死亡, 新生儿, ...)
    std::string id_number;
    std::string new_head;
    std::string person_file;
};
int RunProcedureFallback(const GlobalOptions& g, const ProcedureChangeOptions& o);
int RunProcedureDeregister(const GlobalOptions& g, const ProcedureChangeOptions& o);
int RunProcedureMember(const GlobalOptions& g, const ProcedureChangeOptions& o);

struct EndBufferOptions {
    int year = 0;
    std::string date;
};
int RunProcedureEndBuffer(const GlobalOptions& g, const EndBufferOptions& o);

struct AdjustmentOptions {
    int year = 0;
    bool approve = false;
    std::string date;
    std::string notes;
};
int RunAdjustment(const GlobalOptions& g, const AdjustmentOptions& o);

struct EvaluationOptions {
    int year = 0;
    int64_t size = 0;
    uint64_t seed = 0;
    int64_t id = 0;
    std::string household;
    std::string verdict;
    std::string notes;
    std::optional<int64_t> non_poor_surveyed, missed_found, approval_surveyed, approval_satisfied;
};
int RunEvaluationDraw(const GlobalOptions& g, const EvaluationOptions& o);
int RunEvaluationShow(const GlobalOptions& g, int64_t id);
int RunEvaluationList(const GlobalOptions& g);
int RunEvaluationVerdict(const GlobalOptions& g, const EvaluationOptions& o);
int RunEvaluationSurvey(const GlobalOptions& g, const EvaluationOptions& o);

}  // namespace jz::cli
