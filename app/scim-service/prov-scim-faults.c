/* prov-scim-faults.c — fault injection and rate limits of the embedded SCIM service
 *
 * Every request passes here first: delays, dropped connections, status
 * faults, broken bodies, ignored filters, then sliding-window rate limits;
 * also the source's paging misbehaviour and strict Identity Provisioning POST.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "prov-scim-faults.h"
#include "prov-scim-http.h"
#include "prov-scim-routes.h"
#include "prov-test-server.h"

static void
add_rate_limit_headers (SoupServerMessage *msg,
                        guint              limit,
                        guint              remaining,
                        guint              reset_in_seconds)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *limit_str = g_strdup_printf ("%u", limit);
  g_autofree char *remaining_str = g_strdup_printf ("%u", remaining);
  g_autofree char *reset_str = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC + reset_in_seconds);

  soup_message_headers_replace (headers, "X-RateLimit-Limit", limit_str);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", remaining_str);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", reset_str);
}

static void
respond_too_many_requests (SoupServerMessage *msg,
                           const char        *path,
                           guint              limit,
                           guint              retry_after)
{
  g_autofree char *retry_str = g_strdup_printf ("%u", retry_after);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", retry_str);
  add_rate_limit_headers (msg, limit, 0, retry_after);

  if (prov_scim_is_scim_path (path))
    prov_scim_respond_scim_error (msg, HTTP_TOO_MANY_REQUESTS, NULL, "Too many requests");
  else
    prov_scim_respond_json_error (msg, HTTP_TOO_MANY_REQUESTS, "too_many_requests", "Too many requests");
}

/* The answer a STATUS fault gives: what the real service would send. */
static void
respond_fault_status (ProvTestServer    *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      guint              status)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *phrase = soup_status_get_phrase (status);

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      respond_too_many_requests (msg, path, FAULT_RATE_LIMIT, self->retry_after);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      if (prov_scim_path_is_under (path, JAM_SCIM_PREFIX))
        soup_message_headers_replace (headers, "WWW-Authenticate",
                                      "Bearer realm=\"SAP Jam\", error=\"invalid_token\"");
      else
        soup_message_headers_replace (headers, "WWW-Authenticate",
                                      "Basic realm=\"Provisioner test server\"");
    }

  if (prov_scim_is_scim_path (path))
    prov_scim_respond_scim_error (msg, status, NULL, phrase != NULL ? phrase : "Error");
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    prov_scim_respond_json_error (msg, status, "invalid_client", "Client authentication failed");
  else
    prov_scim_respond_json_error (msg, status, status >= 500 ? "server_error" : "invalid_request", phrase);
}

/* Faults, rate limits, concurrency */

void
prov_scim_fault_free (Fault *fault)
{
  g_free (fault->path_prefix);
  g_free (fault);
}

void
prov_scim_rate_limit_free (RateLimit *limit)
{
  g_free (limit->path_prefix);
  g_queue_clear_full (&limit->times, g_free);
  g_free (limit);
}

void
prov_scim_delayed_free (Delayed *delayed)
{
  g_clear_object (&delayed->msg);
  g_free (delayed->path);
  g_free (delayed);
}

/* Takes the oldest fault that matches @path, counting it down. */
static gboolean
take_fault (ProvTestServer *self,
            const char     *path,
            ProvTestFault  *kind,
            int            *param)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);

      if (!prov_scim_path_has_prefix (path, fault->path_prefix))
        continue;

      *kind = fault->kind;
      *param = fault->param;
      if (fault->remaining > 0 && --fault->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }

  return FALSE;
}

/* FALSE when a limit refused the request (429 set). */
static gboolean
apply_rate_limits (ProvTestServer    *self,
                   SoupServerMessage *msg,
                   const char        *path)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < self->rate_limits->len; i++)
    {
      RateLimit *limit = g_ptr_array_index (self->rate_limits, i);
      gint64 *oldest;
      guint reset;

      if (!prov_scim_path_has_prefix (path, limit->path_prefix))
        continue;

      while ((oldest = g_queue_peek_head (&limit->times)) != NULL && *oldest <= now - limit->window_us)
        g_free (g_queue_pop_head (&limit->times));

      if (limit->times.length >= limit->limit)
        {
          gint64 wait = *oldest + limit->window_us - now;
          guint retry = MAX (1, (guint) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));

          respond_too_many_requests (msg, path, limit->limit, retry);
          return FALSE;
        }

      g_queue_push_tail (&limit->times, g_memdup2 (&now, sizeof now));
      oldest = g_queue_peek_head (&limit->times);
      reset = (guint) ((*oldest + limit->window_us - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      add_rate_limit_headers (msg, limit->limit, limit->limit - limit->times.length, reset);
    }

  return TRUE;
}

static void
stolen_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  g_object_unref (object);
}

static void
drop_connection (ProvTestServer    *self,
                 SoupServerMessage *msg)
{
  GIOStream *stream;

  prov_scim_end_in_flight (self, msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_closed_cb, NULL);
}

static void
truncate_response (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = g_bytes_get_size (bytes);

  if (len < 2)
    return;

  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL), len / 2);
}

