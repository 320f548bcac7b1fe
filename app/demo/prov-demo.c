/* prov-demo.c — try Provisioner without an SAP tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-demo.h"
#include "prov-error.h"
#include "prov-sap-endpoints.h"
#include "prov-test-server.h"

/* Faster than SAP Jam's 200 a minute, so the demo's 500 users take about
 * half a minute — but limited all the same, headers and all. */
#define DEMO_REQUESTS_PER_MINUTE 1000
#define DEMO_CLIENT_ID "demo-client"

struct _ProvDemo
{
  GObject         parent_instance;

  ProvTestServer *server;
};

G_DEFINE_FINAL_TYPE (ProvDemo, prov_demo, G_TYPE_OBJECT)

static void
prov_demo_finalize (GObject *object)
{
  ProvDemo *self = (ProvDemo *)object;

  g_clear_object (&self->server);

  G_OBJECT_CLASS (prov_demo_parent_class)->finalize (object);
}

static void
prov_demo_class_init (ProvDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_demo_finalize;
}

static void
prov_demo_init (ProvDemo *self)
{
}

const char *
prov_demo_get_base_url (ProvDemo *self)
{
  g_return_val_if_fail (PROV_IS_DEMO (self), NULL);
  return prov_test_server_get_base_url (self->server);
}

char *
prov_demo_dup_users_path (void)
{
  g_autofree char *installed = g_build_filename (PROV_DATADIR, "provisioner", "demo-users.csv", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  return g_strdup (PROV_SOURCE_DEMO_USERS);
}

typedef struct
{
  ProvTargetService *service;
  ProvTargetSystem  *target;
  ProvDemo          *demo;
} Start;

static void
start_free (Start *start)
{
  g_clear_object (&start->service);
  g_clear_object (&start->target);
  g_clear_object (&start->demo);
  g_free (start);
}

static void
target_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  g_autoptr(ProvTargetSystem) target = NULL;
  GError *error = NULL;

  target = prov_target_service_save_target_finish (PROV_TARGET_SERVICE (object), result, NULL, &error);
  if (target == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&start->demo), g_object_unref);
}

static void
source_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  GError *error = NULL;

  if (!prov_target_service_save_source_finish (PROV_TARGET_SERVICE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Each demo starts on a new port: the demo target follows it. */
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    prov_target_service_save_target_async (start->service, start->target, cancellable,
                                           target_saved_cb, g_steal_pointer (&task));
  }
}

void
prov_demo_start_async (ProvTargetService   *service,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvSource) source = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *users = NULL;
  Start *start;

  g_return_if_fail (PROV_IS_TARGET_SERVICE (service));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_demo_start_async);

  start = g_new0 (Start, 1);
  start->service = g_object_ref (service);
  start->demo = g_object_new (PROV_TYPE_DEMO, NULL);
  g_task_set_task_data (task, start, (GDestroyNotify) start_free);

  start->demo->server = prov_test_server_try_new (PROV_TEST_SERVER_PLAIN, &error);
  if (start->demo->server == NULL)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_FAILED,
                               _("The demo service could not start: %s"), error->message);
      return;
    }

  /* A fresh secret each time: the demo service forgets it when it stops. */
  secret = g_uuid_string_random ();
  prov_test_server_add_client (start->demo->server, DEMO_CLIENT_ID, secret);
  prov_test_server_set_rate_limit (start->demo->server, PROV_SAP_JAM_SCIM_PATH,
                                   DEMO_REQUESTS_PER_MINUTE, 60 * 1000);

  start->target = g_object_new (PROV_TYPE_TARGET_SYSTEM, "uuid", PROV_DEMO_TARGET_UUID, NULL);
  prov_target_system_set_kind (start->target, PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_set_display_name (start->target, _("SAP Jam (Demo)"));
  prov_target_system_set_url (start->target, prov_test_server_get_base_url (start->demo->server));
  prov_target_system_set_text (start->target, PROV_FIELD_CLIENT_ID, DEMO_CLIENT_ID);
  prov_target_system_set_text (start->target, PROV_FIELD_CLIENT_SECRET, secret);
  prov_target_system_set_rate_per_minute (start->target, DEMO_REQUESTS_PER_MINUTE);

  users = prov_demo_dup_users_path ();
  source = prov_source_copy (prov_target_service_get_source (service));
  prov_source_set_kind (source, PROV_SOURCE_KIND_CSV);
  prov_source_set_csv_path (source, users);

  prov_target_service_save_source_async (service, source, cancellable,
                                         source_saved_cb, g_steal_pointer (&task));
}

ProvDemo *
prov_demo_start_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
