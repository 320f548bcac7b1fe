/* prov-sync-pause.c — the record of a target whose sync is paused
 *
 * A reconciliation that would remove more users than the target's safety
 * threshold pauses the target's sync until a person confirms. The pause
 * outlives the process (a restart, the systemd unit, the window closed)
 * in a small JSON file:
 *
 *   {"format-version":1,"reason":…,"leaving":N,"confirmed":false,"since":T}
 *
 * A confirmation from another process (`provisioner sync --resume NAME`)
 * is written into it, and a running sync reads it at its next check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-sync-pause.h"

#define PAUSE_FORMAT_VERSION 1
#define MAX_PAUSE_FILE_SIZE (64 * 1024)

void
prov_sync_pause_free (ProvSyncPause *pause)
{
  if (pause == NULL)
    return;
  g_free (pause->reason);
  g_free (pause);
}

ProvSyncPause *
prov_sync_pause_copy (const ProvSyncPause *pause)
{
  ProvSyncPause *copy = g_memdup2 (pause, sizeof *pause);

  copy->reason = g_strdup (pause->reason);
  return copy;
}

char *
prov_sync_pause_get_path (const char *state_dir,
                          const char *target_uuid)
{
  return prov_config_file_state_path (state_dir, "sync", target_uuid, ".pause.json");
}

ProvSyncPause *
prov_sync_pause_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  ProvSyncPause *pause;
  JsonObject *object;

  bytes = prov_config_file_read (path, MAX_PAUSE_FILE_SIZE, NULL, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  pause = g_new0 (ProvSyncPause, 1);
  root = prov_json_reader_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 MAX_PAUSE_FILE_SIZE, 0, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *aside = prov_config_file_move_aside (path, NULL);

      g_warning ("%s is damaged and was moved to %s; the target stays paused", path,
                 aside != NULL ? aside : "(nowhere)");
      pause->reason = g_strdup (_("The record of this pause was damaged; nothing was removed. Confirm to go on."));
      pause->since = g_get_real_time () / G_USEC_PER_SEC;
      return pause;
    }

  object = json_node_get_object (root);
  pause->reason = g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
  pause->leaving = (guint) CLAMP (json_object_get_int_member_with_default (object, "leaving", 0), 0, G_MAXUINT);
  pause->confirmed = json_object_get_boolean_member_with_default (object, "confirmed", FALSE);
  pause->since = json_object_get_int_member_with_default (object, "since", 0);
  return pause;
}

gboolean
prov_sync_pause_save (const char           *path,
                      const ProvSyncPause  *pause,
                      GError              **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  char *text;

  json_object_set_int_member (object, "format-version", PAUSE_FORMAT_VERSION);
  if (pause->reason != NULL)
    json_object_set_string_member (object, "reason", pause->reason);
  json_object_set_int_member (object, "leaving", pause->leaving);
  json_object_set_boolean_member (object, "confirmed", pause->confirmed);
  json_object_set_int_member (object, "since", pause->since);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, TRUE);
  bytes = g_bytes_new_take (text, strlen (text));

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !prov_config_file_write (path, bytes, NULL, NULL, &local_error))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("The pause of real-time provisioning cannot be saved in “%s”: %s"), path,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
prov_sync_pause_remove (const char  *path,
                        GError     **error)
{
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED,
                   _("The pause of real-time provisioning cannot be removed from “%s”: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
