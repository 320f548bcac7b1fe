/* prov-json-reader.h — the one way untrusted JSON reaches json-glib
 *
 * json-glib's parser recurses once per nesting level and overflows the
 * stack at roughly 80,000 levels; it also takes whatever size it is given.
 * Every JSON the app reads (server answers, targets.json, source.json, push
 * state, journal lines) goes through here: size and nesting depth are
 * checked on the bytes first, and only then is the text parsed. The few
 * JSON helpers the files and answers share are here too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than anything the app reads or writes (SCIM resources and our
 * files nest fewer than 10 levels), far below what overflows a stack. */
#define PROV_JSON_READER_DEFAULT_MAX_DEPTH 64

#define PROV_JSON_READER_ERROR (prov_json_reader_error_quark ())

typedef enum
{
  PROV_JSON_READER_ERROR_TOO_LARGE,   /* more than max_size bytes */
  PROV_JSON_READER_ERROR_TOO_DEEP,    /* nested deeper than max_depth */
  PROV_JSON_READER_ERROR_INVALID,     /* empty, or not JSON */
} ProvJsonReaderError;

GQuark    prov_json_reader_error_quark (void);

/* Checks @length bytes of @data (-1: up to a NUL) without parsing them:
 * at most @max_size bytes (0: no limit) and at most @max_depth levels of
 * arrays and objects (0: PROV_JSON_READER_DEFAULT_MAX_DEPTH), and no
 * escape in a string that RFC 8259 does not have. Brackets inside strings
 * do not count. Error messages are details for the debug
 * log, not sentences for people: callers say what was being read. */
gboolean  prov_json_reader_check       (const char  *data,
                                        gssize       length,
                                        gsize        max_size,
                                        guint        max_depth,
                                        GError     **error);

/* prov_json_reader_check(), then parses. Returns the root (any type; the
 * caller checks it is what it expects) or NULL with a
 * PROV_JSON_READER_ERROR. */
JsonNode *prov_json_reader_parse       (const char  *data,
                                        gssize       length,
                                        gsize        max_size,
                                        guint        max_depth,
                                        GError     **error);
/* The same for @bytes (NULL is an empty text). */
JsonNode *prov_json_reader_parse_bytes (GBytes      *bytes,
                                        gsize        max_size,
                                        guint        max_depth,
                                        GError     **error);

/* The text member @name of @object, or NULL when it is absent or not text. */
const char *prov_json_get_string       (JsonObject  *object,
                                        const char  *name);
/* Whether @node is true: SCIM sends booleans as JSON booleans; some
 * servers send "true" as a string, which is accepted too. */
gboolean    prov_json_node_is_true     (JsonNode    *node);
/* @object (not taken) as JSON text: what the app writes in its files. */
GBytes     *prov_json_object_to_bytes     (JsonObject *object,
                                           gboolean    pretty);

/* Copies every member of @from (NULL: none) into @into: what a newer
 * version of the app wrote is kept when a file is saved again. */
void        prov_json_object_copy_members (JsonObject *into,
                                           JsonObject *from);

G_END_DECLS
