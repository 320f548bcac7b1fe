/* test-hostile-server.c — servers that misbehave on purpose
 *
 * Huge, endless, slow and deeply nested answers, silent servers, redirects
 * to another host, 401 forever and 429 with both forms of Retry-After,
 * over loopback, plain and TLS. Each case asserts the sentence a person
 * reads, a generous upper bound on time, and — the whole program runs
 * under an address-space limit (RLIMIT_AS) — bounded memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-http-client.h"
#include "prov-json-reader.h"
#include "prov-target-system.h"
#include "prov-test-certs.h"
#include "test-helpers.h"

/* Short, so that slow servers are met quickly; the defaults are 30 and
 * 120 s. */
#define IDLE_SECONDS     2
#define DEADLINE_SECONDS 4
/* Limits a case is not about. */
#define LENIENT_SECONDS  60

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

/* The whole program's address space; a 1 GB body cannot fit. */
#define ADDRESS_SPACE_LIMIT (768 * 1024 * 1024)

#define IPS_PATH "/ipsproxy/service/api/v1/systems/sys1/entities/user"
#define NESTING  200000

typedef enum
{
  MODE_HUGE_ANNOUNCED,   /* Content-Length: 1 GB, then as much as is read */
  MODE_HUGE_STREAMED,    /* no length, 1 GB until the connection closes */
  MODE_ENDLESS_CHUNKED,  /* chunk after chunk, forever */
  MODE_SLOW_BODY,        /* a byte a second */
  MODE_SLOW_HEADERS,     /* the status line and headers, a byte a second */
  MODE_SILENT,           /* reads the request, never answers */
  MODE_NESTED,           /* 200,000 levels of arrays */
  MODE_REDIRECT,         /* 302 to another host */
  MODE_UNAUTHORIZED,     /* 401 to everything but the token endpoint */
  MODE_RATE_LIMITED,     /* 429 with Retry-After */
} Mode;

/* A server that misbehaves: a listening socket on 127.0.0.1 and one
 * blocking thread per connection, so a slow or endless answer never
 * stalls the client's main loop in this thread. Reference counted
 * (atomically): connection threads may outlive a test by a moment. */
typedef struct
{
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *accept_thread;
  GTlsCertificate *certificate;   /* NULL: plain HTTP */
  guint16          port;
  Mode             mode;
  char            *location;      /* MODE_REDIRECT */
  char            *retry_after;   /* MODE_RATE_LIMITED */
  gint             connections;
} Hostile;

static void
hostile_clear (Hostile *hostile)
{
  g_clear_object (&hostile->listener);
  g_clear_object (&hostile->cancellable);
  g_clear_object (&hostile->certificate);
  g_free (hostile->location);
  g_free (hostile->retry_after);
}

static void
hostile_release (Hostile *hostile)
{
  g_atomic_rc_box_release_full (hostile, (GDestroyNotify) hostile_clear);
}

typedef struct
{
  Hostile           *hostile;
  GSocketConnection *connection;
} Connection;

static gboolean
write_all (GOutputStream *out,
           const void    *data,
           gsize          size)
{
  return g_output_stream_write_all (out, data, size, NULL, NULL, NULL);
}

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  return write_all (out, text, strlen (text));
}

