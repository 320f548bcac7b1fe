/* prov-cli-secret.c — reading a secret without putting it in argv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
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

/* The terminal as it was before the prompt turned its echo off. A signal
 * that ends us meanwhile (Ctrl+C, a closed terminal, kill) gives it back
 * before we go, or the shell after us would take typing without showing
 * it. */
static struct termios echoing;
static const int ending_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
restore_echo_and_end (int signum)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &echoing);
  if (write (STDERR_FILENO, "\n", 1) < 0)
    { /* nothing more to do on the way out */ }
  /* Ended by the signal itself, as the shell expects (Ctrl+C: 130). */
  signal (signum, SIG_DFL);
  raise (signum);
}

char *
prov_cli_prompt_secret (const char *prompt)
{
  struct sigaction ending = { .sa_handler = restore_echo_and_end };
  struct sigaction previous[G_N_ELEMENTS (ending_signals)];
  struct termios quiet;
  char *secret;

  if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &echoing) != 0)
    return NULL;

  fprintf (stderr, "%s: ", prompt);
  fflush (stderr);
  sigemptyset (&ending.sa_mask);
  for (gsize i = 0; i < G_N_ELEMENTS (ending_signals); i++)
    sigaction (ending_signals[i], &ending, &previous[i]);
  quiet = echoing;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  secret = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &echoing);
  for (gsize i = 0; i < G_N_ELEMENTS (ending_signals); i++)
    sigaction (ending_signals[i], &previous[i], NULL);
  fputc ('\n', stderr);
  return secret;
}
