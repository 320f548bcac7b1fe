/* prov-scim-http.h — small HTTP and JSON helpers of the embedded SCIM service
 *
 * Private to app/scim-service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-test-server-private.h"

G_BEGIN_DECLS

gboolean    prov_scim_path_has_prefix      (const char *path,
                                            const char *prefix);
gboolean    prov_scim_path_is_under        (const char *path,
                                            const char *root);
GStrv       prov_scim_split_path           (const char *path);
char       *prov_scim_casefold             (const char *str);
char       *prov_scim_now_iso8601          (void);
JsonObject *prov_scim_object_deep_copy     (JsonObject *object);
JsonNode   *prov_scim_node_deep_copy       (JsonNode *node);
const char *prov_scim_object_get_string    (JsonObject *object,
                                            const char *member);
JsonArray  *prov_scim_string_array         (const char *first,
                                            ...);
void        prov_scim_respond_object       (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *content_type,
                                            JsonObject        *object);
void        prov_scim_respond_scim_error   (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *scim_type,
                                            const char        *detail);
void        prov_scim_respond_json_error   (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *error_code,
                                            const char        *description);
gboolean    prov_scim_is_scim_path         (const char *path);
char       *prov_scim_request_body_string  (SoupServerMessage *msg);
JsonObject *prov_scim_parse_request_object (SoupServerMessage *msg);
GHashTable *prov_scim_request_query        (SoupServerMessage *msg);
gboolean    prov_scim_query_uint           (SoupServerMessage *msg,
                                            GHashTable        *query,
                                            const char        *name,
                                            guint              default_value,
                                            guint             *value);

G_END_DECLS
