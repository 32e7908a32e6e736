// serve and user: the HTTP server and its accounts.
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/resources.h"
#include "cli/serve_config.h"
#include "server/api.h"
#include "server/auth.h"
#include "service/accounts.h"
#include "store/sqlite_store.h"

namespace jz::cli {
namespace {

struct UserAddOptions {
    std::string username;
    std::string role;
    std::string scope;
    std::string password_file;  // empty: read the password from stdin
};


Result<std::string> ReadPassword(const std::string& password_file) {
    std::string password;
    if (!password_file.empty()) {
        auto text = ReadFile(password_file);
        if (!text) return std::unexpected(text.error());
        password = *text;
    } else {
        if (isatty(STDIN_FILENO)) std::fprintf(stderr, "密码 Password: ");
        std::getline(std::cin, password);
    }
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
    if (password.empty())
        return Fail("usage.password", "password", "没有读到密码(标准输入或 --password-file)",
                    "no password was given (stdin or --password-file)");
    return password;
}

}  // namespace

int RunServe(const GlobalOptions& g, ServeOptions o, const std::set<std::string>& given) {
    // Settings: flags given > the configuration file > $JINGZHUN_DB (for the database) > defaults.
    std::string db = g.db;
    if (!o.config.empty())
        if (auto r = ApplyServeConfig(o.config, given, o, db); !r) return ReportError(r.error());
    auto listen = ParseListen(o.listen);
    if (!listen) return ReportError(listen.error());
    if (!std::filesystem::exists(db))
        return ReportError({.code = "store.missing",
                            .field = "--db",
                            .message_zh = "数据库不存在: " + db + "(用 jingzhun init --plan 或 jingzhun demo 创建)",
                            .message_en = "no database at " + db + " (create one with jingzhun init --plan, or jingzhun demo)"});
    // A database from an older version of the program: backed up as it is, then migrated
    // (docs/install.md, "Upgrade and rollback"); one newer than the program is refused.
    if (auto upgraded = UpgradeDatabase(db, o.backup_dir); !upgraded) return ReportError(upgraded.error());
    std::vector<std::string> web_tried;
    const std::string web_dir = o.web_dir.empty() ? FindWebDir(&web_tried) : o.web_dir;
    server::ApiConfig config;
    config.db_path = db;
    config.web_dir = web_dir;
    config.secure_cookie = o.secure_cookie;
    config.public_url = o.public_url;
    config.listen_host = listen->first;
    server::HttpOptions options;
    options.threads = o.threads;
    const int io_threads =
        o.threads > 0 ? o.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    // One database connection per thread that may use one — the I/O threads (point reads), the
    // work lane (as many), the blocking and login lanes — so none waits for a connection.
    config.connections = 2 * io_threads + options.blocking_threads + options.login_threads;
    auto api = server::Api::Create(config);
    if (!api) return ReportError(api.error());
    server::Router router;
    (*api)->Register(router);
    options.address = listen->first;
    options.port = listen->second;
    options.read_timeout = std::chrono::seconds(o.read_timeout);
    options.idle_timeout = std::chrono::seconds(o.idle_timeout);
    options.on_stop = [api = api->get()] { api->CancelImports(); };  // SIGTERM ends running imports
    options.max_connections = o.max_connections;
    options.trust_proxy = o.trust_proxy;
    options.allowed_origins = o.allowed_origins;
    server::HttpServer http(options, router);
    auto port = http.Listen();
    if (!port) return ReportError(port.error());
    // The first line says where: tests and scripts read it (port 0 picks a free one).
    std::string web_note = ", web " + config.web_dir;
    if (config.web_dir.empty()) {
        web_note = ", no web workbench built (looked in:";
        for (const std::string& t : web_tried) web_note += " " + t;
        web_note += web_tried.empty() ? " nowhere)" : ")";
    } else if (!std::filesystem::exists(std::filesystem::path(config.web_dir) / "index.html")) {
        web_note = ", no web workbench in " + config.web_dir;
    }
    std::printf("jingzhun: listening on http://%s:%u/ (database %s%s; at most %d connections)\n",
                options.address.c_str(), static_cast<unsigned>(*port), db.c_str(), web_note.c_str(),
                http.max_connections());
    std::fflush(stdout);
    http.Run();
    std::printf("jingzhun: stopped\n");
    return kExitOk;
}

int RunUserAdd(const GlobalOptions& g, const UserAddOptions& o) {
    auto password = ReadPassword(o.password_file);
    if (!password) return ReportError(password.error());
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    auto account = service::AddAccount(*session->store, session->tree, o.username, o.role, o.scope, *password,
                                       {g.actor, NowIso(), std::nullopt});
    if (!account) return ReportError(account.error());
    if (g.json)
        PrintJson({{"username", account->username}, {"role", account->role}, {"scope", account->scope}});
    else
        std::printf("已添加用户 Added user %s (%s, scope %s)\n", account->username.c_str(),
                    account->role.c_str(), account->scope.c_str());
    return kExitOk;
}

int RunUserList(const GlobalOptions& g) {
    if (auto upgraded = UpgradeDatabase(g.db); !upgraded) return ReportError(upgraded.error());
    auto store = OpenSqliteStore(g.db, OpenMode::kExisting);
    if (!store) return ReportError(store.error());
    auto accounts = service::ListAccounts(**store, "");
    if (!accounts) return ReportError(accounts.error());
    if (g.json) {
        boost::json::array items;
        for (const Account& a : *accounts) items.push_back(service::AccountJson(a));
        PrintJson({{"items", std::move(items)}});
        return kExitOk;
    }
    std::printf("%-20s %-10s %-14s %s\n", "用户 username", "role", "scope", "state");
    for (const Account& a : *accounts)
        std::printf("%-20s %-10s %-14s %s\n", a.username.c_str(), a.role.c_str(), a.scope.c_str(),
                    a.disabled               ? "停用 disabled"
                    : a.locked_until.empty() ? "启用 enabled"
                                             : ("锁定至 locked until " + a.locked_until).c_str());
    return kExitOk;
}

int RunUserDisable(const GlobalOptions& g, const std::string& username) {
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    Store& store = *session->store;
    auto found = service::FindAccount(store, username, "");
    if (!found) return ReportError(found.error());
    if (!*found)
        return ReportError(
            {.code = "user.missing", .field = "username", .message_zh = "没有这个用户: " + username, .message_en = "no such user: " + username});
    // As the API's PATCH {"disabled": true} by a county administrator named by --actor.
    const service::Actor actor{Role::kAdmin, g.actor, session->plan.county_code};
    auto changed =
        service::ChangeAccount(store, actor, **found, {.disabled = true}, {g.actor, NowIso(), std::nullopt});
    if (!changed) return ReportError(changed.error());
    if (g.json)
        PrintJson({{"username", username}, {"disabled", true}, {"sessions_ended", changed->sessions_ended}});
    else
        std::printf("已停用 Disabled %s; %lld sessions ended\n", username.c_str(),
                    static_cast<long long>(changed->sessions_ended));
    return kExitOk;
}


// -------------------------------------------------------------------------------- registration

void RegisterServerCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto serve = std::make_shared<ServeOptions>();
    auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API and the web workbench");
    serve_cmd->add_option("--listen", serve->listen,
                          "Address and port (default 127.0.0.1:8080; port 0: any free)");
    serve_cmd->add_option("--config", serve->config,
                          "Settings from this TOML file (listen, database, web, threads, ...; "
                          "docs/install.md); flags given override it");
    serve_cmd->add_option("--web", serve->web_dir,
                          "Directory of the built workbench (default: share/jingzhun/web of the "
                          "installation, or the source tree's web/dist)");
    serve_cmd->add_option("--backup-dir", serve->backup_dir,
                          "Where the backup taken before migrating an older database goes "
                          "(default: backups/ beside the database)");
    serve_cmd->add_option("--threads", serve->threads, "Connection threads (default: one per core)")
        ->check(CLI::Range(0, 256));
    serve_cmd
        ->add_option("--read-timeout", serve->read_timeout,
                     "Seconds to receive a whole request once its first byte arrived (default 30)")
        ->check(CLI::Range(1, 3600));
    serve_cmd
        ->add_option("--idle-timeout", serve->idle_timeout,
                     "Seconds a connection may wait for a request's first byte (default 10)")
        ->check(CLI::Range(1, 3600));
    serve_cmd->add_flag("--secure-cookie", serve->secure_cookie,
                        "Mark the session cookie Secure (behind HTTPS)");
    serve_cmd
        ->add_option("--max-connections", serve->max_connections,
                     "Open connections at most (default: the file-descriptor limit less 128, at most 10000)")
        ->check(CLI::Range(0, 1000000));
    serve_cmd->add_flag("--trust-proxy", serve->trust_proxy,
                        "Behind a reverse proxy: client address from X-Forwarded-For, HTTPS from "
                        "X-Forwarded-Proto");
    serve_cmd->add_option("--allow-origin", serve->allowed_origins,
                          "Another origin allowed to send changes, e.g. http://localhost:5173 (repeatable)");
    serve_cmd->add_option("--public-url", serve->public_url,
                          "The server's address as users reach it (QR codes of printed cards), e.g. "
                          "https://fupin.example.gov.cn");
    registry.Runs(serve_cmd, [&g, serve, serve_cmd] {
        std::set<std::string> given;
        for (const CLI::Option* opt : serve_cmd->get_options())
            if (opt->count() > 0) given.insert(opt->get_name());
        return RunServe(g, *serve, given);
    });

