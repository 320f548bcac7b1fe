/* test-source.c — reading the users of an Identity Authentication tenant or a CSV file
 *
 * Against prov_test_server's tenant (SCIM version 2 and version 1 paging),
 * including servers that repeat their last page, misreport totalResults or
 * end version 1 paging differently; and CSV files with bad rows. Each
 * user must be read exactly once, and the reader must never pass off a
 * partial list as complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "prov-error.h"
#include "prov-source.h"
#include "prov-test-server.h"
#include "prov-user.h"
#include "test-helpers.h"

#define IAS_CLIENT_ID "ias-client"
#define IAS_SECRET    "ias-secret"

#define V2_PATH "/scim/Users"
#define V1_PATH "/service/scim/Users"

#define TIME_SCALE 0.01

typedef struct
{
  ProvTestServer *server;
  ProvHttpClient *client;
  char           *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, IAS_CLIENT_ID, IAS_SECRET);
  f->client = prov_http_client_new ();
  f->dir = g_dir_make_tmp ("test-source-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
}

static ProvSource *
tenant_source_new (Fixture         *f,
                   ProvScimVersion  version,
                   const char      *password)
{
  ProvSource *source = prov_source_new ();
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_url (connection, prov_test_server_get_base_url (f->server));
  prov_target_system_set_version (connection, version);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, password ? password : IAS_SECRET);
  prov_source_set_time_scale (source, TIME_SCALE);
  return source;
}

static GPtrArray *
read_users (Fixture     *f,
            ProvSource  *source,
            gboolean    *complete,
            GStrv       *problems,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_source_read_users_async (source, f->client, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return prov_source_read_users_finish (source, result, complete, problems, error);
}

/* Users 1 … @n of generate_source_users(), each once, in order. */
static void
assert_users (GPtrArray *users,
              guint      n)
{
  g_assert_nonnull (users);
  g_assert_cmpuint (users->len, ==, n);

  for (guint i = 0; i < n; i++)
    {
      ProvUser *user = g_ptr_array_index (users, i);
      g_autofree char *name = g_strdup_printf ("user%05u", i + 1);
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i + 1);
      g_autofree char *family = g_strdup_printf ("Family%u", i + 1);

      g_assert_cmpstr (prov_user_get_user_name (user), ==, name);
      g_assert_cmpstr (prov_user_get_id (user), ==, id);
      g_assert_cmpstr (prov_user_get_family_name (user), ==, family);
      g_assert_true (prov_user_get_active (user));
    }
}

/* Reads and expects @n users in @min_pages to @max_pages requests, the
 * read @complete or not, with @n_problems sentences. */
static void
assert_read_range (Fixture         *f,
                   ProvScimVersion  version,
                   guint            n,
                   guint            min_pages,
                   guint            max_pages,
                   gboolean         expect_complete,
                   guint            n_problems)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, version, NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;
  const char *path = version == PROV_SCIM_VERSION_1 ? V1_PATH : V2_PATH;

  prov_test_server_clear_requests (f->server);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_no_error (error);
  assert_users (users, n);
  g_assert_cmpint (complete, ==, expect_complete);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("problem: %s", problems[i]);
  g_assert_cmpuint (g_strv_length (problems), ==, n_problems);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", path), >=, min_pages);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", path), <=, max_pages);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==,
                    prov_test_server_count_requests (f->server, "GET", path));
}

/* Reads and expects @n users in @pages requests, the read @complete or
 * not, with @n_problems sentences. */
static void
assert_read_full (Fixture         *f,
                  ProvScimVersion  version,
                  guint            n,
                  guint            pages,
                  gboolean         expect_complete,
                  guint            n_problems)
{
  assert_read_range (f, version, n, pages, pages, expect_complete, n_problems);
}

