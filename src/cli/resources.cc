#include "cli/resources.h"

#include <cstdlib>
#include <filesystem>

#include "cli/app.h"

#ifndef JZ_RESOURCE_SOURCE_DIR
#define JZ_RESOURCE_SOURCE_DIR ""
#endif
#ifndef JZ_RESOURCE_BINARY_DIR
#define JZ_RESOURCE_BINARY_DIR ""
#endif

namespace jz::cli {
namespace {

namespace fs = std::filesystem;

fs::path ExecutablePath() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

// Is `path` inside `dir` (both made canonical as far as they exist)?
bool Inside(const fs::path& path, const fs::path& dir) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(path, ec);
    if (ec) return false;
    const fs::path d = fs::weakly_canonical(dir, ec);
    if (ec || d.empty()) return false;
    const fs::path rel = p.lexically_relative(d);
    return !rel.empty() && *rel.begin() != "..";
}

bool IsDirectory(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool IsFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool IsBuiltIn(const std::string& path) { return path.starts_with(std::string(kBuiltInRoot) + "/"); }

const EmbeddedFile* FindEmbedded(std::string_view name) {
    static const std::vector<EmbeddedFile> files = EmbeddedFiles();
    for (const EmbeddedFile& f : files)
        if (f.name == name) return &f;
    return nullptr;
}

std::string JoinTried(const std::vector<std::string>& tried) {
    std::string out;
    for (const std::string& t : tried) out += (out.empty() ? "" : "; ") + t;
    return out;
}

}  // namespace

std::vector<ResourceRoot> ResourceRoots() {
    std::vector<ResourceRoot> roots;
    if (const char* env = std::getenv("JINGZHUN_DATA_DIR"); env && *env && IsDirectory(env))
        roots.push_back({env, "$JINGZHUN_DATA_DIR"});
    const fs::path exe = ExecutablePath();
    if (!exe.empty()) {
        const fs::path share = (exe.parent_path() / ".." / "share" / "jingzhun").lexically_normal();
        if (IsDirectory(share)) roots.push_back({share.string(), "installed"});
        // The source tree only for the program in its own build folder: an installed or copied
        // binary must not depend on where it happened to be built.
        const std::string source = JZ_RESOURCE_SOURCE_DIR;
        const std::string binary = JZ_RESOURCE_BINARY_DIR;
        if (!source.empty() && !binary.empty() && Inside(exe, binary) && IsDirectory(source))
            roots.push_back({source, "source tree"});
    }
    return roots;
}

Result<std::string> FindResource(const std::string& path, const std::string& field) {
    if (path.empty())
        return Fail("resource.missing", field, field + " 不能为空", field + " must not be empty");
    if (IsBuiltIn(path)) {
        if (FindEmbedded(path.substr(kBuiltInRoot.size() + 1))) return path;
    } else if (IsFile(path)) {
        return path;
    }
    std::vector<std::string> tried{IsBuiltIn(path) ? path : fs::absolute(path).lexically_normal().string()};
    const fs::path rel = fs::path(path).lexically_normal();
    if (rel.is_relative() && !IsBuiltIn(path) && !rel.empty() && *rel.begin() != "..") {
        if (const char* env = std::getenv("JINGZHUN_DATA_DIR"); !env || !*env)
            tried.push_back("$JINGZHUN_DATA_DIR (unset)");
        else if (!IsDirectory(env))
            tried.push_back("$JINGZHUN_DATA_DIR=" + std::string(env) + " (not a folder)");
        for (const ResourceRoot& root : ResourceRoots()) {
            const fs::path candidate = fs::path(root.dir) / rel;
            if (IsFile(candidate)) return candidate.string();
            tried.push_back(candidate.string() + " (" + root.what + ")");
        }
        if (FindEmbedded(rel.generic_string())) return std::string(kBuiltInRoot) + "/" + rel.generic_string();
        tried.push_back("built-in files (" + std::to_string(EmbeddedFiles().size()) + ")");
    }
    return Fail("resource.missing", field, "找不到文件 " + path + ",已查找: " + JoinTried(tried),
                "no such file: " + path + "; looked in: " + JoinTried(tried));
}

Result<std::string> ReadResource(const std::string& path) {
    if (IsBuiltIn(path)) {
        if (const EmbeddedFile* f = FindEmbedded(path.substr(kBuiltInRoot.size() + 1)))
            return std::string(f->content);
        return Fail("file.missing", path, "程序内置文件中没有: " + path, "no such built-in file: " + path);
    }
    return ReadFile(path);
}

std::string FindWebDir(std::vector<std::string>* tried) {
    for (const ResourceRoot& root : ResourceRoots())
        // A source tree's web/ is the workbench's source (its index.html is Vite's entry): only
        // its built web/dist counts there.
        for (const char* sub : {"web/dist", "web"}) {
            if (root.what == "source tree" && std::string_view(sub) == "web") continue;
            const fs::path dir = fs::path(root.dir) / sub;
            if (IsFile(dir / "index.html")) return dir.string();
            if (tried) tried->push_back(dir.string());
        }
    return std::string();
}

}  // namespace jz::cli