    auto* user_cmd = app.add_subcommand("user", "Accounts of the server");
    user_cmd->require_subcommand(1);
    auto user_add = std::make_shared<UserAddOptions>();
    auto* user_add_cmd =
        user_cmd->add_subcommand("add", "Add an account; the password is read from stdin or --password-file");
    user_add_cmd->add_option("--username", user_add->username, "Login name")->required();
    user_add_cmd->add_option("--role", user_add->role, "admin, officer, inspector or viewer")->required();
    user_add_cmd->add_option("--scope", user_add->scope, "Org-unit code the account may see")->required();
    user_add_cmd->add_option("--password-file", user_add->password_file, "Read the password from this file");
    registry.Runs(user_add_cmd, [&g, user_add] { return RunUserAdd(g, *user_add); });
    auto* user_list_cmd = user_cmd->add_subcommand("list", "List accounts");
    registry.Runs(user_list_cmd, [&g] { return RunUserList(g); });
    auto disable_name = std::make_shared<std::string>();
    auto* user_disable_cmd = user_cmd->add_subcommand("disable", "Disable an account and end its sessions");
    user_disable_cmd->add_option("username", *disable_name, "Login name")->required();
    registry.Runs(user_disable_cmd, [&g, disable_name] { return RunUserDisable(g, *disable_name); });
}
}  // namespace jz::cli
