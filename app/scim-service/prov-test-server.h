/* prov-test-server.h — the embedded SCIM service: SAP Jam, Identity
 * Provisioning and Identity Authentication on loopback
 *
 * What `provisioner --demo` talks to, and the peer of the tests and the
 * benchmarks (in process, or as tests/server's prov-scim-peer). The name
 * stays ProvTestServer so that the many tests using it need no change.
 *
 * A SoupServer on 127.0.0.1 with an ephemeral port, attached to the
 * thread-default main context of the thread that creates it: a client in
 * the same thread must be asynchronous (a synchronous send would wait on a
 * server that never gets to run). Everything lives in memory; keys and
 * certificates are generated at start-up into a temporary directory that
 * goes away with the object. Not thread-safe.
 *
 * Endpoints (paths are relative to prov_test_server_get_base_url()):
 *
 *   POST /api/v1/auth/token         SAP Jam OAuth 2.0 client credentials
 *   POST /oauth2/token              IAS / IPS OAuth 2.0 client credentials
 *        form-encoded grant_type=client_credentials; the client in HTTP
 *        Basic or as client_id/client_secret in the body.
 *        200 {"access_token","token_type":"Bearer","expires_in"};
 *        401 {"error":"invalid_client"}; 400 {"error":"unsupported_grant_type"}
 *        or {"error":"invalid_request"}.
 *
 *   /api/v1/scim/Users[/{id}]       SAP Jam SCIM 2.0 (GET, POST, PUT, PATCH,
 *   /api/v1/scim/Groups[/{id}]      DELETE), /Schemas, /ServiceProviderConfig.
 *        Bearer token only (401 + WWW-Authenticate: Bearer otherwise).
 *        GET /Users takes startIndex, count and only the filter
 *        `userName eq "value"` (anything else: 400 scimType invalidFilter).
 *        POST: 201 + Location; 409 scimType uniqueness on a taken userName.
 *        Bodies are application/scim+json.
 *
 *   /ipsproxy/service/api/v1/systems/{system_id}/entities/user[/{id}]
 *   /ipsproxy/service/api/v1/systems/{system_id}/entities/group[/{id}]
 *        Identity Provisioning real-time API. GET lists (a SCIM ListResponse,
 *        same filter as Jam), GET /{id}, POST creates (201) or updates (200,
 *        matched by id or userName/displayName) and returns the resource,
 *        DELETE /{id} (204). Auth: Basic (a registered client), Bearer (from
 *        /oauth2/token) or a trusted client certificate. Unknown system: 404.
 *
 *   GET /scim/Users[/{id}], /scim/Groups  Identity Authentication SCIM v2:
 *        startIndex/count paging, filters `<attr> eq "v" [and ...]`.
 *   GET /service/scim/Users              Identity Authentication SCIM v1:
 *        count (capped at 100) with startIndex, or startId=initial then
 *        startId=<nextId of the previous page>; the last page's nextId is
 *        the end marker (default "<end>", as docs/sap-domain.md writes it).
 *        Auth as for Identity Provisioning.
 *
 * Errors are JSON: SCIM error bodies (urn:ietf:params:scim:api:messages:2.0:Error)
 * under SCIM paths, {"error": ...} elsewhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "prov-test-certs.h"

G_BEGIN_DECLS

typedef enum
{
  PROV_TEST_SERVER_PLAIN               = 0,
  /* HTTPS with a certificate for IP 127.0.0.1 and DNS localhost, signed by a
   * CA generated at start (prov_test_server_get_ca_file()). */
  PROV_TEST_SERVER_TLS                 = 1 << 0,
  /* Implies TLS. The handshake requires a client certificate that chains to
   * the server's CA or client CA, or that was pinned with
   * prov_test_server_trust_client_certificate_pem(); others are refused
   * during the handshake. */
  PROV_TEST_SERVER_REQUIRE_CLIENT_CERT = 1 << 1,
  /* Implies TLS. The server certificate expired yesterday. */
  PROV_TEST_SERVER_EXPIRED_CERT        = 1 << 2,
  /* Implies TLS. The server certificate names only "wrong.example.invalid",
   * so clients see G_TLS_CERTIFICATE_BAD_IDENTITY. */
  PROV_TEST_SERVER_WRONG_HOST_CERT     = 1 << 3,
} ProvTestServerFlags;

