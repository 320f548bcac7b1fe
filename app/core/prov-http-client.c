/* prov-http-client.c — the core's one way to talk HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "prov-error.h"
#include "prov-http-client.h"
#include "prov-target-system.h"

/* A token is not used in its last minute: a request may take that long. */
#define TOKEN_EXPIRY_MARGIN_SECONDS 60
#define CONNECT_AND_READ_TIMEOUT_SECONDS 30
/* A whole request, answer included; a server trickling one byte at a time
 * never trips the read timeout. */
#define DEADLINE_SECONDS 120
#define IDLE_TIMEOUT_SECONDS 60

struct _ProvHttpClient
{
  GObject      parent_instance;

  SoupSession *session;     /* requests with neither extra CA nor client certificate */
  GHashTable  *tls_sessions; /* CA file + client certificate digest -> SoupSession */
  GHashTable  *databases;   /* CA file path -> GTlsDatabase */
  GHashTable  *tokens;      /* key -> CachedToken */
  guint        deadline_seconds;
  /* Requests under a deadline, and one ticker for all of them while there
   * are any: a timeout source per request halves throughput. */
  GHashTable  *under_deadline;   /* SendData* set */
  GSource     *deadline_ticker;
};

typedef struct
{
  char   *token;
  gint64  expires_at;       /* monotonic microseconds */
} CachedToken;

/* What we learned about a server certificate we did not accept. */
typedef struct
{
  GTlsCertificate      *peer;
  GTlsCertificateFlags  errors;
} TlsFailure;

G_DEFINE_FINAL_TYPE (ProvHttpClient, prov_http_client, G_TYPE_OBJECT)

static GQuark tls_failure_quark;
static GQuark insecure_redirect_quark;
static GQuark other_host_redirect_quark;
static GQuark max_body_quark;

static void
cached_token_free (CachedToken *cached)
{
  /* Tokens are credentials too. */
  if (cached->token != NULL)
    memset (cached->token, 0, strlen (cached->token));
  g_free (cached->token);
  g_free (cached);
}

static void
tls_failure_free (TlsFailure *failure)
{
  g_clear_object (&failure->peer);
  g_free (failure);
}

/* The debug log never shows credentials. */
/* Every header of every request is a lot of lines: a domain of its own,
 * so G_MESSAGES_DEBUG=provisioner shows the app's steps without them. */
#define HTTP_LOG_DOMAIN G_LOG_DOMAIN "-http"

static void
logger_printer (SoupLogger         *logger,
                SoupLoggerLogLevel  level,
                char                direction,
                const char         *data,
                gpointer            user_data)
{
  static const char * const redacted[] = {
    "Authorization:", "Proxy-Authorization:", "Cookie:", "Set-Cookie:", NULL
  };

  for (guint i = 0; redacted[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (data, redacted[i], strlen (redacted[i])) == 0)
        {
          g_log (HTTP_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "%c %s [redacted]", direction, redacted[i]);
          return;
        }
    }

  g_log (HTTP_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "%c %s", direction, data);
}