/* Reads and expects a complete list of @n users in @pages requests. */
static void
assert_read (Fixture         *f,
             ProvScimVersion  version,
             guint            n,
             guint            pages)
{
  assert_read_full (f, version, n, pages, TRUE, 0);
}

/* Paging */

static const guint sizes[] = { 0, 1, 100, 101, 250 };

static void
test_v2_paging (Fixture       *f,
                gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);

  prov_test_server_generate_source_users (f->server, n);
  /* Every page asks for the next, short ones too (servers cap pages below
   * what was asked): only an empty one ends the read. */
  assert_read (f, PROV_SCIM_VERSION_2, n, (n + PROV_SOURCE_PAGE_SIZE - 1) / PROV_SOURCE_PAGE_SIZE + 1);
}

static void
test_v1_paging (Fixture       *f,
                gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);

  prov_test_server_generate_source_users (f->server, n);
  /* Version 1 says where it ends: "<end>" on the last page. */
  assert_read (f, PROV_SCIM_VERSION_1, n, MAX (1, (n + PROV_SOURCE_PAGE_SIZE - 1) / PROV_SOURCE_PAGE_SIZE));
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Cancel pressed at any moment of a read — pages on the wire, pages
 * answered and waiting for the one before them, between pages —
 * ends it as cancelled or complete, never half read, and frees every
 * page (the ASan build checks that). */
static void
test_v2_cancelled (Fixture       *f,
                   gconstpointer  data)
{
  const guint delays_ms[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34 };
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  guint cancelled = 0;

  prov_test_server_generate_source_users (f->server, 1000);
  for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) users = NULL;
      g_autoptr(GError) error = NULL;

      prov_source_read_users_async (source, f->client, cancellable, got_result_cb, &result);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delays_ms[i], cancel_cb,
                          g_object_ref (cancellable), g_object_unref);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      users = prov_source_read_users_finish (source, result, NULL, NULL, &error);
      if (users == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
        }
      else
        assert_users (users, 1000);
      /* The timeout may not have fired yet. */
      while (g_main_context_iteration (NULL, FALSE));
    }
  g_assert_cmpuint (cancelled, >, 0);
}

static void
test_v2_repeat_last_page (Fixture       *f,
                          gconstpointer  data)
{
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);

  /* 200 users: asking for 201 gets users 101–200 again. */
  prov_test_server_generate_source_users (f->server, 200);
  assert_read (f, PROV_SCIM_VERSION_2, 200, 3);

  /* 250 with a total that never comes: the short page does not end the
   * read, its repetition does — and with the count short of the total and
   * no empty page to prove the end, the read is not trusted. */
  prov_test_server_generate_source_users (f->server, 50);
  prov_test_server_set_source_reported_total (f->server, 1000);
  assert_read_range (f, PROV_SCIM_VERSION_2, 250, 4, 4 + 2 * PROV_SOURCE_PAGES_IN_FLIGHT, FALSE, 1);

  /* One user only, same server. */
  fixture_tear_down (f, NULL);
  fixture_set_up (f, NULL);
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);
  prov_test_server_set_source_reported_total (f->server, 1000);
  prov_test_server_generate_source_users (f->server, 1);
  assert_read_range (f, PROV_SCIM_VERSION_2, 1, 2, 2 + 2 * PROV_SOURCE_PAGES_IN_FLIGHT, FALSE, 1);
}

static void
test_v1_repeat_last_page (Fixture       *f,
                          gconstpointer  data)
{
  /* The last page's nextId points at itself, never at the end. */
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);
  prov_test_server_generate_source_users (f->server, 250);
  assert_read (f, PROV_SCIM_VERSION_1, 250, 4);

  fixture_tear_down (f, NULL);
  fixture_set_up (f, NULL);
  prov_test_server_set_source_repeat_last_page (f->server, TRUE);
  prov_test_server_generate_source_users (f->server, 100);
  assert_read (f, PROV_SCIM_VERSION_1, 100, 2);
}

