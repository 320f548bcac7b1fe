/* target-service-fixture.c — what the ProvTargetService tests share (see
 * target-service-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "target-service-fixture.h"

static char *state_home;

void
target_service_tests_init (int    *argc,
                           char ***argv)
{
  g_test_init (argc, argv, NULL);
  state_home = g_dir_make_tmp ("prov-test-service-state-XXXXXX", NULL);
  g_assert_nonnull (state_home);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  g_setenv ("no_proxy", "*", TRUE);
}

int
target_service_tests_run (void)
{
  int status = g_test_run ();

  remove_tree (state_home);
  g_clear_pointer (&state_home, g_free);
  return status;
}

void
load_service (ProvTargetService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_service_load_async (service, NULL, got_result_cb, &result);
  g_assert_true (prov_target_service_load_finish (service, wait_for (&result), &error));
  g_assert_no_error (error);
}

ProvTargetSystem *
save_target (Fixture           *f,
             ProvTargetSystem  *edited,
             gboolean          *created,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_save_target_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_save_target_finish (f->service, wait_for (&result), created, error);
}

ProvTargetSystem *
dup_with_secrets (Fixture          *f,
                  ProvTargetSystem *target)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *copy;

  prov_target_service_dup_target_with_secrets_async (f->service, target, NULL, got_result_cb, &result);
  copy = prov_target_service_dup_target_with_secrets_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return copy;
}

ProvTargetSystem *
jam_target (Fixture    *f,
            const char *name,
            const char *secret)
{
  ProvTargetSystem *target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  const char *base_url = prov_test_server_get_base_url (f->server);
  g_autofree char *token_url = g_strconcat (base_url, "/api/v1/auth/token", NULL);

  prov_target_system_set_display_name (target, name);
  prov_target_system_set_url (target, base_url);
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, token_url);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, JAM_CLIENT_ID);
  prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, secret);
  return target;
}

ProvTargetSystem *
add_target (Fixture    *f,
            const char *name,
            const char *secret)
{
  g_autoptr(ProvTargetSystem) edited = jam_target (f, name, secret);
  g_autoptr(GError) error = NULL;
  ProvTargetSystem *target = save_target (f, edited, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (target);
  return target;
}

ProvSource *
tenant_source (Fixture    *f,
               const char *password)
{
  ProvSource *source = prov_source_copy (prov_target_service_get_source (f->service));
  ProvTargetSystem *connection = prov_source_get_connection (source);

  prov_source_set_kind (source, PROV_SOURCE_KIND_TENANT);
  prov_target_system_set_url (connection, prov_test_server_get_base_url (f->server));
  prov_target_system_set_version (connection, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_text (connection, PROV_FIELD_USERNAME, IAS_CLIENT_ID);
  prov_target_system_set_text (connection, PROV_FIELD_PASSWORD, password);
  return source;
}

gboolean
save_source (Fixture     *f,
             ProvSource  *edited,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_target_service_save_source_async (f->service, edited, NULL, got_result_cb, &result);
  return prov_target_service_save_source_finish (f->service, wait_for (&result), error);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("prov-test-service-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->targets_path = g_build_filename (f->dir, "targets.json", NULL);
  f->source_path = g_build_filename (f->dir, "source.json", NULL);

  f->server = prov_test_server_new (PROV_TEST_SERVER_PLAIN);
  prov_test_server_add_client (f->server, JAM_CLIENT_ID, JAM_CLIENT_SECRET);
  prov_test_server_add_client (f->server, IAS_CLIENT_ID, IAS_SECRET);
  f->client = prov_http_client_new ();
  f->secrets = prov_secret_store_new ();
  f->store = prov_target_store_new (f->targets_path);
  f->service = prov_target_service_new (f->store, f->secrets, f->client, NULL, f->source_path);
  load_service (f->service);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->service);
  g_clear_object (&f->store);
  g_clear_object (&f->secrets);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->targets_path);
  g_free (f->source_path);
}
