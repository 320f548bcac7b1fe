/* prov-auth.c — authenticated requests to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-auth.h"
#include "prov-client-certificate.h"
#include "prov-error.h"
#include "prov-json-response.h"

struct _ProvAuth
{
  GObject           parent_instance;

  ProvHttpClient   *client;
  ProvTargetSystem *target;
  GTlsCertificate  *client_certificate;  /* loaded on first use */
  char             *token_key;
  ProvRateLimiter  *limiter;

  /* One token request at a time: requests that need a token while it is
   * on its way wait for it instead of asking for their own. */
  gboolean          fetching_token;
  GQueue            token_waiters;
};

G_DEFINE_FINAL_TYPE (ProvAuth, prov_auth, G_TYPE_OBJECT)

static void
prov_auth_finalize (GObject *object)
{
  ProvAuth *self = (ProvAuth *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->target);
  g_clear_object (&self->client_certificate);
  g_clear_pointer (&self->token_key, g_free);
  g_clear_object (&self->limiter);

  G_OBJECT_CLASS (prov_auth_parent_class)->finalize (object);
}

static void
prov_auth_class_init (ProvAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_auth_finalize;
}

static void
prov_auth_init (ProvAuth *self)
{
}

ProvAuth *
prov_auth_new (ProvHttpClient   *client,
               ProvTargetSystem *target)
{
  ProvAuth *self;
  g_autofree char *secret_digest = NULL;
  const char *secret;

  g_return_val_if_fail (PROV_IS_HTTP_CLIENT (client), NULL);
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  self = g_object_new (PROV_TYPE_AUTH, NULL);
  self->client = g_object_ref (client);
  self->target = g_object_ref (target);

  /* Tokens are shared by every run with the same client; a changed secret
   * must not reuse a token issued for the old one. */
  secret = prov_target_system_get_text (target, PROV_FIELD_CLIENT_SECRET);
  secret_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  self->token_key = g_strdup_printf ("%s\n%s\n%s",
                                     prov_target_system_get_text (target, PROV_FIELD_TOKEN_URL),
                                     prov_target_system_get_text (target, PROV_FIELD_CLIENT_ID),
                                     secret_digest);
  return self;
}

ProvTargetSystem *
prov_auth_get_target (ProvAuth *self)
{
  g_return_val_if_fail (PROV_IS_AUTH (self), NULL);
  return self->target;
}

void
prov_auth_set_rate_limiter (ProvAuth        *self,
                            ProvRateLimiter *limiter)
{
  g_return_if_fail (PROV_IS_AUTH (self));
  g_set_object (&self->limiter, limiter);
}

static const char *
ca_file (ProvAuth *self)
{
  const char *path = prov_target_system_get_text (self->target, PROV_FIELD_CA_FILE);
  return *path ? path : NULL;
}

/* One request on its way */

typedef struct
{
  char         *method;
  char         *uri;
  GBytes       *body;
  char         *content_type;
  SoupMessage  *message;
  GBytes       *response;
  gboolean      token_from_cache;
  gboolean      retried;
  ProvRateLimiter *limiter;   /* holds a slot of it while on the way */
} Request;

/* The request was answered or failed: its slot counts from now on. */
static void
request_release_slot (Request *request)
{
  if (request->limiter == NULL)
    return;
  prov_rate_limiter_release (request->limiter, g_get_monotonic_time ());
  g_clear_object (&request->limiter);
}

static void
request_free (Request *request)
{
  request_release_slot (request);
  g_free (request->method);
  g_free (request->uri);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_clear_object (&request->message);
  g_clear_pointer (&request->response, g_bytes_unref);
  g_free (request);
}

static void send_with_token (GTask *task, const char *token);

/* The token fetch ended: everyone who waited goes on, or fails with it. */
static void
release_token_waiters (ProvAuth     *self,
                       const char   *token,
                       const GError *error)
{
  GTask *waiter;

  self->fetching_token = FALSE;
  while ((waiter = g_queue_pop_head (&self->token_waiters)) != NULL)
    {
      if (error != NULL)
        {
          g_task_return_error (waiter, g_error_copy (error));
          g_object_unref (waiter);
        }
      else
        send_with_token (waiter, token);
    }
}

static void
wipe_string_free (gpointer data)
{
  memset (data, 0, strlen (data));
  g_free (data);
}

typedef struct
{
  char   *method;
  char   *content_type;
  GBytes *body;
} Resend;

static void
resend_free (gpointer  data,
             GClosure *closure)
{
  Resend *resend = data;

  g_free (resend->method);
  g_free (resend->content_type);
  g_bytes_unref (resend->body);
  g_free (resend);
}