typedef enum
{
  PROV_TEST_FAULT_NONE = 0,
  /* Wait param milliseconds (the message is paused, the server keeps
   * serving others), then answer normally. */
  PROV_TEST_FAULT_DELAY,
  /* Close the connection without an answer. A client that reused a
   * kept-alive connection for an idempotent request may silently resend it;
   * use times = 0 or a fresh connection to make the drop visible. */
  PROV_TEST_FAULT_DROP,
  /* Answer with HTTP status param (and a JSON error body) instead of
   * serving the request. 401 carries WWW-Authenticate; 429 carries
   * Retry-After (prov_test_server_set_retry_after(), default 30) and
   * X-RateLimit-Limit, X-RateLimit-Remaining: 0, X-RateLimit-Reset (Unix
   * time in seconds when the window resets). */
  PROV_TEST_FAULT_STATUS,
  /* 200 with a body that is not JSON; the request has no effect. */
  PROV_TEST_FAULT_MALFORMED_JSON,
  /* The request is served (and takes effect) but the JSON body is cut in
   * half; the HTTP framing stays correct. */
  PROV_TEST_FAULT_TRUNCATED_JSON,
  /* 200 text/html (a portal or maintenance page); no effect. */
  PROV_TEST_FAULT_WRONG_CONTENT_TYPE,
  /* The request is served as if it had no filter= parameter (RFC 7644
   * lets a server ignore a filter it does not support). */
  PROV_TEST_FAULT_IGNORE_FILTER,
} ProvTestFault;

typedef enum
{
  /* SAP Jam's /api/v1/scim/Users. */
  PROV_TEST_STORE_JAM,
  /* An Identity Provisioning system's entities/user (give the system id). */
  PROV_TEST_STORE_IPS,
  /* The Identity Authentication tenant's users (/scim/Users and
   * /service/scim/Users). */
  PROV_TEST_STORE_SOURCE,
} ProvTestStore;

#define PROV_TYPE_TEST_SERVER (prov_test_server_get_type ())
G_DECLARE_FINAL_TYPE (ProvTestServer, prov_test_server, PROV, TEST_SERVER, GObject)

/* Starts listening at once. prov_test_server_new() aborts the test when the
 * server cannot start; prov_test_server_try_new() reports it instead. */
ProvTestServer *prov_test_server_new                         (ProvTestServerFlags  flags);
ProvTestServer *prov_test_server_try_new                     (ProvTestServerFlags  flags,
                                                              GError             **error);

/* "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT", no trailing slash. */
const char     *prov_test_server_get_base_url                (ProvTestServer      *self);
/* The same with "localhost" as the host (the certificate names both). */
const char     *prov_test_server_get_base_url_localhost      (ProvTestServer      *self);
guint16         prov_test_server_get_port                    (ProvTestServer      *self);

/* Absolute path of the PEM of the CA that signed the server certificate
 * (also trusted for client certificates); NULL for a plain server. */
const char     *prov_test_server_get_ca_file                 (ProvTestServer      *self);
/* Absolute path of a CA PEM that signed nothing this server presents: give
 * it to a client to get "certificate not trusted". NULL for a plain server. */
const char     *prov_test_server_get_untrusted_ca_file       (ProvTestServer      *self);
/* The CA that prov_test_server_create_client_certificate() signs with and
 * that the server trusts for client certificates. NULL for a plain server. */
const char     *prov_test_server_get_client_ca_file          (ProvTestServer      *self);
ProvTestCert   *prov_test_server_get_client_ca               (ProvTestServer      *self);
/* The directory holding those files; removed when the server is finalized.
 * NULL for a plain server. */
const char     *prov_test_server_get_tmp_dir                 (ProvTestServer      *self);

/* Credentials valid for OAuth client credentials (Basic or form body) and
 * for HTTP Basic on the Identity Provisioning and source endpoints. */
void            prov_test_server_add_client                  (ProvTestServer      *self,
                                                              const char          *client_id,
                                                              const char          *client_secret);
void            prov_test_server_remove_client               (ProvTestServer      *self,
                                                              const char          *client_id);

