/* prov-cli-secret.c — reading a secret without putting it in argv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "prov-cli-secret.h"
#include "prov-error.h"

static char *
read_line (FILE *stream)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = fgetc (stream)) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    return NULL;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
prov_cli_read_secret_stdin (GError **error)
{
  char *secret = read_line (stdin);

  if (secret == NULL)
    g_set_error_literal (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                         _("--secret-stdin was given, but standard input is empty."));
  return secret;
}

gboolean
prov_cli_stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

char *
prov_cli_prompt_secret (const char *prompt)
{
  struct termios saved, quiet;
  char *secret;

  if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &saved) != 0)
    return NULL;

  fprintf (stderr, "%s: ", prompt);
  fflush (stderr);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  secret = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  fputc ('\n', stderr);
  return secret;
}
