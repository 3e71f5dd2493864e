# install() rules and the `Accord` CMake package:
#
#   cmake --install build --prefix /opt/accord
#   # consumer: find_package(Accord CONFIG REQUIRED) with
#   #   CMAKE_PREFIX_PATH=/opt/accord; link Accord::client (or Accord::proto).
#
# Installs the client library, the generated messages and stubs with their
# headers, the .proto files (share/accord/proto, for other generators) and,
# when it is built, the accord_server binary.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ACCORD_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Accord)

install(TARGETS accord_googleapis accord_proto accord_client
  EXPORT AccordTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_BINARY_DIR}/proto/gen/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/clients/cpp/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/accord
  DESTINATION ${CMAKE_INSTALL_DATADIR}/accord/proto)
install(DIRECTORY ${ACCORD_GOOGLEAPIS_PROTO_DIR}/google
  DESTINATION ${CMAKE_INSTALL_DATADIR}/accord/proto
  FILES_MATCHING PATTERN "*.proto")
if(TARGET accord_server)
  install(TARGETS accord_server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT AccordTargets NAMESPACE Accord:: DESTINATION ${ACCORD_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/AccordConfig.cmake.in
  ${PROJECT_BINARY_DIR}/AccordConfig.cmake INSTALL_DESTINATION ${ACCORD_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/AccordConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/AccordConfig.cmake
              ${PROJECT_BINARY_DIR}/AccordConfigVersion.cmake
  DESTINATION ${ACCORD_CMAKE_DIR})