/* Mutual TLS: a verified client certificate (chaining to a CA the server
 * trusts) whose subject CN equals @subject_cn authenticates requests to the
 * Identity Provisioning and source endpoints (like a certificate imported at
 * an IAS technical user; SAP's CN looks like "name(P000123)"). */
void            prov_test_server_trust_client_certificate_subject (ProvTestServer *self,
                                                                   const char     *subject_cn);
/* Pins a (typically self-signed) client certificate: it passes the
 * handshake although no trusted CA signed it, and authenticates requests
 * whatever its CN — what importing the app's generated .crt does at SAP. */
gboolean        prov_test_server_trust_client_certificate_pem (ProvTestServer *self,
                                                               const char     *cert_pem,
                                                               GError        **error);
/* Mints a client certificate with subject "CN=@common_name" (set verbatim)
 * signed by the server's client CA. Both PEMs are newly allocated; the key
 * is unencrypted PKCS#8. Does not trust the CN: call
 * prov_test_server_trust_client_certificate_subject() for that. */
gboolean        prov_test_server_create_client_certificate   (ProvTestServer      *self,
                                                              const char          *common_name,
                                                              char               **cert_pem,
                                                              char               **key_pem,
                                                              GError             **error);

/* Tokens: expires_in of new tokens, default 3600; 0 issues tokens that are
 * already expired. revoke_tokens() makes every issued token invalid (the
 * API answers 401 with error="invalid_token"); new ones can be fetched. */
void            prov_test_server_set_token_lifetime          (ProvTestServer      *self,
                                                              guint                seconds);
void            prov_test_server_revoke_tokens               (ProvTestServer      *self);
guint           prov_test_server_count_tokens_issued         (ProvTestServer      *self);

/* Identity Provisioning systems that exist (each with its own users). */
void            prov_test_server_add_ips_system              (ProvTestServer      *self,
                                                              const char          *system_id);

/* Faults apply to the next @times requests whose path starts with
 * @path_prefix (0 = every one until cleared), before authentication and
 * before the endpoint runs. The oldest matching fault wins. @param: the
 * delay in ms for DELAY, the HTTP status for STATUS, unused otherwise. */
void            prov_test_server_inject_fault                (ProvTestServer      *self,
                                                              const char          *path_prefix,
                                                              ProvTestFault        fault,
                                                              int                  param,
                                                              guint                times);
void            prov_test_server_clear_faults                (ProvTestServer      *self);
/* Retry-After of 429 answers (faults and rate limits), default 30 s. */
void            prov_test_server_set_retry_after             (ProvTestServer      *self,
                                                              guint                seconds);

/* A sliding-window rate limit on requests under @path_prefix: at most
 * @limit per @window_ms, the rest refused with 429 + Retry-After +
 * X-RateLimit-*. Every limited answer carries X-RateLimit-Limit, -Remaining
 * and -Reset. @limit 0 removes the limit for that prefix. Refused requests
 * do not count against the window. */
void            prov_test_server_set_rate_limit              (ProvTestServer      *self,
                                                              const char          *path_prefix,
                                                              guint                limit,
                                                              guint                window_ms);

/* The record of requests (every one that reached a handler, faults and
 * refusals included). @method NULL matches any; @path_prefix NULL matches
 * every path. */
guint           prov_test_server_count_requests              (ProvTestServer      *self,
                                                              const char          *method,
                                                              const char          *path_prefix);
/* Requests answered with @status (filled when the answer went out). */
guint           prov_test_server_count_responses             (ProvTestServer      *self,
                                                              guint                status,
                                                              const char          *path_prefix);
/* TCP connections that carried at least one request. */
guint           prov_test_server_count_connections           (ProvTestServer      *self);
/* The highest number of requests being served at once (read but not yet
 * answered). The server answers within one main-loop dispatch, so requests
 * only overlap while delayed: to observe a client's concurrency, inject a
 * DELAY on the path (e.g. 20 ms, times 0). */
guint           prov_test_server_get_max_concurrent          (ProvTestServer      *self);
/* Forgets the record, the connection count and the concurrency peak. */
void            prov_test_server_clear_requests              (ProvTestServer      *self);

/* From the latest request under @path_prefix (NULL: any), or NULL. Strings
 * are owned by the server and valid until clear_requests() or finalize. */
