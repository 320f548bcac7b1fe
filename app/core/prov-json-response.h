/* prov-json-response.h — reading what servers answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every parser here takes untrusted bytes (it is fuzzed): it never trusts a
 * length, type or nesting it has not checked. Errors are
 * PROV_ERROR_BAD_RESPONSE with a sentence naming @host. */

/* TRUE when @content_type names JSON (application/json, application/scim+json,
 * or any +json type). */
gboolean    prov_content_type_is_json        (const char  *content_type);

/* Parses a JSON object; the root must be an object. */
JsonObject *prov_json_response_parse_object  (GBytes      *body,
                                              const char  *content_type,
                                              const char  *host,
                                              GError     **error);

/* An OAuth 2.0 token response: access_token (required), token_type (Bearer,
 * case-insensitive, when present), expires_in (seconds; default 0). */
gboolean    prov_json_response_parse_token   (GBytes      *body,
                                              const char  *content_type,
                                              const char  *host,
                                              char       **access_token,
                                              gint64      *expires_in,
                                              GError     **error);

/* A SCIM 2.0 ListResponse. @resources is the array of objects (never NULL
 * on success; non-object entries are an error); @total_results is -1 when
 * absent. */
gboolean    prov_json_response_parse_list    (GBytes      *body,
                                              const char  *content_type,
                                              const char  *host,
                                              JsonArray  **resources,
                                              gint64      *total_results,
                                              gint64      *start_index,
                                              GError     **error);

G_END_DECLS