static void
test_v2_total_too_low (Fixture       *f,
                       gconstpointer  data)
{
  prov_test_server_set_source_reported_total (f->server, 10);

  /* Pages go on whatever the total says; the empty page proves the end,
   * and the wrong total is said. */
  prov_test_server_generate_source_users (f->server, 250);
  assert_read_full (f, PROV_SCIM_VERSION_2, 250, 4, TRUE, 1);

  fixture_tear_down (f, NULL);
  fixture_set_up (f, NULL);
  prov_test_server_set_source_reported_total (f->server, 0);
  prov_test_server_generate_source_users (f->server, 200);
  assert_read_full (f, PROV_SCIM_VERSION_2, 200, 3, TRUE, 1);
}

static void
test_v2_total_too_high (Fixture       *f,
                        gconstpointer  data)
{
  prov_test_server_set_source_reported_total (f->server, 1000);

  /* A short page is not the end while the total says more: the empty page
   * after it is. Pages asked for ahead, where the total said users were,
   * are dropped: each user is read once. */
  prov_test_server_generate_source_users (f->server, 250);
  assert_read_range (f, PROV_SCIM_VERSION_2, 250, 4, 4 + 2 * PROV_SOURCE_PAGES_IN_FLIGHT, TRUE, 1);

  fixture_tear_down (f, NULL);
  fixture_set_up (f, NULL);
  prov_test_server_set_source_reported_total (f->server, 1000);
  assert_read_full (f, PROV_SCIM_VERSION_2, 0, 1, TRUE, 1);
}

static void
test_v1_wrong_total (Fixture       *f,
                     gconstpointer  data)
{
  /* Version 1 follows nextId to the end marker; a total that disagrees
   * is said, and with no empty page to prove the end, not trusted. */
  prov_test_server_generate_source_users (f->server, 250);
  prov_test_server_set_source_reported_total (f->server, 10);
  assert_read_full (f, PROV_SCIM_VERSION_1, 250, 3, FALSE, 1);
  prov_test_server_set_source_reported_total (f->server, 100000);
  assert_read_full (f, PROV_SCIM_VERSION_1, 250, 3, FALSE, 1);
}

static void
test_v1_end_marker (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_1, NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = TRUE;

  prov_test_server_generate_source_users (f->server, 250);

  /* "<end>", as docs/sap-domain.md writes it (the server's default). */
  assert_read (f, PROV_SCIM_VERSION_1, 250, 3);

  /* An empty nextId ends it too. */
  prov_test_server_set_source_end_marker (f->server, "");
  assert_read (f, PROV_SCIM_VERSION_1, 250, 3);

  /* A marker nobody knows is taken for an id; the server refuses it, and
   * the read fails as a whole rather than pass for complete. */
  prov_test_server_set_source_end_marker (f->server, "END-OF-LIST");
  users = read_users (f, source, &complete, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_BAD_RESPONSE);
  g_test_message ("unknown end marker: %s", error->message);
}