static void
prov_http_client_finalize (GObject *object)
{
  ProvHttpClient *self = (ProvHttpClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->tls_sessions, g_hash_table_unref);
  g_clear_pointer (&self->databases, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  if (self->deadline_ticker != NULL)
    g_source_destroy (self->deadline_ticker);
  g_clear_pointer (&self->deadline_ticker, g_source_unref);
  g_clear_pointer (&self->under_deadline, g_hash_table_unref);

  G_OBJECT_CLASS (prov_http_client_parent_class)->finalize (object);
}

static void
prov_http_client_class_init (ProvHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_http_client_finalize;

  tls_failure_quark = g_quark_from_static_string ("prov-tls-failure");
  insecure_redirect_quark = g_quark_from_static_string ("prov-insecure-redirect");
  other_host_redirect_quark = g_quark_from_static_string ("prov-other-host-redirect");
  max_body_quark = g_quark_from_static_string ("prov-max-body");
}

static SoupSession *
new_session (void)
{
  g_autofree char *user_agent = g_strdup_printf ("Provisioner/%s ", PACKAGE_VERSION);
  SoupSession *session;

  /* Connection limits can only be set here; provisioning later wants many
   * kept-alive connections per host. */
  session = soup_session_new_with_options ("user-agent", user_agent,
                                           "timeout", CONNECT_AND_READ_TIMEOUT_SECONDS,
                                           "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                           "max-conns", 32,
                                           "max-conns-per-host", 16,
                                           NULL);

  /* Only when someone reads the debug log: logging costs time. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, HTTP_LOG_DOMAIN))
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, logger_printer, NULL, NULL);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }

  return session;
}

static void
prov_http_client_init (ProvHttpClient *self)
{
  self->session = new_session ();
  self->deadline_seconds = DEADLINE_SECONDS;
  self->under_deadline = g_hash_table_new (NULL, NULL);
  self->tls_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) cached_token_free);
}

ProvHttpClient *
prov_http_client_new (void)
{
  return g_object_new (PROV_TYPE_HTTP_CLIENT, NULL);
}

ProvHttpClient *
prov_http_client_new_with_timeout (guint timeout_seconds)
{
  ProvHttpClient *self = prov_http_client_new ();

  /* Unlike the connection limits, the timeout may change after the
   * session is built, and it applies to every connection made later. */
  soup_session_set_timeout (self->session, timeout_seconds);
  return self;
}

void
prov_http_client_set_timeouts (ProvHttpClient *self,
                               guint           idle_seconds,
                               guint           deadline_seconds)
{
  GHashTableIter iter;
  gpointer session;

  g_return_if_fail (PROV_IS_HTTP_CLIENT (self));

  soup_session_set_timeout (self->session, idle_seconds);
  g_hash_table_iter_init (&iter, self->tls_sessions);
  while (g_hash_table_iter_next (&iter, NULL, &session))
    soup_session_set_timeout (session, idle_seconds);
  self->deadline_seconds = deadline_seconds;
}

ProvHttpClient *
prov_http_client_get_default (void)
{
  static gsize client;

  if (g_once_init_enter (&client))
    g_once_init_leave (&client, (gsize) prov_http_client_new ());

  return (ProvHttpClient *) client;
}

SoupSession *
prov_http_client_get_session (ProvHttpClient *self)
{
  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (self), NULL);
  return self->session;
}

/* libsoup hands a kept-alive connection to any later message for the same
 * host, whatever client certificate or extra CA that message carries: the
 * handshake (and accept-certificate) happened once, for someone else. A
 * certificate not yet imported at the technical user would then pass Test
 * Connection on a connection another certificate opened, and a target
 * without the CA on one another target's CA accepted. So each TLS set-up
 * gets a session, and connections, of its own. */
static SoupSession *
get_session_for (ProvHttpClient  *self,
                 const char      *ca_file,
                 GTlsCertificate *client_certificate)
{
  g_autofree char *digest = NULL;
  g_autofree char *key = NULL;
  SoupSession *session;

  if ((ca_file == NULL || *ca_file == '\0') && client_certificate == NULL)
    return self->session;

  if (client_certificate != NULL)
    {
      g_autoptr(GByteArray) der = NULL;

      g_object_get (client_certificate, "certificate", &der, NULL);
      if (der != NULL)
        digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
    }

  key = g_strdup_printf ("%s\n%s", ca_file ? ca_file : "", digest ? digest : "");
  session = g_hash_table_lookup (self->tls_sessions, key);
  if (session == NULL)
    {
      session = new_session ();
      /* Callers (tests) may have changed the main session's timeout. */
      soup_session_set_timeout (session, soup_session_get_timeout (self->session));
      g_hash_table_insert (self->tls_sessions, g_steal_pointer (&key), session);
    }

  return session;
}

/* Tokens */

char *
prov_http_client_lookup_token (ProvHttpClient *self,
                               const char     *key)
{
  CachedToken *cached;

  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (self), NULL);

  cached = g_hash_table_lookup (self->tokens, key);
  if (cached == NULL)
    return NULL;

  if (g_get_monotonic_time () >= cached->expires_at)
    {
      g_hash_table_remove (self->tokens, key);
      return NULL;
    }

  return g_strdup (cached->token);
}

void
prov_http_client_store_token (ProvHttpClient *self,
                              const char     *key,
                              const char     *token,
                              gint64          expires_in_seconds)
{
  CachedToken *cached;
  gint64 usable;

  g_return_if_fail (PROV_IS_HTTP_CLIENT (self));
  g_return_if_fail (key != NULL && token != NULL);

  /* A short-lived token is used once and not kept. */
  usable = expires_in_seconds - TOKEN_EXPIRY_MARGIN_SECONDS;
  if (usable <= 0)
    {
      g_hash_table_remove (self->tokens, key);
      return;
    }

  cached = g_new0 (CachedToken, 1);
  cached->token = g_strdup (token);
  cached->expires_at = g_get_monotonic_time () + usable * G_USEC_PER_SEC;
  g_hash_table_replace (self->tokens, g_strdup (key), cached);
}

