file(READ ${IN} content)
file(WRITE ${OUT} "// Generated from openapi.json by embed_openapi.cmake.\n#include <string_view>\nnamespace jz::server {\nstd::string_view OpenApiDocument() {\n    static constexpr std::string_view kDocument = R\"jzopenapi(${content})jzopenapi\";\n    return kDocument;\n}\n}  // namespace jz::server\n")
