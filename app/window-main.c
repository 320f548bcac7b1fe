/* window-main.c — provisioner-window: the GTK front end
 *
 * `provisioner` without a command becomes this program (see main.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "prov-application.h"
#include "prov-text-domain.h"

/* The demo must not touch the person's real configuration: it gets folders
 * of its own, set before GLib first looks them up. Returns whether
 * --demo was given, and removes it from @argv. */
static gboolean
take_demo_option (int   *argc,
                  char **argv)
{
  g_autofree char *base = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;
  gboolean demo = FALSE;
  int out = 1;

  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal (argv[i], "--demo"))
        demo = TRUE;
      else
        argv[out++] = argv[i];
    }
  argv[out] = NULL;
  *argc = out;

  if (!demo)
    return FALSE;

  base = g_build_filename (g_get_user_runtime_dir (), "provisioner-demo", NULL);
  config = g_build_filename (base, "config", NULL);
  /* The embedded SAP Jam starts new and empty each time: what an earlier
   * demo pushed (and its history) must not be trusted, so each session
   * keeps its state apart. The runtime folder goes at logout. */
  state = g_build_filename (base, "state-XXXXXX", NULL);
  if (g_mkdir_with_parents (base, 0700) != 0 || g_mkdtemp (state) == NULL)
    g_warning ("Could not make a state folder for the demo in %s: %s", base, g_strerror (errno));
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ProvApplication) application = NULL;
  gboolean demo;

  prov_text_domain_init ();

  demo = take_demo_option (&argc, argv);

  /* The name the desktop knows the window by (WM_CLASS, the desktop file's
   * Exec=provisioner), not this file's. */
  g_set_prgname ("provisioner");
  g_set_application_name (_("Provisioner"));

  /* Over ssh or from a timer there is no display: GTK would only warn
   * and quit. Say what works instead, and which display failed when one
   * was named (ssh -X without forwarding, a display that went away). */
  if (!gtk_init_check ())
    {
      const char *named = g_getenv ("WAYLAND_DISPLAY");

      if (named == NULL || *named == '\0')
        named = g_getenv ("DISPLAY");
      if (named != NULL && *named != '\0')
        /* Translators: %s is a display's name, such as :0 or wayland-0 */
        g_printerr (_("provisioner: The display “%s” cannot be opened. Commands work without one: see provisioner --help.\n"), named);
      else
        g_printerr ("%s\n", _("provisioner: There is no display to open the window on. Commands work without one: see provisioner --help."));
      return 1;
    }

  application = prov_application_new ();
  prov_application_set_demo (application, demo);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