/* Reads the request head (and any body it announces); returns its path. */
static char *
read_request (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request_line = NULL;
  guint64 content_length = 0;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (head->len > 65536 || g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        return NULL;
      g_string_append_c (head, c);
    }

  lines = g_strsplit (head->str, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      content_length = g_ascii_strtoull (lines[i] + 15, NULL, 10);

  /* Left unread, the body would make closing send a reset, which can
   * overtake the answer. */
  for (guint64 i = 0; i < content_length; i++)
    if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
      return NULL;

  request_line = g_strsplit (lines[0], " ", 3);
  return g_strdup (request_line[1] ? request_line[1] : "/");
}

static void
respond (Hostile       *hostile,
         GInputStream  *in,
         GOutputStream *out,
         const char    *path)
{
  static char chunk[65536];
  g_autofree char *head = NULL;

  memset (chunk, ' ', sizeof chunk);

  if (strstr (path, "/auth/token") != NULL)
    {
      const char *token = "{\"access_token\":\"hostile-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

      head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen (token));
      if (write_text (out, head))
        write_text (out, token);
      return;
    }

  switch (hostile->mode)
    {
    case MODE_HUGE_ANNOUNCED:
    case MODE_HUGE_STREAMED:
      write_text (out, hostile->mode == MODE_HUGE_ANNOUNCED
                       ? "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                         "Content-Length: 1073741824\r\nConnection: close\r\n\r\n"
                       : "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                         "Connection: close\r\n\r\n");
      for (guint i = 0; i < 1073741824 / sizeof chunk; i++)
        if (!write_all (out, chunk, sizeof chunk))
          break;
      break;

    case MODE_ENDLESS_CHUNKED:
      if (!write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"))
        break;
      while (write_text (out, "10000\r\n") && write_all (out, chunk, sizeof chunk) && write_text (out, "\r\n"))
        ;
      break;

    case MODE_SLOW_BODY:
      if (!write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                            "Content-Length: 1000\r\nConnection: close\r\n\r\n"))
        break;
      for (guint i = 0; i < 1000 && write_text (out, " "); i++)
        g_usleep (G_USEC_PER_SEC);
      break;

    case MODE_SLOW_HEADERS:
      {
        const char *text = "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                           "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                           "Content-Length: 2\r\n\r\n{}";

        for (const char *p = text; *p != '\0' && write_all (out, p, 1); p++)
          g_usleep (G_USEC_PER_SEC);
      }
      break;

    case MODE_SILENT:
      /* Until the client gives up and closes. */
      while (g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL) > 0)
        ;
      break;

    case MODE_NESTED:
      {
        g_autofree char *body = g_malloc (2 * NESTING);

        memset (body, '[', NESTING);
        memset (body + NESTING, ']', NESTING);
        head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n"
                                "Content-Length: %u\r\nConnection: close\r\n\r\n", 2 * NESTING);
        if (write_text (out, head))
          write_all (out, body, 2 * NESTING);
      }
      break;

    case MODE_REDIRECT:
      head = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: %s\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n", hostile->location);
      write_text (out, head);
      break;

    case MODE_UNAUTHORIZED:
      write_text (out, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
                       "Content-Type: application/json\r\nContent-Length: 25\r\nConnection: close\r\n\r\n"
                       "{\"error\":\"invalid_token\"}");
      break;

    case MODE_RATE_LIMITED:
      head = g_strdup_printf ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                              hostile->retry_after);
      write_text (out, head);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gpointer
serve_connection (gpointer data)
{
  Connection *connection = data;
  Hostile *hostile = connection->hostile;
  g_autoptr(GIOStream) stream = G_IO_STREAM (g_object_ref (connection->connection));
  g_autofree char *path = NULL;

  if (hostile->certificate != NULL)
    {
      g_autoptr(GIOStream) tls = g_tls_server_connection_new (stream, hostile->certificate, NULL);

      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        goto out;
      g_set_object (&stream, tls);
    }

  path = read_request (g_io_stream_get_input_stream (stream));
  if (path != NULL)
    respond (hostile, g_io_stream_get_input_stream (stream), g_io_stream_get_output_stream (stream), path);
  g_io_stream_close (stream, NULL, NULL);

out:
  g_object_unref (connection->connection);
  hostile_release (hostile);
  g_free (connection);
  return NULL;
}

static gpointer
accept_loop (gpointer data)
{
  Hostile *hostile = data;

  for (;;)
    {
      GSocketConnection *accepted = g_socket_listener_accept (hostile->listener, NULL,
                                                              hostile->cancellable, NULL);
      Connection *connection;

      if (accepted == NULL)
        break;
      g_atomic_int_inc (&hostile->connections);
      connection = g_new0 (Connection, 1);
      connection->hostile = g_atomic_rc_box_acquire (hostile);
      connection->connection = accepted;
      g_thread_unref (g_thread_new ("hostile-connection", serve_connection, connection));
    }

  return NULL;
}

