/* prov-source-file.c — source.json: where the source of users is kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-source-private.h"

#define FORMAT_VERSION 1
/* source.json holds one connection: a few hundred bytes. */
#define MAX_FILE_SIZE (1024 * 1024)

char *
prov_source_get_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), BASE_APP_ID, "source.json", NULL);
}

static void
remember_file (ProvSource *self,
               const char *path,
               char       *stamp)
{
  g_free (self->file_path);
  self->file_path = g_strdup (path);
  g_free (self->file_stamp);
  self->file_stamp = stamp;
}

gboolean
prov_source_load (ProvSource  *self,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(ProvTargetSystem) connection = NULL;
  JsonObject *root;
  JsonNode *node;
  gint64 version = FORMAT_VERSION;

  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  if (path == NULL)
    path = default_path = prov_source_get_default_path ();

  self->newer_version = 0;
  bytes = prov_config_file_read (path, MAX_FILE_SIZE, &stamp, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          remember_file (self, path, g_strdup (PROV_CONFIG_FILE_ABSENT));
          return TRUE;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        goto damaged;
      /* A folder or a device is not ours to move; saving over it fails. */
      g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
                   _("The source of users could not be read: %s"), local_error->message);
      return FALSE;
    }

  /* Size and depth are checked before json-glib, which recurses per level. */
  root_node = prov_json_reader_parse_bytes (bytes, MAX_FILE_SIZE, 0, &local_error);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_debug ("%s: %s", path, local_error ? local_error->message : "not an object");
      goto damaged;
    }

  root = json_node_get_object (root_node);
  node = json_object_get_member (root, "format-version");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    version = json_node_get_int (node);

  node = json_object_get_member (root, "connection");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    connection = prov_target_system_new_from_json (json_node_get_object (node), NULL);

  /* A newer version may have changed anything: what this one understands
   * is used, and the file is never written (prov_source_save refuses). */
  if (version > FORMAT_VERSION)
    self->newer_version = version;
  else if (connection == NULL)
    goto damaged;

  remember_file (self, path, g_steal_pointer (&stamp));
  if (connection != NULL)
    {
      g_clear_object (&self->connection);
      self->connection = g_steal_pointer (&connection);
    }
  prov_source_set_kind (self, g_strcmp0 (json_object_get_string_member_with_default (root, "kind", "tenant"), "csv") == 0
                              ? PROV_SOURCE_KIND_CSV : PROV_SOURCE_KIND_TENANT);
  prov_source_set_csv_path (self, json_object_get_string_member_with_default (root, "csv-path", NULL));
  return TRUE;

damaged:
  /* Kept for the person, out of the way, so it cannot stop the app. */
  aside = prov_config_file_move_aside (path, NULL);
  if (aside == NULL)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The source of users in “%s” is damaged and could not be moved aside; fix or remove it."), path);
      return FALSE;
    }
  remember_file (self, path, g_strdup (PROV_CONFIG_FILE_ABSENT));
  g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
               _("The source of users was damaged and has been kept as “%s”; choose the source again."), aside);
  return FALSE;
}

gboolean
prov_source_is_read_only (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);
  return self->newer_version > 0;
}

gboolean
prov_source_check_writable (ProvSource  *self,
                            GError     **error)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  if (self->newer_version == 0)
    return TRUE;
  g_set_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY,
               _("The source of users was saved by a newer version of Provisioner: it is used, but changes to it will not be saved."));
  return FALSE;
}

gboolean
prov_source_save (ProvSource  *self,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *new_stamp = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gboolean same_file;
  JsonObject *root;

  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  if (path == NULL)
    path = default_path = prov_source_get_default_path ();
  same_file = g_strcmp0 (path, self->file_path) == 0;

  if (same_file && self->newer_version > 0)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_READ_ONLY,
                   _("The source of users was not saved: “%s” was written by a newer version of Provisioner, which this version must not overwrite."),
                   path);
      return FALSE;
    }

  root = json_object_new ();
  json_object_set_int_member (root, "format-version", FORMAT_VERSION);
  json_object_set_string_member (root, "kind", self->kind == PROV_SOURCE_KIND_CSV ? "csv" : "tenant");
  if (self->csv_path != NULL)
    json_object_set_string_member (root, "csv-path", self->csv_path);
  /* Secrets never reach this file: to_json leaves them out. */
  json_object_set_object_member (root, "connection", prov_target_system_to_json (self->connection));

  bytes = prov_json_object_to_bytes (root, TRUE);
  json_object_unref (root);

  /* Atomic, through a symlink, and only over the file last read here. */
  if (!prov_config_file_write (path, bytes, same_file ? self->file_stamp : NULL,
                               &new_stamp, &local_error))
    {
      g_debug ("Saving %s: %s", path, local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
        g_set_error (error, PROV_ERROR, PROV_ERROR_CHANGED_ON_DISK,
                     _("The source of users was not saved: another program changed it since it was read. Reload it, then make the change again."));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                     _("The source of users could not be saved: a folder is in the place of “%s”."), path);
      else
        g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                     _("The source of users could not be saved to “%s”: %s"),
                     path, local_error->message);
      return FALSE;
    }

  remember_file (self, path, g_steal_pointer (&new_stamp));
  return TRUE;
}
