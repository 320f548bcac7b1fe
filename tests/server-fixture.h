/* server-fixture.h — what the test peer's tests share
 *
 * A plain SoupSession against the in-process peer of app/scim-service:
 * sending on this thread's main context, requests with Basic or Bearer
 * credentials and JSON bodies, tokens, and reading the answers. Used by
 * test-server, test-server-faults and test-server-tls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "prov-test-server.h"

G_BEGIN_DECLS

#define JAM_TOKEN   "/api/v1/auth/token"
#define IAS_TOKEN   "/oauth2/token"
#define JAM_USERS   "/api/v1/scim/Users"
#define IPS_SYSTEMS "/ipsproxy/service/api/v1/systems"

#define HTTP_TOO_MANY_REQUESTS 429

/* The server runs in this thread's main context: send asynchronously and
 * iterate until the answer is in. */
GBytes *send_message (SoupSession  *session,
                      SoupMessage  *msg,
                      GError      **error);

SoupSession *new_session (const char *ca_file);

SoupMessage *new_message (ProvTestServer *server,
                          const char     *method,
                          const char     *path);

void set_basic (SoupMessage *msg,
                const char  *user,
                const char  *password);

void set_bearer (SoupMessage *msg,
                 const char  *token);

void set_json_body (SoupMessage *msg,
                    const char  *json);

JsonObject *parse_object (GBytes *body);

gboolean body_is_json (GBytes *body);

const char *response_header (SoupMessage *msg,
                             const char  *name);

const char *response_content_type (SoupMessage *msg);

/* Sends and asserts no transport error; returns the parsed body (or NULL for
 * an empty one) and the status through @status. */
JsonObject *request_json (SoupSession *session,
                          SoupMessage *msg,
                          guint        expected_status);

char *fetch_token (SoupSession    *session,
                   ProvTestServer *server,
                   const char     *path,
                   const char     *client_id,
                   const char     *client_secret);

SoupMessage *new_form_post (ProvTestServer *server,
                            const char     *path,
                            const char     *form);

char *filter_path (const char *collection,
                   const char *filter);

/* g_tls_certificate_get_subject_name() returns a new string. */
void assert_subject (GTlsCertificate *cert,
                     const char      *expected);

void finish (ProvTestServer *server,
             SoupSession    *session);

G_END_DECLS
