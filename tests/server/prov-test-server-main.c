/* prov-test-server-main.c — `prov-scim-peer`: the SCIM service as a process
 *
 * The embedded SCIM service of app/scim-service, standing alone, so that tests
 * and benchmarks can talk to it the way users talk to SAP: from another
 * process, over loopback. It serves SAP Jam, Identity Provisioning and an
 * Identity Authentication tenant at once (see prov-test-server.h).
 *
 * It prints, on stdout, one line per fact and then "ready":
 *
 *     url=http://127.0.0.1:PORT
 *     ca-file=/tmp/…/ca.pem          (with --tls)
 *     ready
 *
 * and serves until SIGTERM or SIGINT, or until the process that started
 * it ends. On SIGUSR1 it prints one JSON line
 * of counters since the last SIGUSR1 — {"requests", "responses-429",
 * "connections", "jam-writes" (POST, PUT, PATCH, DELETE under SAP Jam's
 * Users), "jam-users", "source-users"} — and clears them.
 *
 * Options (each repeatable where it makes sense):
 *   --tls                          HTTPS with a CA made at start
 *   --client ID:SECRET             an OAuth / Basic client (both SAP Jam and
 *                                  Identity Provisioning / the tenant)
 *   --ips-system ID                an Identity Provisioning system
 *   --source-users N               N generated users in the tenant
 *   --jam-users N                  the first N of those already in SAP Jam
 *   --rate-limit PREFIX:LIMIT:MS   at most LIMIT requests under PREFIX a
 *                                  MS-millisecond window (429 beyond)
 *   --retry-after SECONDS          Retry-After of 429 answers
 *   --source-writable              the tenant accepts POST/PUT/DELETE of users
 *                                  (real-time sync tests change it so)
 *   --refuse-delta                 the tenant refuses `meta.lastModified gt`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "prov-test-server.h"

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
counters_cb (gpointer user_data)
{
  ProvTestServer *server = user_data;
  const char *writes[] = { "POST", "PUT", "PATCH", "DELETE" };
  guint n_writes = 0;

  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    n_writes += prov_test_server_count_requests (server, writes[i], "/api/v1/scim/Users");

  printf ("{\"requests\": %u, \"responses-429\": %u, \"connections\": %u, "
          "\"jam-writes\": %u, \"jam-users\": %u, \"source-users\": %u}\n",
          prov_test_server_count_requests (server, NULL, NULL),
          prov_test_server_count_responses (server, 429, NULL),
          prov_test_server_count_connections (server),
          n_writes,
          prov_test_server_get_n_users (server, PROV_TEST_STORE_JAM, NULL),
          prov_test_server_get_n_users (server, PROV_TEST_STORE_SOURCE, NULL));
  fflush (stdout);
  prov_test_server_clear_requests (server);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  gboolean tls = FALSE;
  gboolean source_writable = FALSE, refuse_delta = FALSE;
  g_auto(GStrv) clients = NULL;
  g_auto(GStrv) systems = NULL;
  g_auto(GStrv) limits = NULL;
  int source_users = 0, jam_users = 0, retry_after = -1;
  const GOptionEntry entries[] = {
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Serve HTTPS", NULL },
    { "client", 0, 0, G_OPTION_ARG_STRING_ARRAY, &clients, "A client", "ID:SECRET" },
    { "ips-system", 0, 0, G_OPTION_ARG_STRING_ARRAY, &systems, "An Identity Provisioning system", "ID" },
    { "source-users", 0, 0, G_OPTION_ARG_INT, &source_users, "Users in the tenant", "N" },
    { "jam-users", 0, 0, G_OPTION_ARG_INT, &jam_users, "Of those, already in SAP Jam", "N" },
    { "rate-limit", 0, 0, G_OPTION_ARG_STRING_ARRAY, &limits, "A rate limit", "PREFIX:LIMIT:MS" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after, "Retry-After of 429 answers", "SECONDS" },
    { "source-writable", 0, 0, G_OPTION_ARG_NONE, &source_writable, "The tenant accepts writes", NULL },
    { "refuse-delta", 0, 0, G_OPTION_ARG_NONE, &refuse_delta, "The tenant refuses the lastModified filter", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a SAP Jam / Identity Provisioning / tenant peer on 127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  /* A test or benchmark that dies must not leave its peer behind. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1 ||
      source_users < 0 || jam_users < 0 || jam_users > source_users)
    {
      fprintf (stderr, "prov-scim-peer: %s\n", error ? error->message : "bad arguments");
      return 2;
    }

  server = prov_test_server_try_new (tls ? PROV_TEST_SERVER_TLS : PROV_TEST_SERVER_PLAIN, &error);
  if (server == NULL)
    {
      fprintf (stderr, "prov-scim-peer: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; clients && clients[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (clients[i], ":", 2);
      if (g_strv_length (parts) != 2)
        {
          fprintf (stderr, "prov-scim-peer: --client wants ID:SECRET\n");
          return 2;
        }
      prov_test_server_add_client (server, parts[0], parts[1]);
    }
  for (guint i = 0; systems && systems[i]; i++)
    prov_test_server_add_ips_system (server, systems[i]);
  for (guint i = 0; limits && limits[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (limits[i], ":", 3);
      guint64 limit, window;

      if (g_strv_length (parts) != 3 ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &limit, NULL) ||
          !g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXUINT, &window, NULL))
        {
          fprintf (stderr, "prov-scim-peer: --rate-limit wants PREFIX:LIMIT:MS\n");
          return 2;
        }
      prov_test_server_set_rate_limit (server, parts[0], (guint) limit, (guint) window);
    }
  if (retry_after >= 0)
    prov_test_server_set_retry_after (server, (guint) retry_after);

  prov_test_server_set_source_writable (server, source_writable);
  prov_test_server_set_source_refuse_delta (server, refuse_delta);
  if (source_users > 0)
    prov_test_server_generate_source_users (server, (guint) source_users);
  if (jam_users > 0)
    {
      g_autoptr(JsonArray) users = prov_test_server_dup_users (server, PROV_TEST_STORE_SOURCE, NULL);
      for (guint i = 0; i < (guint) jam_users; i++)
        {
          g_autoptr(JsonObject) user = json_object_ref (json_array_get_object_element (users, i));
          g_autoptr(JsonObject) copy = json_object_new ();

          json_object_set_string_member (copy, "userName", json_object_get_string_member (user, "userName"));
          prov_test_server_put_user (server, PROV_TEST_STORE_JAM, NULL, copy);
        }
    }

  printf ("url=%s\n", prov_test_server_get_base_url (server));
  if (tls)
    printf ("ca-file=%s\n", prov_test_server_get_ca_file (server));
  printf ("ready\n");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGUSR1, counters_cb, server);
  g_main_loop_run (loop);
  return 0;
}
