/* prov-json-text.h — JSON written straight as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text as a JSON string: quotes, backslashes and control
 * characters escaped, bytes that are not UTF-8 as U+FFFD, everything else
 * as it is. */
void prov_json_text_append_string (GString    *out,
                                   const char *text);

G_END_DECLS
