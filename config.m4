dnl config.m4 for zendmm_ext: the ZendMM 5.3 heap as a PHP 8 extension.
dnl Builds the binding (zendmm_ext.c) and the heap core (src/*.c).

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
  zendmm_core_sources=""
  for zendmm_f in $abs_srcdir/src/*.c; do
    test -f "$zendmm_f" || continue
    zendmm_f=`basename "$zendmm_f"`
    case "$zendmm_f" in
      *win32*) ;;
      *) zendmm_core_sources="$zendmm_core_sources src/$zendmm_f" ;;
    esac
  done
  if test -z "$zendmm_core_sources"; then
    AC_MSG_ERROR([zendmm_ext: no heap core sources found in $abs_srcdir/src])
  fi

  PHP_NEW_EXTENSION(zendmm_ext, zendmm_ext.c $zendmm_core_sources, $ext_shared,,
    [-std=gnu11 -fno-strict-aliasing -fvisibility=hidden -Wall -Wextra -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -I@ext_srcdir@/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_INCLUDE([$ext_srcdir/src])
fi
