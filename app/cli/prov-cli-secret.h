/* prov-cli-secret.h — reading a secret without putting it in argv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first line of standard input, without its line ending. NULL with
 * @error when stdin is empty or unreadable. */
char    *prov_cli_read_secret_stdin  (GError     **error);
/* Asks @prompt on the terminal with echo off; NULL when stdin is not a
 * terminal or nothing could be read. */
char    *prov_cli_prompt_secret      (const char  *prompt);
gboolean prov_cli_stdin_is_terminal  (void);

G_END_DECLS