/* libsoup 3.2 sends an idempotent request again when its kept-alive
 * connection was closed before any answer — but with an empty body, the
 * stream of the first try being used up. The target then refuses the
 * write (HTTP 400) and the user fails. Give the message its body back. A
 * redirect that turned it into a GET keeps it empty. */
static void
restarted_cb (SoupMessage *message,
              Resend      *resend)
{
  if (g_strcmp0 (soup_message_get_method (message), resend->method) != 0)
    return;
  soup_message_set_request_body_from_bytes (message, resend->content_type, resend->body);
}

static SoupMessage *
build_message (Request  *request,
               GError  **error)
{
  SoupMessage *message = soup_message_new (request->method, request->uri);

  if (message == NULL)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_NETWORK,
                   _("“%s” is not an address that can be used."), request->uri);
      return NULL;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/scim+json, application/json");

  /* Without this libsoup opens a new connection (and TLS handshake) for
   * every POST. The cost: a POST on a connection that drops may be sent
   * again, which the engine absorbs (a create answered 409 becomes an
   * update). */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  if (request->body != NULL)
    {
      Resend *resend = g_new0 (Resend, 1);

      soup_message_set_request_body_from_bytes (message, request->content_type, request->body);
      resend->method = g_strdup (request->method);
      resend->content_type = g_strdup (request->content_type);
      resend->body = g_bytes_ref (request->body);
      g_signal_connect_data (message, "restarted", G_CALLBACK (restarted_cb),
                             resend, resend_free, 0);
    }

  return message;
}

static void
api_sent_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvAuth *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *response;

  response = prov_http_client_send_finish (PROV_HTTP_CLIENT (object), result, &error);
  request_release_slot (request);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A token may die before its announced end (revoked, server restarted):
   * fetch a new one, once. */
  if (soup_message_get_status (request->message) == SOUP_STATUS_UNAUTHORIZED &&
      prov_target_system_get_auth_mechanism (self->target) == PROV_AUTH_MECHANISM_OAUTH &&
      !request->retried)
    {
      g_bytes_unref (response);
      request->retried = TRUE;
      prov_http_client_forget_token (self->client, self->token_key);
      g_debug ("API refused the token; fetching a new one");
      send_with_token (g_steal_pointer (&task), NULL);
      return;
    }

  request->response = response;
  g_task_return_boolean (task, TRUE);
}

static void send_message (GTask *task);

static gboolean
send_later_cb (gpointer data)
{
  send_message (data);
  return G_SOURCE_REMOVE;
}

static void
send_message (GTask *task)
{
  ProvAuth *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  /* Each request, retries and lookups included, counts against the
   * target's limits; wait for a slot rather than be refused. */
  if (self->limiter != NULL && request->limiter == NULL)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 delay = prov_rate_limiter_get_delay (self->limiter, now);

      if (delay > 0)
        {
          g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((delay + 999) / 1000),
                              send_later_cb, task, NULL);
          return;
        }
      prov_rate_limiter_take (self->limiter, now);
      request->limiter = g_object_ref (self->limiter);
    }

  prov_http_client_send_async (self->client, request->message, ca_file (self),
                               self->client_certificate,
                               g_task_get_cancellable (task),
                               api_sent_cb, task);
}

static void
token_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvAuth *self = g_task_get_source_object (task);
  SoupMessage *token_message = g_object_get_data (G_OBJECT (task), "token-message");
  g_autoptr(GBytes) response = NULL;
  g_autofree char *token = NULL;
  GError *error = NULL;
  gint64 expires_in = 0;

  response = prov_http_client_send_finish (PROV_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      release_token_waiters (self, NULL, error);
      g_task_return_error (task, error);
      return;
    }

  if (!prov_http_check_status (token_message, PROV_HTTP_PURPOSE_TOKEN, &error) ||
      !prov_json_response_parse_token (response,
                                       soup_message_headers_get_content_type (soup_message_get_response_headers (token_message), NULL),
                                       g_uri_get_host (soup_message_get_uri (token_message)),
                                       &token, &expires_in, &error))
    {
      release_token_waiters (self, NULL, error);
      g_task_return_error (task, error);
      return;
    }

  prov_http_client_store_token (self->client, self->token_key, token, expires_in);
  release_token_waiters (self, token, NULL);
  send_with_token (g_steal_pointer (&task), token);
  if (token != NULL)
    memset (token, 0, strlen (token));
}

