// One function per subcommand: each parses nothing (main.cc owns the options), calls the layers
// below and prints. Each returns the process exit status.
#pragma once

#include <string>

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

int RunAuditVerify(const GlobalOptions& g);

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    std::string web_dir;  // empty: web/dist next to the working directory or the executable
    int threads = 0;      // 0: one per core
    bool secure_cookie = false;
    int read_timeout = 30;  // seconds for a request once it has begun
    int idle_timeout = 60;  // seconds a kept-alive connection may wait for its next request
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

}  // namespace jz::cli
