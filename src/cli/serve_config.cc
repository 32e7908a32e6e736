#include "cli/serve_config.h"

#include <toml++/toml.h>  // Debian ships toml.h (toml.hpp is the newer name)

#include <charconv>
#include <filesystem>
#include <functional>
#include <map>

#include "cli/app.h"

namespace jz::cli {

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& text, const std::string& field) {
    std::string host = "127.0.0.1";
    std::string port = text;
    if (auto colon = text.rfind(':'); colon != std::string::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        if (host.empty()) host = "0.0.0.0";
    }
    int value = -1;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value < 0 || value > 65535)
        return Fail("usage.listen", field, field + " 应为 地址:端口,例如 127.0.0.1:8080: " + text,
                    field + " must be host:port, e.g. 127.0.0.1:8080: " + text);
    return std::pair{host, static_cast<uint16_t>(value)};
}

namespace {

namespace fs = std::filesystem;

// One key of the file: the flag that overrides it, and how its value is read into the options.
struct Key {
    const char* flag;
    std::function<Result<void>(const toml::node&, const std::string& field, ServeOptions&, std::string& db)>
        read;
};

Error BadValue(const std::string& field, const std::string& zh_want, const std::string& en_want) {
    return Error{.code = "config.value",
                 .field = field,
                 .message_zh = field + " 应为" + zh_want,
                 .message_en = field + " must be " + en_want};
}

// A path from the file: relative to the file's folder.
std::string PathIn(const fs::path& folder, const std::string& value) {
    const fs::path p(value);
    return p.is_absolute() ? value : (folder / p).lexically_normal().string();
}

Result<std::string> StringOf(const toml::node& n, const std::string& field) {
    const auto* s = n.as_string();
    if (!s || s->get().empty()) return std::unexpected(BadValue(field, "非空字符串", "a non-empty string"));
    return s->get();
}

Result<int> IntOf(const toml::node& n, const std::string& field, int64_t low, int64_t high) {
    const auto* i = n.as_integer();
    if (!i || i->get() < low || i->get() > high)
        return std::unexpected(
            BadValue(field, " " + std::to_string(low) + " 到 " + std::to_string(high) + " 的整数",
                     "an integer from " + std::to_string(low) + " to " + std::to_string(high)));
    return static_cast<int>(i->get());
}

Result<bool> BoolOf(const toml::node& n, const std::string& field) {
    const auto* b = n.as_boolean();
    if (!b) return std::unexpected(BadValue(field, " true 或 false", "true or false"));
    return b->get();
}

std::map<std::string, Key> Keys(const fs::path& folder) {
    auto path_key = [folder](std::string ServeOptions::*member, const char* flag) {
        return Key{flag,
                   [folder, member](const toml::node& n, const std::string& field, ServeOptions& o,
                                    std::string&) -> Result<void> {
                       auto s = StringOf(n, field);
                       if (!s) return std::unexpected(s.error());
                       o.*member = PathIn(folder, *s);
                       return {};
                   }};
    };
    auto int_key = [](int ServeOptions::*member, const char* flag, int64_t low, int64_t high) {
        return Key{flag,
                   [member, low, high](const toml::node& n, const std::string& field, ServeOptions& o,
                                       std::string&) -> Result<void> {
                       auto v = IntOf(n, field, low, high);
                       if (!v) return std::unexpected(v.error());
                       o.*member = *v;
                       return {};
                   }};
    };
    auto bool_key = [](bool ServeOptions::*member, const char* flag) {
        return Key{flag,
                   [member](const toml::node& n, const std::string& field, ServeOptions& o,
                            std::string&) -> Result<void> {
                       auto v = BoolOf(n, field);
                       if (!v) return std::unexpected(v.error());
                       o.*member = *v;
                       return {};
                   }};
    };
    std::map<std::string, Key> keys;
    keys.emplace("listen", Key{"--listen",
                               [](const toml::node& n, const std::string& field, ServeOptions& o,
                                  std::string&) -> Result<void> {
                                   auto s = StringOf(n, field);
                                   if (!s) return std::unexpected(s.error());
                                   auto l = ParseListen(*s, field);
                                   if (!l) return std::unexpected(l.error());
                                   o.listen = *s;
                                   return {};
                               }});
    keys.emplace("database", Key{"--db",
                                 [folder](const toml::node& n, const std::string& field, ServeOptions&,
                                          std::string& db) -> Result<void> {
                                     auto s = StringOf(n, field);
                                     if (!s) return std::unexpected(s.error());
                                     db = PathIn(folder, *s);
                                     return {};
                                 }});
    keys.emplace("web", path_key(&ServeOptions::web_dir, "--web"));
    keys.emplace("backup_dir", path_key(&ServeOptions::backup_dir, "--backup-dir"));
    keys.emplace("threads", int_key(&ServeOptions::threads, "--threads", 0, 256));
    keys.emplace("max_connections", int_key(&ServeOptions::max_connections, "--max-connections", 0, 1000000));
    keys.emplace("read_timeout", int_key(&ServeOptions::read_timeout, "--read-timeout", 1, 3600));
    keys.emplace("idle_timeout", int_key(&ServeOptions::idle_timeout, "--idle-timeout", 1, 3600));
    keys.emplace("trust_proxy", bool_key(&ServeOptions::trust_proxy, "--trust-proxy"));
    keys.emplace("secure_cookie", bool_key(&ServeOptions::secure_cookie, "--secure-cookie"));
    keys.emplace(
        "allow_origin",
        Key{"--allow-origin",
            [](const toml::node& n, const std::string& field, ServeOptions& o, std::string&) -> Result<void> {
                const auto* a = n.as_array();
                if (!a) return std::unexpected(BadValue(field, "字符串数组", "an array of strings"));
                std::vector<std::string> origins;
                for (size_t i = 0; i < a->size(); ++i) {
                    auto s = StringOf(*a->get(i), field + "[" + std::to_string(i) + "]");
                    if (!s) return std::unexpected(s.error());
                    origins.push_back(*s);
                }
                o.allowed_origins = std::move(origins);
                return {};
            }});
    keys.emplace("public_url",
                 Key{"--public-url",
                     [](const toml::node& n, const std::string& field, ServeOptions& o, std::string&) -> Result<void> {
                         auto s = StringOf(n, field);
                         if (!s) return std::unexpected(s.error());
                         const bool scheme = s->starts_with("http://") || s->starts_with("https://");
                         const auto rest = s->substr(s->find("//") == std::string::npos ? 0 : s->find("//") + 2);
                         if (!scheme || rest.empty() || rest.front() == '/' ||
                             rest.find_first_of("?# \"\\<>'") != std::string::npos)
                             return std::unexpected(BadValue(field, " http(s)://主机[:端口][/路径] 形式的网址",
                                                             "a URL http(s)://host[:port][/path]"));
                         o.public_url = *s;
                         return {};
                     }});
    return keys;
}

}  // namespace