void
prov_http_client_forget_token (ProvHttpClient *self,
                               const char     *key)
{
  g_return_if_fail (PROV_IS_HTTP_CLIENT (self));
  g_hash_table_remove (self->tokens, key);
}

/* TLS */

static GTlsDatabase *
get_database (ProvHttpClient  *self,
              const char      *ca_file,
              GError         **error)
{
  GTlsDatabase *database = g_hash_table_lookup (self->databases, ca_file);

  if (database != NULL)
    return database;

  /* A relative path "loads" and then trusts nothing; refuse it outright. */
  if (!g_path_is_absolute (ca_file))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_TLS_NOT_TRUSTED,
                   _("The trusted CA certificate “%s” must be given with its full path."), ca_file);
      return NULL;
    }

  database = g_tls_file_database_new (ca_file, error);
  if (database == NULL)
    return NULL;

  g_hash_table_insert (self->databases, g_strdup (ca_file), database);
  return database;
}

typedef struct
{
  GTlsDatabase *extra;      /* nullable */
  char         *host;
} AcceptData;

static void
accept_data_free (gpointer  data,
                  GClosure *closure)
{
  AcceptData *accept = data;

  g_clear_object (&accept->extra);
  g_free (accept->host);
  g_free (accept);
}

/* Called only when the system's trust store rejected the server. We accept
 * it when, and only when, the one CA this target names vouches for it. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       AcceptData           *accept)
{
  TlsFailure *failure;

  if (accept->extra != NULL)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (accept->host, 0);
      g_autoptr(GError) error = NULL;
      GTlsCertificateFlags extra_errors;

      extra_errors = g_tls_database_verify_chain (accept->extra, peer,
                                                  G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                                  identity, NULL,
                                                  G_TLS_DATABASE_VERIFY_NONE,
                                                  NULL, &error);
      if (error == NULL && extra_errors == 0)
        return TRUE;

      errors = extra_errors ? extra_errors : errors;
    }

  failure = g_new0 (TlsFailure, 1);
  failure->peer = g_object_ref (peer);
  failure->errors = errors;
  g_object_set_qdata_full (G_OBJECT (message), tls_failure_quark, failure,
                           (GDestroyNotify) tls_failure_free);
  return FALSE;
}

static char *
describe_tls_failure (SoupMessage *message)
{
  TlsFailure *failure = g_object_get_qdata (G_OBJECT (message), tls_failure_quark);
  const char *host = g_uri_get_host (soup_message_get_uri (message));
  g_autofree char *issuer = NULL;
  g_autofree char *expiry = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  const char *reason;

  if (failure == NULL)
    return g_strdup_printf (_("The certificate of %s is not trusted. If your organisation uses its own certificate authority, add its certificate as Trusted CA Certificate."), host);

  if (failure->errors & G_TLS_CERTIFICATE_EXPIRED)
    reason = _("it has expired");
  else if (failure->errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    reason = _("it is not valid yet");
  else if (failure->errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    reason = _("it was issued for another host name");
  else if (failure->errors & G_TLS_CERTIFICATE_REVOKED)
    reason = _("it was revoked");
  else if (failure->errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    reason = _("its issuer is not a trusted certificate authority");
  else
    reason = _("it failed verification");

  issuer = g_tls_certificate_get_issuer_name (failure->peer);
  not_after = g_tls_certificate_get_not_valid_after (failure->peer);
  if (not_after != NULL)
    expiry = g_date_time_format (not_after, "%Y-%m-%d");

  /* Translators: 1: host, 2: reason, 3: certificate issuer, 4: a date */
  return g_strdup_printf (_("The certificate of %s is not trusted: %s (issued by %s, valid until %s). If your organisation uses its own certificate authority, add its certificate as Trusted CA Certificate."),
                          host, reason,
                          issuer ? issuer : _("an unknown issuer"),
                          expiry ? expiry : _("an unknown date"));
}

/* Errors */

