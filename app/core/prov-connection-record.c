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

  values = prov_json_get_string (entry, "values");
  when = prov_json_get_string (entry, "time");
  message = prov_json_get_string (entry, "message");
  ok = json_object_get_member (entry, "ok");
  if (values == NULL || when == NULL || message == NULL || ok == NULL ||
      !JSON_NODE_HOLDS_VALUE (ok) || json_node_get_value_type (ok) != G_TYPE_BOOLEAN ||
      (time = g_date_time_new_from_iso8601 (when, NULL)) == NULL)
    return;

  fingerprint = values_fingerprint (target);
  if (!g_str_equal (fingerprint, values))
    return;
  /* Read again while running: never older news over newer. */
  if (prov_target_system_get_connection_time (target) != NULL &&
      g_date_time_compare (time, prov_target_system_get_connection_time (target)) <= 0)
    return;
  prov_target_system_restore_connection_status (target,
                                                json_node_get_boolean (ok) ? PROV_CONNECTION_STATUS_OK
                                                                           : PROV_CONNECTION_STATUS_FAILED,
                                                message, time);
}

/* The file's entries, or none (said in the debug log) when it is missing,
 * damaged or not a record. */
static JsonObject *
read_entries (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonObject *object;
  JsonNode *targets;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Connection tests not read: %s", error->message);
      return json_object_new ();
    }
  root = prov_json_reader_parse (contents, length, RECORD_MAX_SIZE, 0, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (prov_json_get_string (object = json_node_get_object (root), "format"), RECORD_FORMAT) != 0 ||
      (targets = json_object_get_member (object, "targets")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (targets))
    {
      g_debug ("Connection tests not read: %s is not a record of them%s%s", path,
               error ? ": " : "", error ? error->message : "");
      return json_object_new ();
    }
  return json_object_ref (json_node_get_object (targets));
}

void
prov_connection_record_apply (GListModel *targets,
                              const char *path)
{
  g_autoptr(JsonObject) entries = NULL;
  guint n;

  g_return_if_fail (G_IS_LIST_MODEL (targets));
  g_return_if_fail (path != NULL);

  entries = read_entries (path);
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

/* What this process changed: the outcome of each target it tested or saved
 * with new values (NULL: none kept any more). Another process's outcomes,
 * such as a timer's test, stay as the file has them. */
typedef struct
{
  char       *path;
  JsonObject *changes;   /* uuid → entry object, or null */
} Write;

static void
write_free (Write *write)
{
  g_free (write->path);
  json_object_unref (write->changes);
  g_free (write);
}

static JsonNode *
entry_for (ProvTargetSystem *target)
{
  ProvConnectionStatus status = prov_target_system_get_connection_status (target);
  g_autofree char *time = NULL;
  g_autofree char *fingerprint = NULL;
  JsonObject *entry;
  JsonNode *node;

  if (status == PROV_CONNECTION_STATUS_UNKNOWN)
    return json_node_new (JSON_NODE_NULL);

  time = g_date_time_format_iso8601 (prov_target_system_get_connection_time (target));
  fingerprint = values_fingerprint (target);
  entry = json_object_new ();
  json_object_set_boolean_member (entry, "ok", status == PROV_CONNECTION_STATUS_OK);
  json_object_set_string_member (entry, "message", prov_target_system_get_connection_message (target) ?: "");
  json_object_set_string_member (entry, "time", time);
  json_object_set_string_member (entry, "values", fingerprint);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, entry);
  return node;
}

/* When @entry (of the file) holds a later outcome than @change. */
static gboolean
is_later (JsonNode *entry,
          JsonNode *change)
{
  g_autoptr(GDateTime) entry_time = NULL;
  g_autoptr(GDateTime) change_time = NULL;
  const char *when;

  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry) ||
      (when = prov_json_get_string (json_node_get_object (entry), "time")) == NULL ||
      (entry_time = g_date_time_new_from_iso8601 (when, NULL)) == NULL)
    return FALSE;
  change_time = g_date_time_new_from_iso8601 (prov_json_get_string (json_node_get_object (change), "time"), NULL);
  return change_time != NULL && g_date_time_compare (entry_time, change_time) > 0;
}

static void
merge_change (JsonObject  *changes,
              const char  *uuid,
              JsonNode    *change,
              gpointer     entries)
{
  if (JSON_NODE_HOLDS_NULL (change))
    {
      if (json_object_has_member (entries, uuid))
        json_object_remove_member (entries, uuid);
    }
  /* Another process may have tested it since this one did. */
  else if (!is_later (json_object_get_member (entries, uuid), change))
    json_object_set_member (entries, uuid, json_node_copy (change));
}

static gboolean
write_now (gpointer   data,
           GError   **error)
{
  Write *write = data;
  g_autofree char *folder = g_path_get_dirname (write->path);
  g_autoptr(JsonObject) entries = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", folder, g_strerror (saved));
      return FALSE;
    }

  /* Read again here, after the writes before: another process may have
   * recorded tests of its own since this one started. */
  entries = read_entries (write->path);
  json_object_foreach_member (write->changes, merge_change, entries);
  json_object_set_string_member (object, "format", RECORD_FORMAT);
  json_object_set_object_member (object, "targets", json_object_ref (entries));
  json_node_set_object (root, object);
  text = json_to_string (root, TRUE);
  return g_file_set_contents_full (write->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

void
prov_connection_record_queue_write (ProvWriteQueue *queue,
                                    GListModel     *targets,
                                    GHashTable     *changed,
                                    const char     *path)
{
  Write *write;
  GHashTableIter iter;
  gpointer uuid;

  g_return_if_fail (PROV_IS_WRITE_QUEUE (queue));
  g_return_if_fail (G_IS_LIST_MODEL (targets));
  g_return_if_fail (changed != NULL);
  g_return_if_fail (path != NULL);

  write = g_new0 (Write, 1);
  write->path = g_strdup (path);
  write->changes = json_object_new ();
  for (guint i = 0; i < g_list_model_get_n_items (targets); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (targets, i);
      const char *target_uuid = prov_target_system_get_uuid (target);

      if (g_hash_table_contains (changed, target_uuid))
        json_object_set_member (write->changes, target_uuid, entry_for (target));
    }
  /* Gone from the list since: its outcome goes too. */
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    if (!json_object_has_member (write->changes, uuid))
      json_object_set_null_member (write->changes, uuid);
  prov_write_queue_push (queue, write_now, write, (GDestroyNotify) write_free);
}