static Hostile *
hostile_new (Mode             mode,
             GTlsCertificate *certificate)
{
  Hostile *hostile = g_atomic_rc_box_new0 (Hostile);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  hostile->mode = mode;
  hostile->certificate = certificate ? g_object_ref (certificate) : NULL;
  hostile->cancellable = g_cancellable_new ();
  hostile->listener = g_socket_listener_new ();
  g_socket_listener_add_address (hostile->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  hostile->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  hostile->accept_thread = g_thread_new ("hostile-accept", accept_loop, hostile);
  return hostile;
}

static void
hostile_free (Hostile *hostile)
{
  g_cancellable_cancel (hostile->cancellable);
  g_thread_join (hostile->accept_thread);
  g_socket_listener_close (hostile->listener);
  hostile_release (hostile);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_free)

/* TLS: a CA and a certificate for 127.0.0.1 and localhost, made once. */

static char            *ca_file;
static GTlsCertificate *server_certificate;
static char            *tmp_dir;

static void
make_certificates (void)
{
  static const char * const dns[] = { "localhost", NULL };
  static const char * const ips[] = { "127.0.0.1", NULL };
  g_autoptr(ProvTestCert) ca = NULL;
  g_autoptr(ProvTestCert) server = NULL;
  g_autoptr(GError) error = NULL;

  ca = prov_test_cert_new_ca ("CN=Hostile Test CA", PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  server = prov_test_cert_new_server (ca, dns, ips, PROV_TEST_CERT_DEFAULT, &error);
  g_assert_no_error (error);
  server_certificate = prov_test_cert_to_tls_certificate (server, &error);
  g_assert_no_error (error);

  tmp_dir = g_dir_make_tmp ("test-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  ca_file = g_build_filename (tmp_dir, "ca.pem", NULL);
  prov_test_cert_write_files (ca, ca_file, NULL, &error);
  g_assert_no_error (error);
}

/* Test Connection, as the window runs it */

typedef struct
{
  gboolean  tls;
  Mode      mode;
  gboolean  jam;           /* a SAP Jam target (OAuth) instead of IPS */
} Case;

static char *
base_url (gboolean    tls,
          const char *host,
          guint16     port)
{
  return g_strdup_printf ("%s://%s:%u", tls ? "https" : "http", host, port);
}

static ProvTargetSystem *
target_for (Hostile  *hostile,
            gboolean  tls,
            gboolean  jam)
{
  g_autofree char *base = base_url (tls, "127.0.0.1", hostile->port);
  ProvTargetSystem *target;

  if (jam)
    {
      g_autofree char *token_url = g_strconcat (base, "/api/v1/auth/token", NULL);

      target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
      prov_target_system_set_display_name (target, "Hostile Jam");
      prov_target_system_set_url (target, base);
      prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "client");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "secret");
    }
  else
    {
      g_autofree char *url = g_strconcat (base, IPS_PATH, NULL);

      target = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
      prov_target_system_set_display_name (target, "Hostile IPS");
      prov_target_system_set_url (target, url);
      prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
      prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_BASIC);
      prov_target_system_set_text (target, PROV_FIELD_USERNAME, "technical-user");
      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "password");
    }

  if (tls)
    prov_target_system_set_text (target, PROV_FIELD_CA_FILE, ca_file);
  return target;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Each case meets the limit it is about and no other, even when a TLS
 * handshake on a loaded machine under a sanitizer takes seconds. */
static void
set_case_limits (ProvHttpClient *client,
                 Mode            mode)
{
  switch (mode)
    {
    case MODE_SILENT:
      prov_http_client_set_timeouts (client, IDLE_SECONDS, LENIENT_SECONDS);
      break;
    case MODE_SLOW_BODY:
    case MODE_SLOW_HEADERS:
      prov_http_client_set_timeouts (client, LENIENT_SECONDS, DEADLINE_SECONDS);
      break;
    case MODE_HUGE_ANNOUNCED:
    case MODE_HUGE_STREAMED:
    case MODE_ENDLESS_CHUNKED:
    case MODE_NESTED:
    case MODE_REDIRECT:
    case MODE_UNAUTHORIZED:
    case MODE_RATE_LIMITED:
    default:
      prov_http_client_set_timeouts (client, LENIENT_SECONDS, LENIENT_SECONDS);
      break;
    }
}

