/* prov-target-store.h — the list of target systems and its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

/* The version of targets.json this build writes. */
#define PROV_TARGET_STORE_FORMAT_VERSION 1

#define PROV_TYPE_TARGET_STORE (prov_target_store_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetStore, prov_target_store, PROV, TARGET_STORE, GObject)

/* @path: the targets.json to use; NULL for the default under
 * g_get_user_config_dir()/io.github.provisioner.Provisioner/. */
ProvTargetStore  *prov_target_store_new              (const char          *path);
const char       *prov_target_store_get_path         (ProvTargetStore     *self);

/* Reads the file (a missing file is an empty list). A file that cannot be
 * parsed is moved aside to <path>.corrupt-<timestamp> and reported as
 * PROV_ERROR_CORRUPT_FILE naming where it went; the store is then empty and
 * usable. A file that is not a regular file (a folder, a device) is left
 * where it is and reported; then every save is refused. A file of a newer
 * format-version loads (what this version understands of it) read-only:
 * see prov_target_store_check_writable(). Loading again is a reload:
 * targets still in the file keep their objects, updated in place. */
void              prov_target_store_load_async       (ProvTargetStore     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          prov_target_store_load_finish      (ProvTargetStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean          prov_target_store_load             (ProvTargetStore     *self,
                                                      GError             **error);

/* Writes the whole list atomically with mode 0600; a symlink is written
 * through and stays a symlink. On failure the previous file is intact and
 * the error is PROV_ERROR_SAVE_FAILED, PROV_ERROR_READ_ONLY (a newer
 * version wrote the file) or PROV_ERROR_CHANGED_ON_DISK (another program
 * saved it since this store last loaded or saved it: load again). Before
 * the first load nothing is checked. */
void              prov_target_store_save_async       (ProvTargetStore     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          prov_target_store_save_finish      (ProvTargetStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean          prov_target_store_save             (ProvTargetStore     *self,
                                                      GError             **error);

/* TRUE when saves are refused: the file is from a newer version, or could
 * not be read. prov_target_store_check_writable() says why, as a sentence
 * to show (PROV_ERROR_READ_ONLY or PROV_ERROR_SAVE_FAILED). */
gboolean          prov_target_store_is_read_only     (ProvTargetStore     *self);
gboolean          prov_target_store_check_writable   (ProvTargetStore     *self,
                                                      GError             **error);
/* TRUE after ::file-changed, until the next load. The store watches its
 * file from the first load on and emits ::file-changed when another
 * program changes it. */
gboolean          prov_target_store_get_changed_on_disk (ProvTargetStore  *self);

void              prov_target_store_append           (ProvTargetStore     *self,
                                                      ProvTargetSystem    *target);
void              prov_target_store_insert           (ProvTargetStore     *self,
                                                      guint                position,
                                                      ProvTargetSystem    *target);
gboolean          prov_target_store_remove           (ProvTargetStore     *self,
                                                      ProvTargetSystem    *target,
                                                      guint               *position);
ProvTargetSystem *prov_target_store_find_by_uuid     (ProvTargetStore     *self,
                                                      const char          *uuid,
                                                      guint               *position);
/* Tells observers that @target's visible fields changed. */
void              prov_target_store_changed          (ProvTargetStore     *self,
                                                      ProvTargetSystem    *target);

G_END_DECLS
