/* prov-file-watch.h — tells when a file of ours may have changed on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PROV_TYPE_FILE_WATCH (prov_file_watch_get_type ())
G_DECLARE_FINAL_TYPE (ProvFileWatch, prov_file_watch, PROV, FILE_WATCH, GObject)

/* Watches @path (where a symlink points, when it is one) with a
 * GFileMonitor. Each time the file may have changed, ::changed is emitted
 * in the thread-default main context of the caller with the file's stamp
 * (prov_config_file_stamp(), taken in a worker thread). The watcher knows
 * nothing of who wrote: callers compare the stamp with their own. */
ProvFileWatch *prov_file_watch_new   (const char    *path);
/* Takes the stamp now and emits ::changed with it. */
void           prov_file_watch_check (ProvFileWatch *self);

G_END_DECLS