/* Runs Test Connection and returns its error. @cancel_after_ms > 0 presses
 * Cancel then, with every limit lenient: only the cancel can end the test
 * before the test's patience (TEST_WAIT_SECONDS) runs out. */
static GError *
run_test (Hostile          *hostile,
          ProvTargetSystem *target,
          guint             cancel_after_ms)
{
  g_autoptr(ProvHttpClient) client = prov_http_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gint64 started = g_get_monotonic_time ();

  if (cancel_after_ms > 0)
    {
      prov_http_client_set_timeouts (client, LENIENT_SECONDS, LENIENT_SECONDS);
      g_timeout_add_full (G_PRIORITY_DEFAULT, cancel_after_ms, cancel_cb,
                          g_object_ref (cancellable), g_object_unref);
    }
  else
    {
      set_case_limits (client, hostile->mode);
    }
  prov_connection_test_async (client, target, cancellable, got_result_cb, &result);
  g_assert_false (prov_connection_test_finish (wait_for (&result), &error));

  g_assert_nonnull (error);
  g_test_message ("%s after %.1f s", error->message,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  return error;
}

static void
expect (const Case *c,
        const char *retry_after,
        GQuark      domain,
        int         code,
        const char *sentence)
{
  g_autoptr(Hostile) hostile = hostile_new (c->mode, c->tls ? server_certificate : NULL);
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autoptr(GError) error = NULL;

  hostile->retry_after = g_strdup (retry_after);
  target = target_for (hostile, c->tls, c->jam);
  error = run_test (hostile, target, 0);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, sentence);
}

static void
test_huge (gconstpointer data)
{
  expect (data, NULL, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
          "127.0.0.1 sent an answer larger than 1.0\u00a0MB, far more than expected, so the request was abandoned. "
          "Check that the URL points to the right API.");
}

static void
test_slow (gconstpointer data)
{
  expect (data, NULL, PROV_ERROR, PROV_ERROR_TIMED_OUT,
          "127.0.0.1 did not finish answering within 4 seconds. Check your network connection and try again later.");
}

static void
test_silent (gconstpointer data)
{
  expect (data, NULL, PROV_ERROR, PROV_ERROR_TIMED_OUT,
          "127.0.0.1 did not answer in time. Check your network connection and try again later.");
}

static void
test_nested (gconstpointer data)
{
  expect (data, NULL, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
          "127.0.0.1 answered with something other than the expected JSON. Check that the URL points to the right API.");
}

static void
test_unauthorized (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(Hostile) hostile = hostile_new (MODE_UNAUTHORIZED, c->tls ? server_certificate : NULL);
  g_autoptr(ProvTargetSystem) target = target_for (hostile, c->tls, TRUE);
  g_autoptr(GError) error = NULL;

  error = run_test (hostile, target, 0);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==,
                   "127.0.0.1 refused the credentials (HTTP 401). Check the client key or ID and the client secret.");
  /* A fresh token once, then no more: token, API, token, API. */
  g_assert_cmpint (g_atomic_int_get (&hostile->connections), ==, 4);
}