GError *
prov_http_translate_error (SoupMessage  *message,
                           const GError *error,
                           gboolean      sent_client_certificate)
{
  GUri *uri = soup_message_get_uri (message);
  const char *host = g_uri_get_host (uri);

  g_debug ("%s %s failed: %s (%s, %d)",
           soup_message_get_method (message), host,
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (PROV_ERROR, PROV_ERROR_HOST_NOT_FOUND,
                        _("The host “%s” could not be found. Check the address and your network connection."),
                        host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (PROV_ERROR, PROV_ERROR_CONNECTION_REFUSED,
                        _("%s refused the connection. Check the address and port, and that the service is running."),
                        host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PROV_ERROR, PROV_ERROR_TIMED_OUT,
                        _("%s did not answer in time. Check your network connection and try again later."),
                        host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_error_new (PROV_ERROR, PROV_ERROR_NETWORK,
                        _("%s cannot be reached from this computer. Check your network connection."),
                        host);

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE))
    return g_error_new_literal (PROV_ERROR, PROV_ERROR_TLS_UNAVAILABLE,
                                _("Secure connections are not available on this computer. Install glib-networking and try again."));

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_autofree char *text = describe_tls_failure (message);
      return g_error_new_literal (PROV_ERROR, PROV_ERROR_TLS_NOT_TRUSTED, text);
    }

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return g_error_new (PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED,
                        _("%s requires a client certificate. Choose Certificate as the authentication mechanism and generate or import one."),
                        host);

  /* A server that dislikes our certificate just hangs up during the
   * handshake: that is all the client gets to see. */
  if (sent_client_certificate &&
      (error->domain == G_TLS_ERROR ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
    return g_error_new (PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_REJECTED,
                        _("%s rejected the client certificate. Import the certificate at the technical user in Identity Provisioning, or generate a new one."),
                        host);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (PROV_ERROR, PROV_ERROR_NETWORK,
                        _("A secure connection to %s could not be set up. Check the address; the server may not speak HTTPS on this port."),
                        host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
      error->domain == SOUP_SESSION_ERROR)
    return g_error_new (PROV_ERROR, PROV_ERROR_CONNECTION_LOST,
                        _("%s closed the connection before answering. Try again; if it keeps happening, check the address."),
                        host);

  return g_error_new (PROV_ERROR, PROV_ERROR_NETWORK,
                      _("The connection to %s failed: %s"), host, error->message);
}

/* Sending */

static gboolean
uri_is_insecure (GUri *uri)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
         !prov_url_host_is_loopback (g_uri_get_host (uri));
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* libsoup follows redirects by itself, https:// to http:// included, and
 * sends the request again there — its body and, to the same host, its
 * Authorization header. Connected before libsoup's own redirect handler,
 * which only runs while the response has a Location: take it away, and
 * the 3xx comes back to us instead. */
static void
got_body_cb (SoupMessage *message,
             gpointer     user_data)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *location;
  g_autoptr(GUri) target = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (message)))
    return;

  location = soup_message_headers_get_one (headers, "Location");
  if (location == NULL)
    return;

  target = g_uri_parse_relative (soup_message_get_uri (message), location,
                                 SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL)
    return;

  if (uri_is_insecure (target))
    g_object_set_qdata_full (G_OBJECT (message), insecure_redirect_quark,
                             g_strdup (g_uri_get_host (target)), g_free);
  else if (!same_origin (soup_message_get_uri (message), target))
    /* Another host's answer would pass for this one's (Test Connection
     * would report success for a server nobody configured). */
    g_object_set_qdata_full (G_OBJECT (message), other_host_redirect_quark,
                             g_ascii_strcasecmp (g_uri_get_host (target),
                                                 g_uri_get_host (soup_message_get_uri (message))) == 0
                             ? g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT)
                             : g_strdup (g_uri_get_host (target)),
                             g_free);
  else
    return;

  soup_message_headers_remove (headers, "Location");
}

/* Bodies are read in chunks of this size, and checked against the cap
 * after each one. */
#define READ_CHUNK_SIZE (64 * 1024)

void
prov_http_message_set_max_body (SoupMessage *message,
                                gsize        max_bytes)
{
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_object_set_qdata (G_OBJECT (message), max_body_quark, GSIZE_TO_POINTER (max_bytes));
}

static gsize
message_max_body (SoupMessage *message)
{
  gsize max = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (message), max_body_quark));

  /* An error page says little that its status does not: keep it short. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return MIN (max > 0 ? max : PROV_HTTP_MAX_BODY_DEFAULT, PROV_HTTP_MAX_BODY_ERROR);
  return max > 0 ? max : PROV_HTTP_MAX_BODY_DEFAULT;
}

typedef struct
{
  SoupMessage  *message;
  gboolean      sent_client_certificate;
  GCancellable *cancellable;       /* ours: the caller's Cancel or the deadline */
  GCancellable *caller;            /* nullable */
  gulong        caller_handler;
  ProvHttpClient *client;          /* while under a deadline */
  gint64        deadline;          /* monotonic µs */
  guint         deadline_seconds;
  gboolean      deadline_hit;
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_body;
} SendData;

