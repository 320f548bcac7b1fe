/* prov-targets-export.c — target systems as a file to move between machines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-target-json.h"
#include "prov-targets-export.h"

#define EXPORT_FORMAT "provisioner-targets"
#define EXPORT_VERSION 1
/* As large as the targets file the app itself reads. */
#define MAX_EXPORT_SIZE (32 * 1024 * 1024)

GBytes *
prov_targets_export_serialize (GListModel *targets)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  gsize length;
  char *text;

  g_return_val_if_fail (G_IS_LIST_MODEL (targets), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (targets); i++)
    {
      g_autoptr(ProvTargetSystem) target = g_list_model_get_item (targets, i);
      /* The serialization never writes a secret. */
      json_array_add_object_element (array, prov_target_system_to_json (target));
    }
  json_object_set_string_member (object, "format", EXPORT_FORMAT);
  json_object_set_int_member (object, "version", EXPORT_VERSION);
  json_object_set_array_member (object, "targets", array);
  json_node_take_object (root, object);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  /* A text file ends with a line break. */
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  return g_bytes_new_take (text, length);
}

static gboolean
write_bytes (const char  *path,
             GBytes      *bytes,
             GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_autoptr(GError) local_error = NULL;

  /* Owner only: an export names hosts, client IDs and user names. */
  if (g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    return TRUE;
  g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
               /* Translators: a file name, then why (“Permission denied”) */
               _("The target systems could not be exported to “%s”: %s"),
               path, prov_error_file_reason (local_error));
  return FALSE;
}

gboolean
prov_targets_export_write (const char  *path,
                           GListModel  *targets,
                           GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = prov_targets_export_serialize (targets);
  return write_bytes (path, bytes, error);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_bytes (g_object_get_data (G_OBJECT (task), "path"), task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
prov_targets_export_write_async (const char          *path,
                                 GListModel          *targets,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (targets));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_targets_export_write_async);
  /* Made here: the worker touches no target, only the text. */
  g_task_set_task_data (task, prov_targets_export_serialize (targets), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (path), g_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
prov_targets_export_write_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GError *
not_an_export (const char *path)
{
  return g_error_new (PROV_ERROR, PROV_ERROR_INVALID_FILE,
                      _("“%s” is not a target systems export."), path);
}

/* The "targets" array of an export, or NULL. */
static JsonArray *
targets_of (JsonNode *root)
{
  JsonObject *object;
  JsonNode *targets;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (g_strcmp0 (prov_json_get_string (object, "format"), EXPORT_FORMAT) != 0)
    return NULL;
  targets = json_object_get_member (object, "targets");
  return targets != NULL && JSON_NODE_HOLDS_ARRAY (targets) ? json_node_get_array (targets) : NULL;
}

GPtrArray *
prov_targets_export_read (const char  *path,
                          GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  g_return_val_if_fail (path != NULL, NULL);

  /* Size and nesting are checked before json-glib, which a deep enough
   * file would crash; the size before the file is read at all. */
  contents = prov_config_file_read (path, MAX_EXPORT_SIZE, NULL, &local_error);
  if (contents == NULL)
    {
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_INVALID_FILE, local_error->message);
      return NULL;
    }
  root = prov_json_reader_parse_bytes (contents, MAX_EXPORT_SIZE, 0, &local_error);
  if (root == NULL)
    g_debug ("%s: %s", path, local_error->message);
  if ((array = targets_of (root)) == NULL)
    {
      g_propagate_error (error, not_an_export (path));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonNode) copy = NULL;
      g_autoptr(ProvTargetSystem) target = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_propagate_error (error, not_an_export (path));
          return NULL;
        }
      /* An import adds: a fresh identifier, so nothing existing is replaced. */
      copy = json_node_copy (element);
      json_object_set_string_member (json_node_get_object (copy), "uuid", uuid);
      target = prov_target_system_new_from_json (json_node_get_object (copy), &local_error);
      if (target == NULL)
        {
          /* Translators: a file, a target's position in it, what is wrong with it */
          g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE,
                       _("“%s”, target system %u: %s"), path, i + 1, local_error->message);
          return NULL;
        }
      g_ptr_array_add (targets, g_steal_pointer (&target));
    }
  return g_steal_pointer (&targets);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *targets = prov_targets_export_read (task_data, &error);

  if (targets != NULL)
    g_task_return_pointer (task, targets, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
prov_targets_export_read_async (const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_targets_export_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_thread);
}

GPtrArray *
prov_targets_export_read_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
