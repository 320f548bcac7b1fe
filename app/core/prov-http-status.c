/* prov-http-status.c — what an HTTP status and its headers mean to people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-error.h"
#include "prov-http-client.h"

/* What a server may ask us to wait: a date long past means now, a date
 * in the year 9999 is a mistake; nobody waits more than an hour. */
#define RETRY_AFTER_MIN_SECONDS 1
#define RETRY_AFTER_MAX_SECONDS 3600

static gint64
clamp_wait (gint64 seconds)
{
  return CLAMP (seconds, RETRY_AFTER_MIN_SECONDS, RETRY_AFTER_MAX_SECONDS);
}

/* A non-negative decimal number of seconds (too many digits: the most
 * there is), or -1 when @value is not one. */
static gint64
parse_seconds (const char *value)
{
  g_autofree char *text = g_strstrip (g_strdup (value));
  guint64 seconds;

  if (*text == '\0')
    return -1;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return -1;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &seconds, NULL))
    return G_MAXINT64;
  return (gint64) seconds;
}

gint64
prov_http_get_retry_after (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *value;

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value != NULL)
    {
      gint64 seconds = parse_seconds (value);
      g_autoptr(GDateTime) when = NULL;

      if (seconds >= 0)
        return clamp_wait (seconds);

      /* Retry-After may also be an HTTP date. */
      when = soup_date_time_new_from_http_string (value);
      if (when != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          return clamp_wait (g_date_time_difference (when, now) / G_USEC_PER_SEC);
        }
    }

  value = soup_message_headers_get_one (headers, "X-RateLimit-Reset");
  if (value != NULL)
    {
      gint64 reset = parse_seconds (value);

      if (reset >= 0)
        {
          /* Either seconds from now or a Unix time; a Unix time is large. */
          if (reset > 1000000000)
            return clamp_wait (reset - g_get_real_time () / G_USEC_PER_SEC);
          return clamp_wait (reset);
        }
    }

  return -1;
}

static char *
format_wait (gint64 seconds)
{
  gulong n;

  if (seconds < 0)
    return g_strdup (_("a minute"));
  if (seconds < 120)
    {
      n = (gulong) seconds;
      return g_strdup_printf (ngettext ("%lu second", "%lu seconds", n), n);
    }
  if (seconds < 3600)
    {
      n = (gulong) ((seconds + 59) / 60);
      return g_strdup_printf (ngettext ("%lu minute", "%lu minutes", n), n);
    }
  n = (gulong) ((MIN (seconds, G_MAXINT64 - 3599) + 3599) / 3600);
  return g_strdup_printf (ngettext ("%lu hour", "%lu hours", n), n);
}

gboolean
prov_http_check_status (SoupMessage      *message,
                        ProvHttpPurpose   purpose,
                        GError          **error)
{
  guint status = soup_message_get_status (message);
  const char *host = g_uri_get_host (soup_message_get_uri (message));

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  g_debug ("%s %s answered HTTP %u %s",
           soup_message_get_method (message), host, status,
           soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message) : "");

  if (purpose == PROV_HTTP_PURPOSE_TOKEN && (status == 400 || status == 401 || status == 403))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CREDENTIALS_REFUSED,
                   _("The token URL refused the client credentials (HTTP %u). Check the client key or ID and the client secret."),
                   status);
      return FALSE;
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      g_set_error (error, PROV_ERROR, PROV_ERROR_UNAUTHORIZED,
                   purpose == PROV_HTTP_PURPOSE_IPS
                   ? _("%s refused the credentials (HTTP 401). Check the user name and password, or the certificate, of the technical user.")
                   : _("%s refused the credentials (HTTP 401). Check the client key or ID and the client secret."),
                   host);
      return FALSE;

    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, PROV_ERROR, PROV_ERROR_FORBIDDEN,
                   _("%s accepted the credentials but does not allow this (HTTP 403). Give the client or technical user the authorization to read and manage users."),
                   host);
      return FALSE;

    case SOUP_STATUS_NOT_FOUND:
      if (purpose == PROV_HTTP_PURPOSE_IPS)
        g_set_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND,
                     _("%s does not know this system (HTTP 404). Check the system ID in the SCIM URL."),
                     host);
      else if (purpose == PROV_HTTP_PURPOSE_TOKEN)
        g_set_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND,
                     _("There is no token endpoint at this address on %s (HTTP 404). Check the token URL."),
                     host);
      else
        g_set_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND,
                     _("%s has no SCIM API at this address (HTTP 404). Check the URL."),
                     host);
      return FALSE;

    case 429: /* Too Many Requests; libsoup 3.2 has no name for it */
      {
        g_autofree char *wait = format_wait (prov_http_get_retry_after (message));
        g_set_error (error, PROV_ERROR, PROV_ERROR_RATE_LIMITED,
                     _("%s is limiting requests (HTTP 429). Try again in %s."),
                     host, wait);
        return FALSE;
      }

    case SOUP_STATUS_BAD_GATEWAY:
      g_set_error (error, PROV_ERROR, PROV_ERROR_BAD_GATEWAY,
                   _("%s could not be reached through its gateway (HTTP 502). Try again later."),
                   host);
      return FALSE;

    case SOUP_STATUS_CONFLICT:
      g_set_error (error, PROV_ERROR, PROV_ERROR_CONFLICT,
                   _("%s reports a conflict with an existing user (HTTP 409)."),
                   host);
      return FALSE;

    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      g_set_error (error, PROV_ERROR, PROV_ERROR_MAINTENANCE,
                   _("%s is unavailable, probably for maintenance (HTTP 503). Try again later."),
                   host);
      return FALSE;

    default:
      if (status >= 500)
        g_set_error (error, PROV_ERROR, PROV_ERROR_SERVER_ERROR,
                     _("%s had a problem answering (HTTP %u). Try again later; if it persists, contact its administrator."),
                     host, status);
      else
        g_set_error (error, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                     _("%s did not accept the request (HTTP %u). Check the URL."),
                     host, status);
      return FALSE;
    }
}