static void
close_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
}

static void
send_data_free (SendData *data)
{
  if (data->client != NULL)
    {
      g_hash_table_remove (data->client->under_deadline, data);
      g_clear_object (&data->client);
    }
  if (data->caller != NULL)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->caller);

  /* A body not read to its end (cap, deadline, Cancel) must not be read
   * now: closing with our cancellable cancelled makes libsoup drop the
   * connection instead of draining an endless stream. */
  if (data->stream != NULL && !g_input_stream_is_closed (data->stream))
    {
      g_cancellable_cancel (data->cancellable);
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, data->cancellable,
                                  close_done_cb, NULL);
    }
  g_clear_object (&data->stream);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_object (&data->message);
  g_free (data);
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

#define DEADLINE_TICK_MS 250

static gboolean
deadline_tick_cb (gpointer user_data)
{
  ProvHttpClient *self = user_data;
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (self->under_deadline) == 0)
    {
      g_clear_pointer (&self->deadline_ticker, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  g_hash_table_iter_init (&iter, self->under_deadline);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      SendData *data = key;

      if (!data->deadline_hit && now >= data->deadline)
        {
          data->deadline_hit = TRUE;
          g_ptr_array_add (expired, g_object_ref (data->cancellable));
        }
    }

  /* Cancelling may end a request, and change the set, at once. */
  for (guint i = 0; i < expired->len; i++)
    g_cancellable_cancel (g_ptr_array_index (expired, i));

  return G_SOURCE_CONTINUE;
}

static void
start_deadline (ProvHttpClient *self,
                SendData       *data)
{
  data->client = g_object_ref (self);
  data->deadline_seconds = self->deadline_seconds;
  data->deadline = g_get_monotonic_time () + (gint64) self->deadline_seconds * G_USEC_PER_SEC;
  g_hash_table_add (self->under_deadline, data);

  if (self->deadline_ticker == NULL)
    {
      self->deadline_ticker = g_timeout_source_new (DEADLINE_TICK_MS);
      g_source_set_callback (self->deadline_ticker, deadline_tick_cb, self, NULL);
      g_source_attach (self->deadline_ticker, g_main_context_get_thread_default ());
    }
}

/* Every way a request ends without a body goes through here. */
static void
return_transport_error (GTask        *task,
                        const GError *error)
{
  SendData *data = g_task_get_task_data (task);
  const char *host = g_uri_get_host (soup_message_get_uri (data->message));

  if (data->deadline_hit && (data->caller == NULL || !g_cancellable_is_cancelled (data->caller)))
    {
      g_debug ("%s %s: no complete answer within %u s", soup_message_get_method (data->message),
               host, data->deadline_seconds);
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_TIMED_OUT,
                               ngettext ("%s did not finish answering within %u second. Check your network connection and try again later.",
                                         "%s did not finish answering within %u seconds. Check your network connection and try again later.",
                                         data->deadline_seconds),
                               host, data->deadline_seconds);
      return;
    }

  g_task_return_error (task, prov_http_translate_error (data->message, error,
                                                        data->sent_client_certificate));
}

static void read_next (GTask *task);

