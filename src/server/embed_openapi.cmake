file(READ ${IN} content)
# A char array sized by the compiler (not a constexpr string_view, whose length GCC counts in a
# constexpr loop capped at 262,144 iterations: the document is larger).
file(WRITE ${OUT} "// Generated from openapi.json by embed_openapi.cmake.\n#include <string_view>\nnamespace jz::server {\nstd::string_view OpenApiDocument() {\n    static const char kDocument[] = R\"jzopenapi(${content})jzopenapi\";\n    return std::string_view(kDocument, sizeof kDocument - 1);\n}\n}  // namespace jz::server\n")