static const char malformed_json[] =
  "{\"schemas\": [\"" SCIM_LIST_RESPONSE "\"], \"totalResults\": 1,, \"access_token\": tok, \"Resources\": [}";

static const char html_page[] =
  "<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>"
  "<body><h1>We are down for maintenance</h1><p>Please try again later.</p></body></html>\n";

/* After faults: rate limits, then the endpoint. */
static void
serve (ProvTestServer    *self,
       SoupServerMessage *msg,
       const char        *path)
{
  if (!apply_rate_limits (self, msg, path))
    return;

  prov_scim_dispatch (self, msg, path);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source_id = 0;
  serve (delayed->self, delayed->msg, delayed->path);
  soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove (delayed->self->delayed, delayed);

  return G_SOURCE_REMOVE;
}

static void
delay_message (ProvTestServer    *self,
               SoupServerMessage *msg,
               const char        *path,
               guint              ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->path = g_strdup (path);
  delayed->source_id = g_timeout_add (ms, delay_done_cb, delayed);
  g_ptr_array_add (self->delayed, delayed);

  soup_server_message_pause (msg);
}

void
prov_scim_server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  ProvTestServer *self = user_data;
  ProvTestFault kind;
  int param;

  prov_scim_record_request (self, msg, path);
  g_debug ("%s %s", soup_server_message_get_method (msg), path);

  if (!take_fault (self, path, &kind, &param))
    {
      serve (self, msg, path);
      return;
    }

  switch (kind)
    {
    case PROV_TEST_FAULT_DELAY:
      delay_message (self, msg, path, MAX (param, 0));
      break;

    case PROV_TEST_FAULT_DROP:
      drop_connection (self, msg);
      break;

    case PROV_TEST_FAULT_STATUS:
      respond_fault_status (self, msg, path, param);
      break;

    case PROV_TEST_FAULT_MALFORMED_JSON:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, prov_scim_is_scim_path (path) ? SCIM_CONTENT_TYPE : JSON_CONTENT_TYPE,
                                        SOUP_MEMORY_STATIC, malformed_json, strlen (malformed_json));
      break;

    case PROV_TEST_FAULT_TRUNCATED_JSON:
      serve (self, msg, path);
      truncate_response (msg);
      break;

    case PROV_TEST_FAULT_WRONG_CONTENT_TYPE:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                        SOUP_MEMORY_STATIC, html_page, strlen (html_page));
      break;

    case PROV_TEST_FAULT_IGNORE_FILTER:
      self->ignoring_filter = TRUE;
      serve (self, msg, path);
      self->ignoring_filter = FALSE;
      break;

    case PROV_TEST_FAULT_NONE:
    default:
      serve (self, msg, path);
      break;
    }
}

void
prov_test_server_inject_fault (ProvTestServer *self,
                               const char     *path_prefix,
                               ProvTestFault   fault,
                               int             param,
                               guint           times)
{
  Fault *entry;

  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (fault != PROV_TEST_FAULT_STATUS || (param >= 100 && param <= 599));

  entry = g_new0 (Fault, 1);
  entry->path_prefix = g_strdup (path_prefix);
  entry->kind = fault;
  entry->param = param;
  entry->remaining = times;
  g_ptr_array_add (self->faults, entry);
}

void
prov_test_server_clear_faults (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_ptr_array_set_size (self->faults, 0);
}

void
prov_test_server_set_retry_after (ProvTestServer *self,
                                  guint           seconds)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->retry_after = seconds;
}

void
prov_test_server_set_rate_limit (ProvTestServer *self,
                                 const char     *path_prefix,
                                 guint           limit,
                                 guint           window_ms)
{
  RateLimit *entry;

  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (limit == 0 || window_ms > 0);

  for (guint i = 0; i < self->rate_limits->len; i++)
    {
      entry = g_ptr_array_index (self->rate_limits, i);
      if (g_strcmp0 (entry->path_prefix, path_prefix) == 0)
        {
          g_ptr_array_remove_index (self->rate_limits, i);
          break;
        }
    }

  if (limit == 0)
    return;

  entry = g_new0 (RateLimit, 1);
  entry->path_prefix = g_strdup (path_prefix);
  entry->limit = limit;
  entry->window_us = (gint64) window_ms * 1000;
  g_queue_init (&entry->times);
  g_ptr_array_add (self->rate_limits, entry);
}

void
prov_test_server_set_source_repeat_last_page (ProvTestServer *self,
                                              gboolean        repeat)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_repeat_last_page = repeat;
}

void
prov_test_server_set_source_reported_total (ProvTestServer *self,
                                            int             total)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_reported_total = total;
}

void
prov_test_server_set_source_end_marker (ProvTestServer *self,
                                        const char     *marker)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (marker != NULL);

  g_free (self->source_end_marker);
  self->source_end_marker = g_strdup (marker);
}

void
prov_test_server_set_source_page_cap (ProvTestServer *self,
                                      guint           cap)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_page_cap = cap;
}

void
prov_test_server_set_ips_strict_post (ProvTestServer *self,
                                      gboolean        strict)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->ips_strict_post = strict;
}