static void
test_rate_limited (gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 600);
  g_autofree char *past_text = g_date_time_format (past, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *soon_text = g_date_time_format (soon, "%a, %d %b %Y %H:%M:%S GMT");
  struct
  {
    const char *retry_after;
    const char *wait;
  } waits[] = {
    { "45", "45 seconds" },
    { "1", "1 second" },
    { "0", "1 second" },
    { "600", "10 minutes" },
    { "7200", "1 hour" },
    { "99999999999999999999999", "1 hour" },
    { "Fri, 31 Dec 9999 23:59:59 GMT", "1 hour" },
    { past_text, "1 second" },
    /* Ten minutes, give or take the second the test takes. */
    { soon_text, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autofree char *sentence = NULL;
      g_autoptr(Hostile) hostile = hostile_new (MODE_RATE_LIMITED, ((const Case *) data)->tls ? server_certificate : NULL);
      g_autoptr(ProvTargetSystem) target = target_for (hostile, ((const Case *) data)->tls, FALSE);
      g_autoptr(GError) error = NULL;

      hostile->retry_after = g_strdup (waits[i].retry_after);
      error = run_test (hostile, target, 0);
      g_assert_error (error, PROV_ERROR, PROV_ERROR_RATE_LIMITED);
      if (waits[i].wait == NULL)
        {
          g_assert_true (g_str_has_suffix (error->message, "Try again in 10 minutes.") ||
                         g_str_has_suffix (error->message, "Try again in 9 minutes."));
          continue;
        }
      sentence = g_strdup_printf ("127.0.0.1 is limiting requests (HTTP 429). Try again in %s.", waits[i].wait);
      g_assert_cmpstr (error->message, ==, sentence);
    }
}

/* Test Connection must never report success on another host's answer. */
static void
test_redirect (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(Hostile) hostile = hostile_new (MODE_REDIRECT, c->tls ? server_certificate : NULL);
  g_autoptr(Hostile) other = hostile_new (MODE_SILENT, c->tls ? server_certificate : NULL);
  g_autoptr(ProvTargetSystem) target = target_for (hostile, c->tls, FALSE);
  g_autofree char *other_base = base_url (c->tls, "localhost", other->port);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  hostile->location = g_strconcat (other_base, IPS_PATH, NULL);
  error = run_test (hostile, target, 0);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_UNSUPPORTED_ANSWER);
  g_assert_cmpstr (error->message, ==,
                   "127.0.0.1 redirected the request to another server, localhost; it was not sent there. "
                   "Check the address with the server’s administrator.");
  g_clear_error (&error);

  /* The same address on another port is another server too. */
  g_free (hostile->location);
  g_free (other_base);
  other_base = base_url (c->tls, "127.0.0.1", other->port);
  hostile->location = g_strconcat (other_base, IPS_PATH, NULL);
  error = run_test (hostile, target, 0);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_UNSUPPORTED_ANSWER);
  expected = g_strdup_printf ("127.0.0.1 redirected the request to another server, %s; it was not sent there. "
                              "Check the address with the server’s administrator.", hostile->location);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (g_atomic_int_get (&other->connections), ==, 0);
}

/* Cancel ends a request on the wire, whatever the server does: with every
 * limit lenient, nothing else ends it before the test gives up. */