/* Failures */

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, "wrong-secret");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = TRUE;

  prov_test_server_generate_source_users (f->server, 10);
  users = read_users (f, source, &complete, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_UNAUTHORIZED);
  /* A sentence that names the host, the status and what to check. */
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "401"));
  g_assert_nonnull (strstr (error->message, "secret"));
  g_test_message ("401: %s", error->message);
  g_clear_error (&error);

  /* Test Connection says the same. */
  prov_source_test_async (source, f->client, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (prov_source_test_finish (source, result, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_UNAUTHORIZED);
}

/* A source whose secret is not in the keyring (lost, or never saved)
 * asks the tenant nothing: every way of reading it ends with a sentence
 * that names the missing field, before any request. */
static void
test_secret_missing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, "");
  g_autoptr(GDateTime) since = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) tested = NULL;
  g_autoptr(GAsyncResult) counted = NULL;
  g_autoptr(GAsyncResult) changed = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  prov_test_server_generate_source_users (f->server, 10);
  prov_test_server_clear_requests (f->server);

  users = read_users (f, source, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_assert_cmpstr (error->message, ==, "The source of users has no Client Secret saved: enter it and save the source.");
  g_clear_error (&error);

  prov_source_test_async (source, f->client, NULL, got_result_cb, &tested);
  prov_source_count_users_async (source, f->client, NULL, got_result_cb, &counted);
  prov_source_read_changed_users_async (source, f->client, since, NULL, got_result_cb, &changed);
  while (tested == NULL || counted == NULL || changed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (prov_source_test_finish (source, tested, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_cmpint (prov_source_count_users_finish (source, counted, &error), <, 0);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (prov_source_read_changed_users_finish (source, changed, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);

  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
}

static void
test_unavailable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  /* Failing on the third page fails the read: two pages are not a list. */
  prov_test_server_generate_source_users (f->server, 250);
  prov_test_server_inject_fault (f->server, V2_PATH, PROV_TEST_FAULT_DELAY, 1, 2);
  prov_test_server_inject_fault (f->server, V2_PATH, PROV_TEST_FAULT_STATUS, 503, 1);
  users = read_users (f, source, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_MAINTENANCE);
  g_clear_error (&error);

  /* So does a page that is not JSON. */
  prov_test_server_clear_faults (f->server);
  prov_test_server_inject_fault (f->server, V2_PATH, PROV_TEST_FAULT_DELAY, 1, 1);
  prov_test_server_inject_fault (f->server, V2_PATH, PROV_TEST_FAULT_TRUNCATED_JSON, 0, 1);
  users = read_users (f, source, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_BAD_RESPONSE);
}

/* SAP retired version 1 on 30 November 2026: a tenant that answers it
 * with 404, 410 or a page that is no SCIM says so, and how to go on; the
 * same answers to version 2 keep their own sentences. */
static void
test_v1_retired (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ProvSource) v1 = tenant_source_new (f, PROV_SCIM_VERSION_1, NULL);
  g_autoptr(ProvSource) v2 = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  static const guint statuses[] = { 404, 410 };
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  prov_test_server_generate_source_users (f->server, 10);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *status = g_strdup_printf ("(HTTP %u)", statuses[i]);
      g_autoptr(GAsyncResult) tested = NULL;

      prov_test_server_clear_faults (f->server);
      prov_test_server_inject_fault (f->server, V1_PATH, PROV_TEST_FAULT_STATUS, statuses[i], 2);
      users = read_users (f, v1, NULL, NULL, &error);
      g_assert_null (users);
      g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, status));
      g_assert_nonnull (strstr (error->message, "SAP retired it on 30 November 2026. Switch the source of users to version 2."));
      g_test_message ("%s", error->message);
      g_clear_error (&error);

      /* Test Connection says the same. */
      prov_source_test_async (v1, f->client, NULL, got_result_cb, &tested);
      while (tested == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_null (prov_source_test_finish (v1, tested, &error));
      g_assert_nonnull (strstr (error->message, "Switch the source of users to version 2."));
      g_clear_error (&error);
    }

  /* A notice page instead of a SCIM list. */
  prov_test_server_clear_faults (f->server);
  prov_test_server_inject_fault (f->server, V1_PATH, PROV_TEST_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  users = read_users (f, v1, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_BAD_RESPONSE);
  g_assert_true (g_str_has_suffix (error->message, "This source uses version 1 of the SCIM API, which SAP retired on 30 November 2026: switch it to version 2."));
  g_clear_error (&error);

  /* Version 2's 404 is a wrong address, as before. */
  prov_test_server_clear_faults (f->server);
  prov_test_server_inject_fault (f->server, V2_PATH, PROV_TEST_FAULT_STATUS, 404, 1);
  users = read_users (f, v2, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
  g_assert_null (strstr (error->message, "retired"));
  g_assert_nonnull (strstr (error->message, "Check the URL"));
}

/* CSV */

static void
test_csv_bad_rows (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autofree char *path = g_build_filename (f->dir, "users.csv", NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = TRUE;
  static const char csv[] =
    "loginName,firstName,lastName,mail,active,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\n"
    "ada,Ada,Lovelace,ada@example.com,TRUE,Analytical Engines\n"
    ",Nobody,Nameless,nobody@example.com,TRUE,\n"                        /* line 3: no login name */
    "grace,Grace,Hopper,grace@example.com,TRUE,Navy\n"
    "alan,Alan,Turing,alan@example.com,perhaps,\n"                       /* line 5: not TRUE or FALSE */
    "edsger,Edsger,Dijkstra,edsger@example.com,FALSE,\"Go To, Considered Harmful\"\n"
    "ada,Ada,Again,ada2@example.com,TRUE,\n"                             /* line 7: ada twice */
    "barbara,Barbara,,barbara@example.com,TRUE,\n"                       /* line 8: no last name */
    "too,many,values,here@example.com,TRUE,x,y\n";                       /* line 9: too many values */

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, path);

  users = read_users (f, source, &complete, &problems, &error);
  g_assert_no_error (error);

  /* The good rows, in file order. */
  g_assert_cmpuint (users->len, ==, 3);
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 0)), ==, "ada");
  g_assert_cmpstr (prov_user_get_family_name (g_ptr_array_index (users, 0)), ==, "Lovelace");
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 1)), ==, "grace");
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 2)), ==, "edsger");
  g_assert_false (prov_user_get_active (g_ptr_array_index (users, 2)));
  g_assert_cmpstr (prov_user_get_email (g_ptr_array_index (users, 1)), ==, "grace@example.com");

  /* Not complete: the left-out rows' users would look gone. */
  g_assert_false (complete);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("problem: %s", problems[i]);
  g_assert_cmpuint (g_strv_length (problems), ==, 5);
  g_assert_true (g_str_has_prefix (problems[0], "Line 3:"));
  g_assert_true (g_str_has_prefix (problems[1], "Line 5:"));
  g_assert_true (g_str_has_prefix (problems[2], "Line 7:"));
  g_assert_true (g_str_has_prefix (problems[3], "Line 8:"));
  g_assert_true (g_str_has_prefix (problems[4], "Line 9:"));
  g_assert_nonnull (strstr (problems[1], "perhaps"));

  /* Test Connection works, and says what the rows cost, with the first. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *said = NULL;

    prov_source_test_async (source, f->client, NULL, got_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    said = prov_source_test_finish (source, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (said, ==, "Connection to the source of users was established successfully. "
                               "5 rows of the file cannot be read: until they are fixed, provisioning "
                               "leaves them out and removes nobody. Line 3: The login name (userName) is empty.");
  }

  /* No network at all for a file. */
  g_assert_cmpuint (prov_test_server_count_requests (f->server, NULL, NULL), ==, 0);
}

