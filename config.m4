dnl config.m4 for zendmm_ext: the ZendMM 5.3 heap as a PHP 8 extension.
dnl Builds the binding (zendmm_ext.c, binding/*.c) and the heap core (src/*/*.c).

PHP_ARG_ENABLE([zendmm_ext],
  [whether to enable zendmm_ext support],
  [AS_HELP_STRING([--enable-zendmm_ext],
    [Enable zendmm_ext: the PHP 5.3 Zend memory manager as a separate heap])],
  [no])

if test "$PHP_ZENDMM_EXT" != "no"; then
  AC_DEFINE(HAVE_ZENDMM_EXT, 1, [Whether zendmm_ext is enabled])

  dnl -fvisibility=hidden: only get_module is exported (ZEND_DLEXPORT), so calls
  dnl between the core's files are direct instead of going through the PLT.
  dnl Every C file of the heap core, except the Windows-only storage.
  dnl src/ holds one folder per subsystem (INTERNALS.md): each is an include
  dnl directory, so the sources name their headers without paths.
  zendmm_subdirs="core storage heapmap trace sites lib"
  zendmm_core_sources=""
  zendmm_includes="-I@ext_srcdir@"
  for zendmm_d in $zendmm_subdirs; do
    zendmm_includes="$zendmm_includes -I@ext_srcdir@/src/$zendmm_d"
    for zendmm_f in $abs_srcdir/src/$zendmm_d/*.c; do
      test -f "$zendmm_f" || continue
      zendmm_f=`basename "$zendmm_f"`
      case "$zendmm_f" in
        *win32*) ;;
        *) zendmm_core_sources="$zendmm_core_sources src/$zendmm_d/$zendmm_f" ;;
      esac
    done
  done
  if test -z "$zendmm_core_sources"; then
    AC_MSG_ERROR([zendmm_ext: no heap core sources found in $abs_srcdir/src])
  fi

  dnl The binding: the front door zendmm_ext.c and the groups of userland
  dnl functions in binding/ (binding/binding.h), each file of the folder, and
  dnl the features that take a folder of their own (binding/engine/).
  zendmm_binding_dirs="binding binding/engine"
  zendmm_binding_sources=""
  for zendmm_d in $zendmm_binding_dirs; do
    for zendmm_f in $abs_srcdir/$zendmm_d/*.c; do
      test -f "$zendmm_f" || continue
      zendmm_binding_sources="$zendmm_binding_sources $zendmm_d/`basename "$zendmm_f"`"
    done
  done
  if test -z "$zendmm_binding_sources"; then
    AC_MSG_ERROR([zendmm_ext: no binding sources found in $abs_srcdir/binding])
  fi

  dnl the engine heap (zendmm_ext.engine=1) tells memcheck about its blocks
  dnl when valgrind's client-request header is there (binding/engine/engine_valgrind.h)
  AC_CHECK_HEADERS([valgrind/memcheck.h])

  PHP_NEW_EXTENSION(zendmm_ext, zendmm_ext.c $zendmm_binding_sources $zendmm_core_sources, $ext_shared,,
    [-std=gnu11 -fno-strict-aliasing -fvisibility=hidden -Wall -Wextra -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 $zendmm_includes])
  for zendmm_d in $zendmm_binding_dirs; do
    PHP_ADD_BUILD_DIR([$ext_builddir/$zendmm_d])
  done
  for zendmm_d in $zendmm_subdirs; do
    PHP_ADD_BUILD_DIR([$ext_builddir/src/$zendmm_d])
  done
fi
