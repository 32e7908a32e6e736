# Run by CPack before it makes the package: a package without the web workbench is refused.
file(GLOB_RECURSE index "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/jingzhun/web/index.html")
if(NOT index)
  message(FATAL_ERROR "jingzhun: the web workbench is not built (run scripts/build-web, then cpack again)")
endif()