static void
test_csv_complete_and_unusable (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autofree char *path = g_build_filename (f->dir, "users.csv", NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;

  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, path);

  g_file_set_contents (path,
                       "userName,name.familyName,emails[0].value\n"
                       "u1,One,u1@example.com\n"
                       "u2,Two,u2@example.com\n", -1, &error);
  g_assert_no_error (error);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_true (complete);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_clear_pointer (&users, g_ptr_array_unref);
  g_clear_pointer (&problems, g_strfreev);

  /* A required column missing: nothing is imported, and it is an error. */
  g_file_set_contents (path, "userName,emails[0].value\nu1,u1@example.com\n", -1, &error);
  g_assert_no_error (error);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
  g_clear_error (&error);

  /* No file at all. */
  g_unlink (path);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_null (users);
  g_assert_nonnull (error);
}

/* Tenant users named as the CSV reader names them; two that differ only
 * in case are one row error, and the read is not complete. */
static JsonArray *
parse_users (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static void
test_tenant_names_trimmed (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  g_autoptr(JsonArray) tenant = parse_users (
    "[{\"id\": \"a1\", \"userName\": \"  alice \\t\", \"name\": {\"familyName\": \"A\"}},"
    " {\"id\": \"b1\", \"userName\": \"bob\", \"name\": {\"familyName\": \"B\"}}]");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;

  prov_test_server_add_source_users (f->server, tenant);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_no_error (error);
  g_assert_true (complete);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 0)), ==, "alice");
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 1)), ==, "bob");
  /* And so are the JSON it keeps and what it sends to SAP Jam. */
  json = prov_user_dup_json (g_ptr_array_index (users, 0));
  g_assert_cmpstr (json_object_get_string_member (json, "userName"), ==, "alice");
  g_assert_nonnull (strstr (prov_user_get_jam_text (g_ptr_array_index (users, 0)), "\"userName\":\"alice\""));
}

