/* prov-targets-export.h — target systems as a file to move between machines
 *
 * An export is a JSON document, {"format": "provisioner-targets",
 * "version": 1, "targets": [ … ]}, each target as targets.json holds it:
 * every field but the secrets, which never leave the keyring. Reading one
 * gives new targets (fresh identifiers, no secret) for
 * prov_target_service_import_targets_async(), which checks and adds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The targets of @targets (a model of ProvTargetSystem) as an export. */
GBytes    *prov_targets_export_serialize   (GListModel          *targets);

/* Writes the export of @targets to @path, readable by its owner only; a
 * file already there is replaced whole or not at all. */
gboolean   prov_targets_export_write       (const char          *path,
                                            GListModel          *targets,
                                            GError             **error);
void       prov_targets_export_write_async (const char          *path,
                                            GListModel          *targets,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   prov_targets_export_write_finish (GAsyncResult       *result,
                                             GError            **error);

/* The targets of the export at @path: new ProvTargetSystem objects, each
 * with a new identifier and no secret, in the file's order. A file that
 * is missing, too large, too deeply nested or not an export is
 * PROV_ERROR_INVALID_FILE, said with @path. The targets are not checked
 * here: the import does that. */
GPtrArray *prov_targets_export_read        (const char          *path,
                                            GError             **error);
void       prov_targets_export_read_async  (const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *prov_targets_export_read_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
