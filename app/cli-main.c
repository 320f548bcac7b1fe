/* cli-main.c — provisioner-cli: the command line
 *
 * `provisioner` with a command (or --help, --version) becomes this program
 * (see main.c). It links no GTK: it needs no display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-cli.h"
#include "prov-text-domain.h"

int
main (int   argc,
      char *argv[])
{
  prov_text_domain_init ();

  return prov_cli_main (argc, argv);
}