static void
test_tenant_case_duplicates (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  /* Distinct to the server (it compares untrimmed), one name to us. */
  g_autoptr(JsonArray) tenant = parse_users (
    "[{\"id\": \"a1\", \"userName\": \"alice\", \"name\": {\"familyName\": \"A\"}},"
    " {\"id\": \"b1\", \"userName\": \"bob\", \"name\": {\"familyName\": \"B\"}},"
    " {\"id\": \"a2\", \"userName\": \" ALICE\", \"name\": {\"familyName\": \"A\"}}]");
  g_autoptr(GPtrArray) users = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = TRUE;

  prov_test_server_add_source_users (f->server, tenant);
  users = read_users (f, source, &complete, &problems, &error);
  g_assert_no_error (error);
  g_assert_false (complete);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 0)), ==, "alice");
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 1)), ==, "bob");
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_test_message ("%s", problems[0]);
  g_assert_nonnull (strstr (problems[0], "ALICE"));
}

/* The tenant's rate limit */

/* 200 requests a (scaled) minute, like Identity Authentication. 201 pages
 * of users and the empty one after them need 202 requests: one more window
 * than the limit allows. The users carry nothing but an id and a userName,
 * so the pages are small (this runs under AddressSanitizer too). */
#define RATE_SCALE 0.05
#define RATE_USERS (PROV_SOURCE_REQUESTS_PER_MINUTE * PROV_SOURCE_PAGE_SIZE + 100)

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ProvSource) source = tenant_source_new (f, PROV_SCIM_VERSION_2, NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  guint window_ms = (guint) (60 * 1000 * RATE_SCALE);
  gboolean complete = FALSE;
  gint64 started;
  gint64 elapsed;

  prov_source_set_time_scale (source, RATE_SCALE);
  {
    g_autoptr(JsonArray) minimal = json_array_sized_new (RATE_USERS);

    for (guint i = 1; i <= RATE_USERS; i++)
      {
        JsonObject *user = json_object_new ();
        g_autofree char *id = g_strdup_printf ("id-%05u", i);
        g_autofree char *name = g_strdup_printf ("u%05u", i);

        json_object_set_string_member (user, "id", id);
        json_object_set_string_member (user, "userName", name);
        json_array_add_object_element (minimal, user);
      }
    prov_test_server_add_source_users (f->server, minimal);
  }
  prov_test_server_set_rate_limit (f->server, V2_PATH, PROV_SOURCE_REQUESTS_PER_MINUTE, window_ms);

  started = g_get_monotonic_time ();
  users = read_users (f, source, &complete, NULL, &error);
  elapsed = g_get_monotonic_time () - started;
  g_assert_no_error (error);
  g_assert_true (complete);
  g_assert_cmpuint (users->len, ==, RATE_USERS);

  g_assert_cmpuint (prov_test_server_count_responses (f->server, 429, NULL), ==, 0);
  g_assert_cmpuint (prov_test_server_count_requests (f->server, "GET", V2_PATH), ==,
                    RATE_USERS / PROV_SOURCE_PAGE_SIZE + 1);
  /* More than 200 requests cannot fit in one window: the reader waited
   * (a lower bound, whatever the machine's speed). */
  g_assert_cmpint (elapsed, >=, (gint64) window_ms * 1000);
  g_test_message ("%u pages under %u per %u ms took %" G_GINT64_FORMAT " ms",
                  RATE_USERS / PROV_SOURCE_PAGE_SIZE + 1, PROV_SOURCE_REQUESTS_PER_MINUTE,
                  window_ms, elapsed / 1000);
}

