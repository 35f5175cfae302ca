# What an installation adds besides the executables and their files (CMakeLists.txt), and
# the Debian package built from it all with CPack (scripts/package; see README.md).
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for the package: the configuration then goes
# to /etc/wardprint and the store to /var/lib/wardprint.
install(FILES packaging/wardprint.yaml DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/wardprint)
install(FILES packaging/wardprintd.service DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wardprint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "prints going-home leaflets for wards after spinal procedures")
set(CPACK_PACKAGE_DESCRIPTION "wardprintd takes discharge events from ward systems and prints each patient a \
personalised leaflet on the ward's printer; nurses find, preview and reprint leaflets on its web page.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "wardprint maintainers <wardprint@example.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries come from dpkg-shlibdeps; the rest is read at run time: the fonts
# the layouts name (Open Sans, DejaVu Sans) and the Noto faces names in other scripts are
# shaped with (service/shaping/shaper.cpp), the time-zone database, and adduser for postinst.
# poppler-cpp (the nurse page's page images) and libpq5 (a PostgreSQL store needs only the
# client library on each node, never a server) are shared libraries dpkg-shlibdeps finds
# too; named here as well so that the package says so even where shlibdeps is off.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "adduser, tzdata, libpoppler-cpp0v5, libpq5, fonts-open-sans, fonts-dejavu-core, fonts-noto-core, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/conffiles;${PROJECT_SOURCE_DIR}/packaging/postinst;${PROJECT_SOURCE_DIR}/packaging/prerm;${PROJECT_SOURCE_DIR}/packaging/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