Result<void> ApplyServeConfig(const std::string& path, const std::set<std::string>& given,
                              ServeOptions& options, std::string& db) {
    auto text = ReadFile(path);
    if (!text) {
        Error e = text.error();
        e.field = "--config";
        return std::unexpected(e);
    }
    toml::table root;
    try {
        root = toml::parse(*text, path);
    } catch (const toml::parse_error& e) {
        const std::string line = std::to_string(e.source().begin.line);
        const std::string what(e.description());
        return Fail("config.syntax", path + ":" + line, "配置文件第" + line + "行 TOML 语法错误: " + what,
                    "TOML syntax error at line " + line + " of the configuration file: " + what);
    }
    const fs::path folder = fs::absolute(path).parent_path();
    const auto keys = Keys(folder);
    ServeOptions read = options;
    std::string read_db = db;
    for (const auto& [key, node] : root) {
        const std::string name(key.str());
        const std::string field =
            path + ":" + std::to_string(std::max<int>(1, static_cast<int>(key.source().begin.line))) + ": " +
            name;
        auto k = keys.find(name);
        if (k == keys.end()) {
            std::string known;
            for (const auto& [n, _] : keys) known += (known.empty() ? "" : ", ") + n;
            return Fail("config.unknown_key", field, "未知的配置项 " + name + "(可用: " + known + ")",
                        "unknown key " + name + " (known: " + known + ")");
        }
        // Checked either way; applied unless its flag was given (the command line wins).
        ServeOptions ignored;
        std::string ignored_db;
        const bool overridden = given.contains(k->second.flag);
        if (auto r =
                k->second.read(node, field, overridden ? ignored : read, overridden ? ignored_db : read_db);
            !r)
            return r;
    }
    options = std::move(read);
    db = std::move(read_db);
    return {};
}

}  // namespace jz::cli