/* A second SCIM implementation caps its pages at 50 and reports the page's
 * size as totalResults (RFC 7644 §3.4.2 says it is the query's total). */
static void
test_v2_capped_pages (Fixture       *f,
                      gconstpointer  data)
{
  prov_test_server_generate_source_users (f->server, 300);
  prov_test_server_set_source_page_cap (f->server, 50);
  /* Honest totals: six short pages and the empty one. */
  assert_read (f, PROV_SCIM_VERSION_2, 300, 7);

  /* The total wrong too: every user is still read, the empty page proves
   * the end, and the disagreement is said. */
  prov_test_server_set_source_reported_total (f->server, 50);
  assert_read_full (f, PROV_SCIM_VERSION_2, 300, 7, TRUE, 1);
}

static void
test_v1_capped_pages (Fixture       *f,
                      gconstpointer  data)
{
  prov_test_server_generate_source_users (f->server, 300);
  prov_test_server_set_source_page_cap (f->server, 50);
  assert_read (f, PROV_SCIM_VERSION_1, 300, 6);

  /* The end marker ends it, but the count and the total disagree and no
   * empty page proves which is right: not complete. */
  prov_test_server_set_source_reported_total (f->server, 50);
  assert_read_full (f, PROV_SCIM_VERSION_1, 300, 6, FALSE, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *v2 = g_strdup_printf ("/provisioning/source/v2/paging/%u", sizes[i]);
      g_autofree char *v1 = g_strdup_printf ("/provisioning/source/v1/paging/%u", sizes[i]);

      g_test_add (v2, Fixture, GUINT_TO_POINTER (sizes[i]), fixture_set_up, test_v2_paging, fixture_tear_down);
      g_test_add (v1, Fixture, GUINT_TO_POINTER (sizes[i]), fixture_set_up, test_v1_paging, fixture_tear_down);
    }

#define ADD(path, func) \
  g_test_add ("/provisioning/source/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("v2/cancelled", test_v2_cancelled);
  ADD ("v2/repeat-last-page", test_v2_repeat_last_page);
  ADD ("v1/repeat-last-page", test_v1_repeat_last_page);
  ADD ("v2/total-too-low", test_v2_total_too_low);
  ADD ("v2/total-too-high", test_v2_total_too_high);
  ADD ("v1/wrong-total", test_v1_wrong_total);
  ADD ("v1/end-marker", test_v1_end_marker);
  ADD ("v2/capped-pages", test_v2_capped_pages);
  ADD ("v1/capped-pages", test_v1_capped_pages);
  ADD ("unauthorized", test_unauthorized);
  ADD ("secret-missing", test_secret_missing);
  ADD ("unavailable", test_unavailable);
  ADD ("v1/retired", test_v1_retired);
  ADD ("csv/bad-rows", test_csv_bad_rows);
  ADD ("csv/complete-and-unusable", test_csv_complete_and_unusable);
  ADD ("rate-limit", test_rate_limit);
  ADD ("tenant/names-trimmed", test_tenant_names_trimmed);
  ADD ("tenant/case-duplicates", test_tenant_case_duplicates);

#undef ADD

  return g_test_run ();
}
