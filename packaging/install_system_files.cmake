# Installs the systemd unit and the configuration file (run by `cmake --install` and by CPack).
# Under the prefix /usr (the Debian package) they go to /etc/jingzhun and /usr/lib/systemd/system,
# with the state in /var/lib/jingzhun; under any other prefix, everything stays inside it:
# <prefix>/etc/jingzhun/jingzhun.toml, <prefix>/lib/systemd/system/jingzhun.service, state
# <prefix>/var/lib/jingzhun. Set by the install(CODE) before this: JZ_PACKAGING_DIR, JZ_WORK_DIR,
# JZ_BINDIR, JZ_DATADIR, JZ_DOCDIR (relative to the prefix).
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(prefix STREQUAL "/usr")
  set(JZ_ETC_DIR "/etc/jingzhun")
  set(JZ_STATE_DIR "/var/lib/jingzhun")
else()
  set(JZ_ETC_DIR "${prefix}/etc/jingzhun")
  set(JZ_STATE_DIR "${prefix}/var/lib/jingzhun")
endif()
set(JZ_BIN_DIR "${prefix}/${JZ_BINDIR}")
set(JZ_DATA_DIR "${prefix}/${JZ_DATADIR}/jingzhun")
set(JZ_DOC_DIR "${prefix}/${JZ_DOCDIR}")
configure_file("${JZ_PACKAGING_DIR}/jingzhun.toml.in" "${JZ_WORK_DIR}/jingzhun.toml" @ONLY)
configure_file("${JZ_PACKAGING_DIR}/jingzhun.service.in" "${JZ_WORK_DIR}/jingzhun.service" @ONLY)
file(INSTALL DESTINATION "${JZ_ETC_DIR}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
     FILES "${JZ_WORK_DIR}/jingzhun.toml")
file(INSTALL DESTINATION "${prefix}/lib/systemd/system" TYPE FILE FILES "${JZ_WORK_DIR}/jingzhun.service")
