/* main.c — `provisioner`: the command line, or the window
 *
 * A command (or --help, --version) runs here, in a process that never
 * loads GTK: it needs no display, and it starts in a third of the time
 * (loading GTK, libadwaita and their ninety-odd libraries was ~25 ms of
 * every command's ~37 ms). Anything else is the window: this process
 * becomes provisioner-window with the same arguments and the same pid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <locale.h>

#include "prov-cli.h"

#define WINDOW_BINARY "provisioner-window"
#define HUGE_PAGES    "glibc.malloc.hugetlb=1"

static gboolean
is_command_line (int    argc,
                 char **argv)
{
  if (argc < 2)
    return FALSE;
  return argv[1][0] != '-' ||
         g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
         g_str_equal (argv[1], "--version");
}

/* glibc backs the heap with transparent huge pages only when
 * GLIBC_TUNABLES asks, and the dynamic loader reads that once, at start.
 * A run keeps a JSON tree of every user it read, and with 4 KiB pages
 * the faults of that growing heap were a third of the CPU of reading
 * 5,000 users. TRUE when it was not asked yet (and now is, for the
 * process this one becomes); a choice made by whoever started us stays. */
static gboolean
ask_for_huge_pages (void)
{
#ifdef __GLIBC__
  const char *tunables = g_getenv ("GLIBC_TUNABLES");
  g_autofree char *asked = NULL;

  if (tunables != NULL && strstr (tunables, "glibc.malloc.hugetlb") != NULL)
    return FALSE;
  asked = tunables != NULL && *tunables != '\0' ? g_strconcat (tunables, ":" HUGE_PAGES, NULL)
                                                 : g_strdup (HUGE_PAGES);
  return g_setenv ("GLIBC_TUNABLES", asked, TRUE);
#else
  return FALSE;
#endif
}

/* The commands that read and keep thousands of users. */
static gboolean
is_heavy_command (const char *command)
{
  return g_str_equal (command, "provision") || g_str_equal (command, "sync");
}

/* Next to this binary first: that is the build tree (tests and
 * build-aux/run-app.sh run it there), then where it is installed. */
static char *
window_binary_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, WINDOW_BINARY, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_build_filename (PROV_LIBEXECDIR, WINDOW_BINARY, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *window = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (is_command_line (argc, argv))
    {
      /* Starting again costs about 15 ms (the libraries load twice); a
       * 5,000-user run saves 0.3–0.4 s. A failure only costs the pages. */
      if (is_heavy_command (argv[1]) && ask_for_huge_pages ())
        execv ("/proc/self/exe", argv);
      return prov_cli_main (argc, argv);
    }

  ask_for_huge_pages ();
  window = window_binary_path ();
  execv (window, argv);
  /* TRANSLATORS: %s is the path of a program file, then the reason. */
  g_printerr (_("Could not start the window (%s): %s\n"), window, g_strerror (errno));
  return 1;
}
