// `jingzhun serve`'s settings and its configuration file (serve --config FILE; the Debian package's
// /etc/jingzhun/jingzhun.toml; keys in docs/install.md, "The configuration file").
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace jz::cli {

struct ServeOptions {
    std::string config;  // --config: a TOML file of the settings below; flags given override it
    std::string listen = "127.0.0.1:8080";
    std::string web_dir;     // empty: found as cli/resources.h says (FindWebDir)
    std::string backup_dir;  // empty: backups/ beside the database (the backup taken before an upgrade)
    int threads = 0;         // 0: one per core
    bool secure_cookie = false;
    int read_timeout = 30;    // seconds for a request once it has begun
    int idle_timeout = 10;    // seconds a connection may wait for a request's first byte
    int max_connections = 0;  // 0: from the file-descriptor limit
    bool trust_proxy = false;
    std::vector<std::string> allowed_origins;
    // The server's address as users reach it ("https://fupin.example.gov.cn"): the QR codes of the
    // printed household cards point at <public_url>/households/<code>. Empty: see docs/printing.md.
    std::string public_url;
};

// "host:port", "port" or ":port"; errors name `field`.
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& text,
                                                     const std::string& field = "--listen");

// Reads the configuration file at `path` into `options` and `db`, except the settings whose flags
// were given on the command line (`given`: option names such as "--listen", "--db"). Relative paths
// in the file are relative to the file's folder. Unknown keys, wrong types and values out of range
// are errors naming the file and the key (zh + en); nothing is applied then.
//   key              flag                type
//   listen           --listen            string "host:port"
//   database         --db                string (path)
//   web              --web               string (path)
//   backup_dir       --backup-dir        string (path)
//   threads          --threads           integer 0..256
//   max_connections  --max-connections   integer 0..1000000
//   read_timeout     --read-timeout      integer 1..3600 (seconds)
//   idle_timeout     --idle-timeout      integer 1..3600 (seconds)
//   trust_proxy      --trust-proxy       boolean
//   secure_cookie    --secure-cookie     boolean
//   allow_origin     --allow-origin      array of strings
//   public_url       --public-url        string "http(s)://host[:port][/path]" (no query)
Result<void> ApplyServeConfig(const std::string& path, const std::set<std::string>& given,
                              ServeOptions& options, std::string& db);

}  // namespace jz::cli