static void
fetch_token (GTask *task)
{
  ProvAuth *self = g_task_get_source_object (task);
  const char *token_url = prov_target_system_get_text (self->target, PROV_FIELD_TOKEN_URL);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *form = NULL;

  form = soup_form_encode ("grant_type", "client_credentials",
                           "client_id", prov_target_system_get_text (self->target, PROV_FIELD_CLIENT_ID),
                           "client_secret", prov_target_system_get_text (self->target, PROV_FIELD_CLIENT_SECRET),
                           NULL);

  message = soup_message_new (SOUP_METHOD_POST, token_url);
  if (message == NULL)
    {
      g_autoptr(GError) error = g_error_new (PROV_ERROR, PROV_ERROR_NETWORK,
                                             _("The token URL “%s” cannot be used."), token_url);

      memset (form, 0, strlen (form));
      release_token_waiters (self, NULL, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  {
    /* The form carries the secret: the bytes are wiped when freed. */
    gsize length = strlen (form);
    char *data = g_steal_pointer (&form);
    GBytes *bytes = g_bytes_new_with_free_func (data, length, wipe_string_free, data);
    soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
    g_bytes_unref (bytes);
  }

  g_object_set_data_full (G_OBJECT (task), "token-message", g_object_ref (message), g_object_unref);
  prov_http_client_send_async (self->client, message, ca_file (self), NULL,
                               g_task_get_cancellable (task), token_sent_cb, task);
}

/* Sends the API request; with @token NULL, takes one from the cache or
 * fetches one first. */
static void
send_with_token (GTask      *task,
                 const char *token)
{
  ProvAuth *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *cached = NULL;
  g_autofree char *header = NULL;
  GError *error = NULL;

  if (token == NULL)
    {
      cached = prov_http_client_lookup_token (self->client, self->token_key);
      if (cached == NULL)
        {
          if (self->fetching_token)
            {
              g_queue_push_tail (&self->token_waiters, task);
              return;
            }
          self->fetching_token = TRUE;
          fetch_token (task);
          return;
        }
      token = cached;
    }

  g_clear_object (&request->message);
  request->message = build_message (request, &error);
  if (request->message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  header = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                "Authorization", header);
  memset (header, 0, strlen (header));
  if (cached != NULL)
    memset (cached, 0, strlen (cached));

  send_message (task);
}

void
prov_auth_send_async (ProvAuth            *self,
                      const char          *method,
                      const char          *uri,
                      GBytes              *body,
                      const char          *content_type,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  Request *request;
  GError *error = NULL;

  g_return_if_fail (PROV_IS_AUTH (self));
  g_return_if_fail (method != NULL && uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_auth_send_async);

  request = g_new0 (Request, 1);
  request->method = g_strdup (method);
  request->uri = g_strdup (uri);
  request->body = body ? g_bytes_ref (body) : NULL;
  request->content_type = g_strdup (content_type ? content_type : "application/scim+json");
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  /* A free slot is taken at once, before any token is fetched: whoever
   * asks the limiter next (the engine, before it starts another write)
   * must see it taken. */
  if (self->limiter != NULL)
    {
      gint64 now = g_get_monotonic_time ();

      if (prov_rate_limiter_get_delay (self->limiter, now) == 0)
        {
          prov_rate_limiter_take (self->limiter, now);
          request->limiter = g_object_ref (self->limiter);
        }
    }

  switch (prov_target_system_get_auth_mechanism (self->target))
    {
    case PROV_AUTH_MECHANISM_OAUTH:
      send_with_token (task, NULL);
      return;

    case PROV_AUTH_MECHANISM_CERTIFICATE:
      if (self->client_certificate == NULL)
        self->client_certificate =
          prov_client_certificate_load (prov_target_system_get_text (self->target, PROV_FIELD_CLIENT_CERTIFICATE),
                                        prov_target_system_get_text (self->target, PROV_FIELD_CERTIFICATE_KEY),
                                        &error);
      if (self->client_certificate == NULL)
        break;
      request->message = build_message (request, &error);
      if (request->message == NULL)
        break;
      send_message (task);
      return;

    case PROV_AUTH_MECHANISM_BASIC:
      request->message = build_message (request, &error);
      if (request->message == NULL)
        break;
      {
        g_autofree char *pair = g_strdup_printf ("%s:%s",
                                                 prov_target_system_get_text (self->target, PROV_FIELD_USERNAME),
                                                 prov_target_system_get_text (self->target, PROV_FIELD_PASSWORD));
        g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
        g_autofree char *header = g_strdup_printf ("Basic %s", encoded);

        soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                      "Authorization", header);
        memset (pair, 0, strlen (pair));
        memset (encoded, 0, strlen (encoded));
        memset (header, 0, strlen (header));
      }
      send_message (task);
      return;

    default:
      g_assert_not_reached ();
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

SoupMessage *
prov_auth_send_finish (ProvAuth      *self,
                       GAsyncResult  *result,
                       GBytes       **body,
                       GError       **error)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  request = g_task_get_task_data (G_TASK (result));
  if (body != NULL)
    *body = g_bytes_ref (request->response);
  return g_object_ref (request->message);
}
