/* prov-json-scan.h — one text member of a JSON object, read off the text
 *
 * A target answers a create with the whole user; the app keeps only its
 * id. json-glib builds a node for every member of every answer (that was
 * about 7% of the CPU of a 5,000-user provision); this reads the text once
 * and allocates nothing but the value. What it does not fully understand
 * it leaves to json-glib: the caller then parses as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @length bytes of @data are one JSON object, checked as a
 * parser would check them and nested at most
 * PROV_JSON_READER_DEFAULT_MAX_DEPTH levels: then *@value is its top-level
 * member @name when that is text without escapes (the last one, as
 * json-glib keeps it), or NULL when it is absent or not text. FALSE, with
 * *@value NULL, for anything else (not JSON, not an object, escapes in
 * @name's value or in a top-level key): the caller parses the text. */
gboolean prov_json_scan_string_member (const char  *data,
                                       gsize        length,
                                       const char  *name,
                                       char       **value);

G_END_DECLS
