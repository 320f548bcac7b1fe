/* prov-json-text.c — JSON written straight as text
 *
 * Records written once a user (the push state, the journal) are made as
 * text: building a json-glib tree for each and writing it out again cost
 * a share of a run's CPU that grows with every user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-json-text.h"

void
prov_json_text_append_string (GString    *out,
                              const char *text)
{
  g_autofree char *valid = NULL;

  /* A byte that is not UTF-8 (in a server's sentence) would make the
   * whole record unreadable: it becomes U+FFFD. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}
