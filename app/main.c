/* main.c — `provisioner`: the command line, or the window
 *
 * A launcher that links the C library alone: it picks the program and
 * becomes it, with the same arguments and the same pid. A command (or
 * --help, --version) is provisioner-cli, which never loads GTK: it needs
 * no display, and it starts in a third of the time (loading GTK,
 * libadwaita and their ninety-odd libraries was ~25 ms of every command's
 * ~37 ms). Anything else is provisioner-window.
 *
 * Huge pages for the heap are asked for here too. glibc reads
 * GLIBC_TUNABLES once, at start: asked by the program itself, it had to
 * start again and load every library it links a second time (~12 ms of
 * every `provision`); asked by a launcher that loads none, it costs
 * nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE   /* asprintf */
#include "config.h"

#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prov-text-domain.h"

#define CLI_BINARY    "provisioner-cli"
#define WINDOW_BINARY "provisioner-window"
#define HUGE_PAGES    "glibc.malloc.hugetlb=1"

static int
is_command_line (int    argc,
                 char **argv)
{
  if (argc < 2)
    return 0;
  return argv[1][0] != '-' ||
         strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
         strcmp (argv[1], "--version") == 0;
}

/* The commands that read and keep thousands of users, and the window. */
static int
wants_huge_pages (int    argc,
                  char **argv)
{
  return !is_command_line (argc, argv) ||
         strcmp (argv[1], "provision") == 0 || strcmp (argv[1], "sync") == 0;
}

/* A run keeps a JSON tree of every user it read, and with 4 KiB pages
 * the faults of that growing heap were a third of the CPU of reading
 * 5,000 users. A choice made by whoever started us stays. */
static void
ask_for_huge_pages (void)
{
#ifdef __GLIBC__
  const char *tunables = getenv ("GLIBC_TUNABLES");
  char *asked = NULL;

  if (tunables != NULL && strstr (tunables, "glibc.malloc.hugetlb") != NULL)
    return;
  if (tunables != NULL && *tunables != '\0')
    {
      if (asprintf (&asked, "%s:%s", tunables, HUGE_PAGES) < 0)
        return;
    }
  else
    asked = strdup (HUGE_PAGES);
  if (asked != NULL)
    setenv ("GLIBC_TUNABLES", asked, 1);
  free (asked);
#endif
}

/* Next to this launcher first: that is the build tree (tests and
 * build-aux/run-app.sh run it there), then where it is installed. */
static void
program_path (const char *name,
              char       *path,
              size_t      size)
{
  char self[PATH_MAX];
  ssize_t length = readlink ("/proc/self/exe", self, sizeof self - 1);
  char *slash;

  if (length > 0)
    {
      self[length] = '\0';
      if ((slash = strrchr (self, '/')) != NULL)
        {
          *slash = '\0';
          if (snprintf (path, size, "%s/%s", self, name) < (int) size && access (path, X_OK) == 0)
            return;
        }
    }
  snprintf (path, size, "%s/%s", PROV_LIBEXECDIR, name);
}

int
main (int   argc,
      char *argv[])
{
  char path[PATH_MAX];

  if (argc < 1)
    return 2;

  if (wants_huge_pages (argc, argv))
    ask_for_huge_pages ();
  program_path (is_command_line (argc, argv) ? CLI_BINARY : WINDOW_BINARY, path, sizeof path);
  execv (path, argv);

  prov_text_domain_init ();
  /* TRANSLATORS: %s is the path of a program file, then the reason. */
  fprintf (stderr, gettext ("Could not start %s: %s\n"), path, strerror (errno));
  return 1;
}
