/* prov-http-client.h — the core's one way to talk HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What a request is for; it changes what a status code means to people. */
typedef enum
{
  PROV_HTTP_PURPOSE_TOKEN,     /* an OAuth token endpoint */
  PROV_HTTP_PURPOSE_JAM,       /* SAP Jam's SCIM API */
  PROV_HTTP_PURPOSE_IPS,       /* Identity Provisioning's real-time API */
  PROV_HTTP_PURPOSE_SOURCE,    /* an Identity Authentication tenant */
} ProvHttpPurpose;

#define PROV_TYPE_HTTP_CLIENT (prov_http_client_get_type ())
G_DECLARE_FINAL_TYPE (ProvHttpClient, prov_http_client, PROV, HTTP_CLIENT, GObject)

ProvHttpClient *prov_http_client_new               (void);
/* The same with a connect and read timeout of @timeout_seconds instead of
 * the default 30 s (0: none); for tests and callers that must give up
 * sooner. */
ProvHttpClient *prov_http_client_new_with_timeout  (guint                timeout_seconds);
/* @idle_seconds: connecting, or waiting for the next bytes of an answer
 * (default 30; 0: none). @deadline_seconds: a whole request, its answer
 * read to the end (default 120; 0: none). Cancelling a request's
 * GCancellable ends it at once either way. */
void            prov_http_client_set_timeouts      (ProvHttpClient      *self,
                                                    guint                idle_seconds,
                                                    guint                deadline_seconds);
/* The one client the application shares, created on first use. */
ProvHttpClient *prov_http_client_get_default       (void);
/* The session for requests with neither an extra CA nor a client
 * certificate. Each such TLS set-up gets a session of its own (connections
 * are never shared between them), which takes this one's timeout when it
 * is created. */
SoupSession    *prov_http_client_get_session       (ProvHttpClient      *self);

/* Caps on the body of an answer, in bytes. Past the cap the request is
 * abandoned with a PROV_ERROR_BAD_RESPONSE sentence naming the server. */
#define PROV_HTTP_MAX_BODY_TOKEN     (64 * 1024)        /* an OAuth token */
#define PROV_HTTP_MAX_BODY_ERROR     (64 * 1024)        /* any non-2xx answer */
#define PROV_HTTP_MAX_BODY_DEFAULT   (1024 * 1024)      /* one SCIM resource */
/* A SCIM page: this much per resource asked for, plus the envelope. */
#define PROV_HTTP_MAX_BODY_PER_RESOURCE (64 * 1024)

/* The cap for @message's answer when it succeeds (0: the default). */
void            prov_http_message_set_max_body     (SoupMessage         *message,
                                                    gsize                max_bytes);

/* Sends @message and reads the whole body, as a stream, up to the
 * message's cap. Transport failures come back as
 * PROV_ERROR_* with a sentence for people; an HTTP error status is not an
 * error here — check it with prov_http_check_status().
 *
 * @ca_file: an absolute path to one extra PEM CA to trust, or NULL.
 * @client_certificate: presented when the server asks, or NULL. */
void            prov_http_client_send_async        (ProvHttpClient      *self,
                                                    SoupMessage         *message,
                                                    const char          *ca_file,
                                                    GTlsCertificate     *client_certificate,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GBytes         *prov_http_client_send_finish       (ProvHttpClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* OAuth tokens, kept until shortly before they expire. @key identifies the
 * client (token URL + client ID + a digest of the secret), never the secret. */
char           *prov_http_client_lookup_token      (ProvHttpClient      *self,
                                                    const char          *key);
void            prov_http_client_store_token       (ProvHttpClient      *self,
                                                    const char          *key,
                                                    const char          *token,
                                                    gint64               expires_in_seconds);
void            prov_http_client_forget_token      (ProvHttpClient      *self,
                                                    const char          *key);

/* TRUE for 2xx; otherwise sets a PROV_ERROR_* sentence for people that
 * names the host and what to do next. */
gboolean        prov_http_check_status             (SoupMessage         *message,
                                                    ProvHttpPurpose      purpose,
                                                    GError             **error);

/* Seconds to wait before trying again, from Retry-After or the
 * X-RateLimit-Reset header; -1 when the server did not say. */
gint64          prov_http_get_retry_after          (SoupMessage         *message);

/* Turns a transport GError into a PROV_ERROR_* one for @message. */
GError         *prov_http_translate_error          (SoupMessage         *message,
                                                    const GError        *error,
                                                    gboolean             sent_client_certificate);

G_END_DECLS
