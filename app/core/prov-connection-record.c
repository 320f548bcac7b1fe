/* prov-connection-record.c — the last Test Connection of each target,
 * kept across starts (see prov-connection-record.h)
 *
 * The file:
 *   { "format": "provisioner-connection-tests",
 *     "targets": { "<uuid>": { "ok": true, "message": "…",
 *                             "time": "<ISO 8601>", "values": "<sha256>" } } }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "prov-connection-record.h"
#include "prov-json-reader.h"
#include "prov-target-json.h"
#include "prov-target-system.h"

#define RECORD_FORMAT "provisioner-connection-tests"
/* Far above a record of thousands of targets; a larger file is not ours. */
#define RECORD_MAX_SIZE (8 * 1024 * 1024)

char *
prov_connection_record_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), BASE_APP_ID, "connection-tests.json", NULL);
}

/* What the outcome was of: the target's values as targets.json holds them,
 * which carry no secret. */
static char *
values_fingerprint (ProvTargetSystem *target)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_take_object (node, prov_target_system_to_json (target));
  text = json_to_string (node, FALSE);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Reading */

static void
apply_entry (ProvTargetSystem *target,
             JsonObject       *entry)
{
  g_autofree char *fingerprint = NULL;
  g_autoptr(GDateTime) time = NULL;
  const char *values, *when, *message;
  JsonNode *ok;

  values = json_object_get_string_member_with_default (entry, "values", NULL);
  when = json_object_get_string_member_with_default (entry, "time", NULL);
  message = json_object_get_string_member_with_default (entry, "message", NULL);
  ok = json_object_get_member (entry, "ok");
  if (values == NULL || when == NULL || message == NULL || ok == NULL ||
      !JSON_NODE_HOLDS_VALUE (ok) || json_node_get_value_type (ok) != G_TYPE_BOOLEAN ||
      (time = g_date_time_new_from_iso8601 (when, NULL)) == NULL)
    return;

  fingerprint = values_fingerprint (target);
  if (!g_str_equal (fingerprint, values))
    return;
  prov_target_system_restore_connection_status (target,
                                                json_node_get_boolean (ok) ? PROV_CONNECTION_STATUS_OK
                                                                           : PROV_CONNECTION_STATUS_FAILED,
                                                message, time);
}

void
prov_connection_record_apply (GListModel *targets,
                              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonObject *object, *entries;
  guint n;

  g_return_if_fail (G_IS_LIST_MODEL (targets));
  g_return_if_fail (path != NULL);

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Connection tests not read: %s", error->message);
      return;
    }
  root = prov_json_reader_parse (contents, length, RECORD_MAX_SIZE, 0, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (json_object_get_string_member_with_default (object = json_node_get_object (root),
                                                             "format", NULL), RECORD_FORMAT) != 0 ||
      !json_object_has_member (object, "targets") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "targets")))
    {
      g_debug ("Connection tests not read: %s is not a record of them%s%s", path,
               error ? ": " : "", error ? error->message : "");
      return;
    }

  entries = json_object_get_object_member (object, "targets");
  n = g_list_model_get_n_items (targets);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (targets, i);
      JsonNode *entry = json_object_get_member (entries, prov_target_system_get_uuid (target));

      if (entry != NULL && JSON_NODE_HOLDS_OBJECT (entry))
        apply_entry (target, json_node_get_object (entry));
    }
}

/* Writing */

typedef struct
{
  char *path;
  char *text;
} Write;

static void
write_free (Write *write)
{
  g_free (write->path);
  g_free (write->text);
  g_free (write);
}

static char *
serialize (GListModel *targets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (targets);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, RECORD_FORMAT);
  json_builder_set_member_name (builder, "targets");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (targets, i);
      ProvConnectionStatus status = prov_target_system_get_connection_status (target);
      g_autofree char *time = NULL;
      g_autofree char *fingerprint = NULL;

      if (status == PROV_CONNECTION_STATUS_UNKNOWN)
        continue;
      time = g_date_time_format_iso8601 (prov_target_system_get_connection_time (target));
      fingerprint = values_fingerprint (target);
      json_builder_set_member_name (builder, prov_target_system_get_uuid (target));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, status == PROV_CONNECTION_STATUS_OK);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, prov_target_system_get_connection_message (target) ?: "");
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "values");
      json_builder_add_string_value (builder, fingerprint);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

static gboolean
write_now (gpointer   data,
           GError   **error)
{
  Write *write = data;
  g_autofree char *folder = g_path_get_dirname (write->path);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", folder, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (write->path, write->text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

void
prov_connection_record_queue_write (ProvWriteQueue *queue,
                                    GListModel     *targets,
                                    const char     *path)
{
  Write *write;

  g_return_if_fail (PROV_IS_WRITE_QUEUE (queue));
  g_return_if_fail (G_IS_LIST_MODEL (targets));
  g_return_if_fail (path != NULL);

  write = g_new0 (Write, 1);
  write->path = g_strdup (path);
  write->text = serialize (targets);
  prov_write_queue_push (queue, write_now, write, (GDestroyNotify) write_free);
}