static void
eof_closed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->body)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      /* Closed before answering, so that the connection is free for the
       * next request. */
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, eof_closed_cb,
                                  g_steal_pointer (&task));
      return;
    }

  if (data->body->len + size > data->max_body)
    {
      g_autofree char *limit = g_format_size (data->max_body);

      g_debug ("%s %s: answer longer than %" G_GSIZE_FORMAT " bytes, abandoned",
               soup_message_get_method (data->message),
               g_uri_get_host (soup_message_get_uri (data->message)), data->max_body);
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                               /* Translators: 1: host, 2: a size such as "64.0 kB" */
                               _("%s sent an answer larger than %s, far more than expected, so the request was abandoned. Check that the URL points to the right API."),
                               g_uri_get_host (soup_message_get_uri (data->message)), limit);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), size);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *redirect_host;
  goffset announced;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  redirect_host = g_object_get_qdata (G_OBJECT (data->message), insecure_redirect_quark);
  if (redirect_host != NULL)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_UNSUPPORTED_ANSWER,
                               _("%s redirected the request to %s over plain http://; it was not sent there. Check the address with the server’s administrator."),
                               g_uri_get_host (soup_message_get_uri (data->message)), redirect_host);
      return;
    }

  redirect_host = g_object_get_qdata (G_OBJECT (data->message), other_host_redirect_quark);
  if (redirect_host != NULL)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_UNSUPPORTED_ANSWER,
                               _("%s redirected the request to another server, %s; it was not sent there. Check the address with the server’s administrator."),
                               g_uri_get_host (soup_message_get_uri (data->message)), redirect_host);
      return;
    }

  /* A length announced past the cap is refused before a byte is read. */
  data->max_body = message_max_body (data->message);
  announced = soup_message_headers_get_content_length (soup_message_get_response_headers (data->message));
  data->body = g_byte_array_sized_new (MIN ((gsize) MAX (announced, 0), data->max_body) + 1);
  if (announced > 0 && (guint64) announced > data->max_body)
    {
      g_autofree char *limit = g_format_size (data->max_body);

      g_debug ("%s announced %" G_GOFFSET_FORMAT " bytes", g_uri_get_host (soup_message_get_uri (data->message)), announced);
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                               _("%s sent an answer larger than %s, far more than expected, so the request was abandoned. Check that the URL points to the right API."),
                               g_uri_get_host (soup_message_get_uri (data->message)), limit);
      return;
    }

  read_next (g_steal_pointer (&task));
}

void
prov_http_client_send_async (ProvHttpClient      *self,
                             SoupMessage         *message,
                             const char          *ca_file,
                             GTlsCertificate     *client_certificate,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AcceptData *accept;
  SendData *data;
  GError *error = NULL;

  g_return_if_fail (PROV_IS_HTTP_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_http_client_send_async);

  /* The editor refuses plain http:// to another computer, but
   * targets.json and source.json can be edited by hand: whatever the
   * configuration says, no request (and no credential in it) crosses the
   * network in clear. */
  {
    GUri *uri = soup_message_get_uri (message);

    if (uri_is_insecure (uri))
      {
        g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                                 _("Nothing was sent to %s: its address starts with http://, which is allowed only for this computer. Change it to https://."),
                                 g_uri_get_host (uri));
        return;
      }
  }

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->sent_client_certificate = client_certificate != NULL;
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  accept = g_new0 (AcceptData, 1);
  accept->host = g_strdup (g_uri_get_host (soup_message_get_uri (message)));
  if (ca_file != NULL && *ca_file != '\0')
    {
      GTlsDatabase *database = get_database (self, ca_file, &error);

      if (database == NULL)
        {
          g_debug ("Cannot load CA file %s: %s", ca_file, error->message);
          accept_data_free (accept, NULL);
          /* GLib's message names the file again; say only why. */
          g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_TLS_NOT_TRUSTED,
                                   !g_file_test (ca_file, G_FILE_TEST_EXISTS)
                                   ? _("The trusted CA certificate “%s” cannot be read: there is no such file.")
                                   : g_access (ca_file, R_OK) != 0
                                   ? _("The trusted CA certificate “%s” cannot be read: permission denied.")
                                   : _("The trusted CA certificate “%s” cannot be read: it holds no PEM certificate."),
                                   ca_file);
          g_clear_error (&error);
          return;
        }
      accept->extra = g_object_ref (database);
    }

  g_signal_connect_data (message, "accept-certificate",
                         G_CALLBACK (accept_certificate_cb), accept,
                         accept_data_free, 0);

  if (client_certificate != NULL)
    soup_message_set_tls_client_certificate (message, client_certificate);

  /* Before the session queues the message: ahead of its redirect handler.
   * A message sent again (the token retry builds a new one) is not
   * connected twice. */
  g_signal_handlers_disconnect_by_func (message, got_body_cb, NULL);
  g_signal_connect (message, "got-body", G_CALLBACK (got_body_cb), NULL);

  /* The idle timeout of the session ends a silent server; the deadline
   * ends one that trickles, and the caller's Cancel ends either at once. */
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    data->cancellable, NULL);
    }
  if (self->deadline_seconds > 0)
    start_deadline (self, data);

  soup_session_send_async (get_session_for (self, ca_file, client_certificate),
                           message, G_PRIORITY_DEFAULT,
                           data->cancellable, send_cb, g_steal_pointer (&task));
}

GBytes *
prov_http_client_send_finish (ProvHttpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
