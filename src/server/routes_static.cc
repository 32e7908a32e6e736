// The web workbench's files (web/dist), the router's fallback for paths outside /api/: a known
// file as is (or its precompressed sibling), a missing file under /assets/ 404, anything else the
// single-page app's index.html. Caching and compression: static_files.h.
#include <filesystem>

#include "server/api_state.h"
#include "server/handlers.h"
#include "server/static_files.h"

namespace jz::server::routes {

namespace fs = std::filesystem;

// The field page's service worker (web/sw-template.js). At the root, its scope is the whole
// workbench with no Service-Worker-Allowed header; `no-cache` like index.html (CacheControlFor), so
// the browser sees a new build's worker on the next visit.
const fs::path kServiceWorker = "sw.js";

Response Static(ApiState& s, RequestContext& c) {
    if (s.config.web_dir.empty() || !fs::is_directory(s.config.web_dir))
        return NotFound(c, "页面(网页工作台未构建)", "page (the web workbench is not built)");
    fs::path rel = fs::path(c.path).relative_path().lexically_normal();
    if (!rel.empty() && *rel.begin() == "..") return NotFound(c, "页面", "page");
    fs::path file = fs::path(s.config.web_dir) / rel;
    std::error_code ec;
    if (rel.empty() || !fs::is_regular_file(file, ec)) {
        // A hashed file that is not there (an old page asking for the chunks of an earlier build)
        // is an error, not the app: HTML under a script's name would fail obscurely.
        if (!rel.empty() && *rel.begin() == "assets") return NotFound(c, "文件", "file");
        // Nor is a missing service worker the app (a workbench built without it): the browser
        // would keep retrying a worker that is HTML.
        if (rel == kServiceWorker) return NotFound(c, "文件", "file");
        rel = "index.html";
        file = fs::path(s.config.web_dir) / rel;
    }
    auto res = StaticFile(c.request, file, CacheControlFor(rel.generic_string()));
    if (!res) return NotFound(c, "页面", "page");
    return std::move(*res);
}

}  // namespace jz::server::routes
