/* connection-fixture.h — what the Test Connection tests share
 *
 * The in-process peer with every client and system the tests use, targets
 * of each kind and mechanism, generated client certificates, the run of a
 * connection test on this thread's main context, and the debug log of the
 * whole process, captured (no secret may reach it). Used by
 * test-connection and test-connection-failures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-client-certificate.h"
#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-http-client.h"
#include "prov-target-system.h"
#include "prov-test-server.h"

G_BEGIN_DECLS

#define JAM_TOKEN   "/api/v1/auth/token"
#define IAS_TOKEN   "/oauth2/token"
#define JAM_SCIM    "/api/v1/scim"
#define IPS_SYSTEMS "/ipsproxy/service/api/v1/systems"

#define SYSTEM_ID   "c0ffee00-1234-4321-8888-provisioner"

/* Secrets the tests use; none of them may ever appear in the debug log. */
#define JAM_CLIENT_ID      "jam-scim-client"
#define JAM_CLIENT_SECRET  "jam-Secret-4f9c2e71d0b8"
#define IPS_USER           "ips-technical-user"
#define IPS_PASSWORD       "ips-Password-83b1e0c7a5"
#define IPS_CLIENT_ID      "ips-oauth-client"
#define IPS_CLIENT_SECRET  "ips-Secret-d27a9f3c6e41"
#define P12_PASSWORD       "p12-Password-5e8d"

#define SUCCESS_SENTENCE "Connection to the selected target system was established successfully."

GPtrArray *dup_captured_lines (void);

void clear_captured_lines (void);

/* The server runs in this thread's main context: start the test and
 * iterate until it is done. */
gboolean run_connection_test_cancellable (ProvHttpClient    *client,
                                          ProvTargetSystem  *target,
                                          GCancellable      *cancellable,
                                          GError           **error);

gboolean run_connection_test (ProvHttpClient    *client,
                              ProvTargetSystem  *target,
                              GError           **error);

void assert_connection_ok (ProvHttpClient   *client,
                           ProvTargetSystem *target);

/* Runs the test, expects it to fail with @code and returns the sentence. */
char *expect_failure (ProvHttpClient   *client,
                      ProvTargetSystem *target,
                      ProvError         code);

void assert_contains (const char *haystack,
                      const char *needle);

char *server_url (ProvTestServer *server,
                  const char     *path);

char *ips_url (ProvTestServer *server,
               const char     *system_id);

void set_ca_file (ProvTargetSystem *target,
                  ProvTestServer   *server);

/* A SAP Jam target with the given secret; the token URL follows the URL. */
ProvTargetSystem *new_jam_target (ProvTestServer *server,
                                  const char     *client_secret);

ProvTargetSystem *new_ips_target (ProvTestServer    *server,
                                  const char        *system_id,
                                  ProvAuthMechanism  mechanism);

void set_client_certificate (ProvTargetSystem *target,
                             const char       *certificate_pem,
                             const char       *key_pem);

/* A server that knows every client and system the helpers above use. */
ProvTestServer *new_server (ProvTestServerFlags flags);

/* A loopback port nobody listens on: bound once, then closed. */
guint16 closed_port (void);

/* What the window's Generate does: a key pair and a self-signed
 * certificate whose subject is "<common name>(<admin user id>)". */
void generate_client_certificate (const char  *common_name,
                                  const char  *admin_user_id,
                                  char       **certificate_pem,
                                  char       **key_pem);

/* The certificate a TLS server presents, fetched with a plain session that
 * trusts its CA: what the error sentences must describe. */
GTlsCertificate *get_server_certificate (ProvTestServer *server);

/* "Bearer <token>" → "<token>" */
char *bearer_token (const char *authorization);

/* Before g_test_run: captures the debug log (debug output on, as
 * G_MESSAGES_DEBUG=all would: every ProvHttpClient then adds its redacting
 * SoupLogger) and starts GTest. */
void connection_fixture_init (int    *argc,
                              char ***argv);

G_END_DECLS