static void
test_cancel (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(Hostile) hostile = hostile_new (c->mode, c->tls ? server_certificate : NULL);
  g_autoptr(ProvTargetSystem) target = target_for (hostile, c->tls, FALSE);
  g_autoptr(GError) error = NULL;

  error = run_test (hostile, target, 300);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
limit_address_space (void)
{
#ifdef SANITIZED
  /* AddressSanitizer reserves terabytes of shadow memory up front. */
  g_test_message ("AddressSanitizer build: no address-space limit");
#else
  struct rlimit limit = { ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT };

  if (setrlimit (RLIMIT_AS, &limit) != 0)
    g_error ("Cannot limit the address space: %s", g_strerror (errno));
#endif
}

/* The JSON guard */

static char *
nested_arrays (guint depth)
{
  char *text = g_malloc (2 * depth + 1);

  memset (text, '[', depth);
  memset (text + depth, ']', depth);
  text[2 * depth] = '\0';
  return text;
}

static void
test_json_deep (void)
{
  g_autofree char *deep = nested_arrays (200000);
  g_autofree char *fine = nested_arrays (PROV_JSON_READER_DEFAULT_MAX_DEPTH);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* json-glib alone overflows the stack on this one. */
  node = prov_json_reader_parse (deep, -1, 0, 0, &error);
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_DEEP);
  g_assert_null (node);
  g_clear_error (&error);

  node = prov_json_reader_parse (fine, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  /* Objects count as levels too. */
  g_assert_false (prov_json_reader_check ("{\"a\":{\"b\":[{}]}}", -1, 0, 3, NULL));
  g_assert_true (prov_json_reader_check ("{\"a\":{\"b\":[1]}}", -1, 0, 3, NULL));
}

static void
test_json_strings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Brackets in strings, escaped quotes included, are not nesting. */
  node = prov_json_reader_parse ("{\"a\":\"[[[[{{{{\\\"[[[[\",\"b\":[1]}", -1, 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==, "[[[[{{{{\"[[[[");
  g_clear_pointer (&node, json_node_unref);

  /* A backslash before the closing quote ends nothing; the one after it does. */
  node = prov_json_reader_parse ("[\"\\\\\",[[1]]]", -1, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_false (prov_json_reader_check ("[\"\\\\\",[[[1]]]]", -1, 0, 3, NULL));
}

/* Only RFC 8259's escapes: json-glib would read "\\377" (a GScanner octal
 * escape) as a byte that is not UTF-8, which nothing can write back. */
static void
test_json_escapes (void)
{
  const char *refused[] = { "[\"\\377\"]", "[\"\\2\"]", "[\"\\x41\"]", "[\"\\'\"]",
                            "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"\\", "[\"\\u" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i]);
      g_assert_null (prov_json_reader_parse (refused[i], -1, 0, 0, &error));
      g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID);
      g_clear_error (&error);
    }

  node = prov_json_reader_parse ("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"]", -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==,
                   "\"\\/\b\f\n\r\t\u00e9\U0001F600");
}

static void
test_json_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"a\":1}", 7);

  g_assert_null (prov_json_reader_parse_bytes (bytes, 6, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_LARGE);
  g_clear_error (&error);

  node = prov_json_reader_parse_bytes (bytes, 7, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  g_assert_null (prov_json_reader_parse ("{\"a\":1}", -1, 6, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_null (prov_json_reader_parse_bytes (NULL, 0, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (prov_json_reader_parse ("{\"a\":", -1, 0, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *name;
    Mode        mode;
    GTestDataFunc func;
  } cases[] = {
    { "huge-announced", MODE_HUGE_ANNOUNCED, test_huge },
    { "huge-streamed", MODE_HUGE_STREAMED, test_huge },
    { "endless-chunked", MODE_ENDLESS_CHUNKED, test_huge },
    { "slow-body", MODE_SLOW_BODY, test_slow },
    { "slow-headers", MODE_SLOW_HEADERS, test_slow },
    { "silent", MODE_SILENT, test_silent },
    { "nested-json", MODE_NESTED, test_nested },
    { "redirect-other-host", MODE_REDIRECT, test_redirect },
    { "401-forever", MODE_UNAUTHORIZED, test_unauthorized },
    { "429-retry-after", MODE_RATE_LIMITED, test_rate_limited },
    { "cancel-slow-body", MODE_SLOW_BODY, test_cancel },
    { "cancel-silent", MODE_SILENT, test_cancel },
    { "cancel-slow-headers", MODE_SLOW_HEADERS, test_cancel },
  };
  int status;

  limit_address_space ();
  g_test_init (&argc, &argv, NULL);
  make_certificates ();

  for (guint tls = 0; tls <= 1; tls++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/hostile/%s/%s", tls ? "tls" : "plain", cases[i].name);
        Case *c = g_new0 (Case, 1);

        c->tls = tls;
        c->mode = cases[i].mode;
        g_test_add_data_func_full (path, c, cases[i].func, g_free);
      }

  g_test_add_func ("/hostile/json/deep", test_json_deep);
  g_test_add_func ("/hostile/json/strings", test_json_strings);
  g_test_add_func ("/hostile/json/escapes", test_json_escapes);
  g_test_add_func ("/hostile/json/size", test_json_size);

  status = g_test_run ();

  g_unlink (ca_file);
  g_rmdir (tmp_dir);
  g_clear_pointer (&ca_file, g_free);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_object (&server_certificate);
  return status;
}
