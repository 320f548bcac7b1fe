/* prov-text-domain.h — the locale and the translations, for each program's main()
 *
 * Translations come from LOCALEDIR, where meson installs them. A build
 * that is not installed finds them through PROVISIONER_LOCALEDIR: `meson
 * devenv` and the tests set it to the build tree's po/ folder, so a
 * translation can be tried and tested before it is installed.
 *
 * Only the C library: the launcher (main.c) links nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

static inline void
prov_text_domain_init (void)
{
  const char *dir = getenv ("PROVISIONER_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