const char     *prov_test_server_get_last_authorization      (ProvTestServer      *self,
                                                              const char          *path_prefix);
const char     *prov_test_server_get_last_request_header     (ProvTestServer      *self,
                                                              const char          *path_prefix,
                                                              const char          *header_name);
const char     *prov_test_server_get_last_request_body       (ProvTestServer      *self,
                                                              const char          *method,
                                                              const char          *path_prefix);
/* The subject CN of the client certificate of that request's connection. */
const char     *prov_test_server_get_last_client_certificate_cn (ProvTestServer   *self,
                                                                 const char       *path_prefix);

/* The users held by a store. @system_id names the Identity Provisioning
 * system for PROV_TEST_STORE_IPS and is ignored otherwise. */
guint           prov_test_server_get_n_users                 (ProvTestServer      *self,
                                                              ProvTestStore        store,
                                                              const char          *system_id);
/* A deep copy of every user, in insertion order. */
JsonArray      *prov_test_server_dup_users                   (ProvTestServer      *self,
                                                              ProvTestStore        store,
                                                              const char          *system_id);
/* A deep copy of the user whose userName matches (case-insensitively), or NULL. */
JsonObject     *prov_test_server_find_user                   (ProvTestServer      *self,
                                                              ProvTestStore        store,
                                                              const char          *system_id,
                                                              const char          *user_name);
/* Creates the user, or replaces the one with the same userName (keeping its
 * id). An "id" member in @user is used for a new user. @user is copied.
 * Returns the id, owned by the server; NULL when @user has no userName. */
const char     *prov_test_server_put_user                    (ProvTestServer      *self,
                                                              ProvTestStore        store,
                                                              const char          *system_id,
                                                              JsonObject          *user);
gboolean        prov_test_server_remove_user                 (ProvTestServer      *self,
                                                              ProvTestStore        store,
                                                              const char          *system_id,
                                                              const char          *user_name);

/* The Identity Authentication source. add_source_users() puts each object
 * of @users (see put_user). generate_source_users() appends @n users with
 * deterministic attributes: user number i (counting on from the users
 * already generated, 1-based) has id "00000000-0000-4000-8000-%012u",
 * userName "user%05u", name.givenName "Given%u", name.familyName
 * "Family%u", a primary work email "user%05u@example.com", active true,
 * userType "employee", title, displayName, locale "en_US", a work phone,
 * a work address and the enterprise extension (employeeNumber "E%05u",
 * costCenter, organization, division, department). */
void            prov_test_server_add_source_users            (ProvTestServer      *self,
                                                              JsonArray           *users);
void            prov_test_server_generate_source_users       (ProvTestServer      *self,
                                                              guint                n);
/* Paging misbehaviour of the source endpoints. Repeat: asking past the end
 * returns the last page again (v1 startId paging: the last page's nextId
 * points back at itself, never the end marker). Reported total: the
 * totalResults every page claims; negative means the truth. */
void            prov_test_server_set_source_repeat_last_page (ProvTestServer      *self,
                                                              gboolean             repeat);
void            prov_test_server_set_source_reported_total   (ProvTestServer      *self,
                                                              int                  total);
/* Pages of the source endpoints hold at most @cap users whatever count
 * asks for (0: the default, 100 for v1 and MAX_PAGE_SIZE for v2). */
void            prov_test_server_set_source_page_cap         (ProvTestServer      *self,
                                                              guint                cap);
/* Identity Provisioning as a standard SCIM server: a POST of a userName
 * that exists answers 409 scimType uniqueness instead of updating. */
void            prov_test_server_set_ips_strict_post         (ProvTestServer      *self,
                                                              gboolean             strict);
/* nextId on the last v1 page; default "<end>". */
void            prov_test_server_set_source_end_marker       (ProvTestServer      *self,
                                                              const char          *marker);

/* Real-time sync: the tenant accepts POST, PUT and DELETE of users (each
 * sets meta.lastModified); refuse_delta answers the delta query
 * `meta.lastModified gt "<time>"` with 400 invalidFilter. */
void            prov_test_server_set_source_writable         (ProvTestServer      *self,
                                                              gboolean             writable);
void            prov_test_server_set_source_refuse_delta     (ProvTestServer      *self,
                                                              gboolean             refuse);

G_END_DECLS
