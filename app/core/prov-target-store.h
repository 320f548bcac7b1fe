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
 * usable. */
void              prov_target_store_load_async       (ProvTargetStore     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          prov_target_store_load_finish      (ProvTargetStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean          prov_target_store_load             (ProvTargetStore     *self,
                                                      GError             **error);

/* Writes the whole list atomically with mode 0600. On failure the previous
 * file is intact and the error is PROV_ERROR_SAVE_FAILED. */
void              prov_target_store_save_async       (ProvTargetStore     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          prov_target_store_save_finish      (ProvTargetStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean          prov_target_store_save             (ProvTargetStore     *self,
                                                      GError             **error);

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
