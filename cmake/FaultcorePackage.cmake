# SPDX-License-Identifier: GPL-2.0-only
# Installs libfaultcore with its headers, a pkg-config file and a CMake
# package.  Both are relocatable: they find the prefix from where they are.
include(CMakePackageConfigHelpers)

set(FAULTCORE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/faultcore)
install(TARGETS faultcore faultcore_shared EXPORT faultcoreTargets
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/faultcore
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT faultcoreTargets NAMESPACE faultcore:: DESTINATION ${FAULTCORE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/faultcoreConfig.cmake.in
	${CMAKE_CURRENT_BINARY_DIR}/faultcoreConfig.cmake INSTALL_DESTINATION ${FAULTCORE_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/faultcoreConfigVersion.cmake
	COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/faultcoreConfig.cmake
	${CMAKE_CURRENT_BINARY_DIR}/faultcoreConfigVersion.cmake DESTINATION ${FAULTCORE_CMAKE_DIR})

# pkg-config: faultcore is the shared library (and, with --static and
# -static, the archive); faultcore-static links the archive into a program
# that is otherwise linked dynamically.
if(FAULTBENCH_JEMALLOC)
	set(FAULTCORE_PC_JEMALLOC jemalloc)
endif()
file(RELATIVE_PATH FAULTCORE_PC_UP "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
function(faultcore_pc name kind requires requires_private libs libs_private)
	set(FAULTCORE_PC_NAME ${name})
	set(FAULTCORE_PC_KIND ${kind})
	set(FAULTCORE_PC_REQUIRES "${requires}")
	set(FAULTCORE_PC_REQUIRES_PRIVATE "${requires_private}")
	set(FAULTCORE_PC_LIBS "${libs}")
	set(FAULTCORE_PC_LIBS_PRIVATE "${libs_private}")
	configure_file(${PROJECT_SOURCE_DIR}/core/faultcore.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${name}.pc
		@ONLY)
	install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${name}.pc
		DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
faultcore_pc(faultcore shared "" "${FAULTCORE_PC_JEMALLOC}" "-L\${libdir} -lfaultcore" -pthread)
faultcore_pc(faultcore-static static "${FAULTCORE_PC_JEMALLOC}" ""
	"\${libdir}/libfaultcore.a -pthread" "")
