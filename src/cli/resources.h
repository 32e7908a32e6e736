// Where the program finds its own files — the plans (plans/), the division tables (data/) and the
// web workbench — wherever it is installed (docs/install.md, "Where the files are").
//
// A relative name such as "plans/chayu-2016.toml" is looked for, in order:
//   1. as given, relative to the working directory (an explicit --plan, --divisions, --web);
//   2. under $JINGZHUN_DATA_DIR, when set;
//   3. under <exe dir>/../share/jingzhun (an installed program: /usr/bin/jingzhun finds
//      /usr/share/jingzhun; found through /proc/self/exe, so symlinks to the binary work too);
//   4. under the source tree the program was built from, only while it runs from its build folder;
//   5. among the files built into the program (every plans/*.toml and data/*.csv of the source tree
//      at build time), named "<built-in>/plans/chayu-2016.toml".
// The web workbench is a directory, so it has no built-in copy: <root>/web/dist or <root>/web
// (installed), whichever holds an index.html first (in a source tree only web/dist: its web/ is the
// workbench's source).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace jz::cli {

// The plan `demo` and `generate` use when none is given.
inline constexpr std::string_view kDefaultPlan = "plans/chayu-2016.toml";
// The prefix of the files built into the program.
inline constexpr std::string_view kBuiltInRoot = "<built-in>";

struct ResourceRoot {
    std::string dir;
    std::string what;  // how it was found, for messages: "$JINGZHUN_DATA_DIR", "installed", "source tree"
};

// The directories searched (steps 2 to 4 above), in order; only those that exist.
std::vector<ResourceRoot> ResourceRoots();

// Resolves a file: `path` itself when it exists (absolute, or relative to the working directory);
// else, when relative, the first root that holds it, then the built-in copy. Error
// "resource.missing" (field `field`) names the file and every place looked in.
Result<std::string> FindResource(const std::string& path, const std::string& field);

// Reads a file FindResource returned (a "<built-in>/..." one from the program itself).
Result<std::string> ReadResource(const std::string& path);

// The web workbench when --web (or the config's web) is not given: the first root's web/dist/ or
// web/ holding an index.html; else empty, with the places looked in added to `tried`.
std::string FindWebDir(std::vector<std::string>* tried = nullptr);

// The files built into the program (generated at build time from plans/ and data/).
struct EmbeddedFile {
    std::string_view name;  // relative to the source tree, e.g. "plans/chayu-2016.toml"
    std::string_view content;
};
std::vector<EmbeddedFile> EmbeddedFiles();

}  // namespace jz::cli
